"""Values by column type: how each column's values are written to the file and read back.

What JSON cannot hold as it is (bytes, moments, decimals) travels as text; what comes back is
held to the column's type (and a JSON column to its model's annotation), so a file cannot put
a number where the app expects a list of steps. `decode_rows` reads a whole table's rows.
"""

import base64
import json
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import JSON, BigInteger, TypeDecorator

from kiosk.db import Base
from kiosk.transfer.fileformat import TransferError, refused


@dataclass
class Codec:
    encode: object
    decode: object


def _base_type(column):
    kind = column.type
    return kind.impl if isinstance(kind, TypeDecorator) else kind


def python_type_of(kind):
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def _checked(expected):
    def decode(value):
        # bool is an int to Python, never to a database column.
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ValueError(f"expected {expected.__name__}, found {type(value).__name__}")
        return value
    return decode


def _decode_datetime(aware: bool):
    def decode(value):
        moment = datetime.fromisoformat(_checked(str)(value))
        if aware and moment.tzinfo is None:
            raise ValueError("a moment in time without its time zone")
        return moment
    return decode


def _decode_int(kind):
    """A whole number the column can hold (SQL's INTEGER is 32 bits, BIGINT 64)."""
    largest = 2**63 - 1 if isinstance(kind, BigInteger) else 2**31 - 1

    def decode(value):
        if not -largest - 1 <= _checked(int)(value) <= largest:
            raise ValueError(f"{value} is out of range")
        return value
    return decode


def _decode_float(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, found {type(value).__name__}")
    return float(value)


def _json_shape(column):
    """What a JSON column holds, from its model's annotation: list[str], dict | None, ..."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is column.table:
            return typing.get_args(typing.get_type_hints(mapper.class_)[column.key])[0]
    return typing.Any


def _fits(value, shape) -> bool:
    """Whether a JSON value has the shape of a type annotation (list[str], dict | None, ...)."""
    origin, args = typing.get_origin(shape), typing.get_args(shape)
    if origin in (types.UnionType, typing.Union):
        return any(_fits(value, arg) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(_fits(item, args[0]) for item in value)
    if shape is type(None):
        return value is None
    if isinstance(origin or shape, type):  # and a bool is no int to the app
        return isinstance(value, origin or shape) and (shape is bool or type(value) is not bool)
    return True  # typing.Any


def _decode_json(column):
    """JSON as the app reads it back: a stretch's steps are a list of text, not a number."""
    shape = _json_shape(column)

    def decode(value):
        if not _fits(value, shape):
            raise ValueError(f"expected {shape.__name__ if isinstance(shape, type) else shape}")
        return value
    return decode


def codec(column) -> Codec:
    """How one column's values are written to the file and read back."""
    kind = _base_type(column)
    if isinstance(kind, JSON):
        return Codec(lambda value: value, _decode_json(column))
    python_type = python_type_of(kind)
    if python_type is bytes:
        return Codec(lambda value: base64.b64encode(value).decode("ascii"),
                     lambda value: base64.b64decode(_checked(str)(value), validate=True))
    if python_type is datetime:
        return Codec(lambda value: value.isoformat(),
                     _decode_datetime(getattr(kind, "timezone", False)))
    if python_type in (date, time):
        return Codec(lambda value: value.isoformat(),
                     lambda value: python_type.fromisoformat(_checked(str)(value)))
    if python_type is timedelta:
        return Codec(lambda value: value.total_seconds(),
                     lambda value: timedelta(seconds=_decode_float(value)))
    if python_type in (Decimal, UUID):
        return Codec(str, lambda value: python_type(_checked(str)(value)))
    if python_type is float:
        return Codec(lambda value: value, _decode_float)
    if python_type is int:
        return Codec(lambda value: value, _decode_int(kind))
    if python_type in (bool, str):
        return Codec(lambda value: value, _checked(python_type))
    # An unusual type (an Enum of a Python class, say): its value must already be plain JSON.
    return Codec(lambda value: value, lambda value: value)


def encode(column, encoder, value):
    if value is None:
        return None
    try:
        encoded = encoder(value)
        json.dumps(encoded, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TransferError(
            f"Column {column.table.name}.{column.name} holds a value the export cannot "
            f"write ({error}). Nothing was exported."
        ) from None
    return encoded


def decode_rows(table, content, typed=None) -> list[dict]:
    """`table`'s rows from the file, decoded by column type: `typed`'s columns where it has
    them (the app's own types, for a table read back from an older schema), else `table`'s."""
    if not isinstance(content, dict) or not isinstance(content.get("rows"), list):
        raise refused(f"The file's table {table.name} is damaged.")
    names = content.get("columns")
    by_name = {column.name: column for column in table.columns}
    if not isinstance(names, list) or sorted(map(str, names)) != sorted(by_name):
        raise refused(
            f"The file's table {table.name} has other columns than this kiosk's "
            f"({', '.join(map(str, names or []))}). It was made by another version of the "
            f"kiosk: import it into the version that made it."
        )
    columns = [by_name[name] for name in names]
    own = typed.columns if typed is not None else {}
    decoders = [codec(own.get(column.name, column)).decode for column in columns]
    rows = []
    for number, row in enumerate(content["rows"], start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise refused(f"The file's table {table.name} is damaged at row {number}.")
        values = {}
        for column, decoder, value in zip(columns, decoders, row, strict=True):
            if value is None:
                if not column.nullable:
                    raise refused(f"The file's table {table.name}, row {number}, has no "
                                  f"{column.name}, which every row needs.")
                values[column.key] = None
                continue
            try:
                values[column.key] = decoder(value)
            except (TypeError, ValueError) as error:
                raise refused(f"The file's table {table.name}, row {number}, column "
                              f"{column.name} holds a value this kiosk cannot read "
                              f"({error}).") from None
        rows.append(values)
    return rows
