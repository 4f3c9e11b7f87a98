"""What an export file is, and the names every step of an export or import shares.

The file's limits and its header; `TransferError`, which every refusal raises (its message
says why, and that nothing changed); `Export`, a file checked whole; which tables travel; the
checksum over them; how the bytes are unpacked and parsed (for a file being read, and for an
older file read back once brought up to date); and what a file holds, in words for people.
"""

import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from datetime import datetime

from kiosk import models  # noqa: F401  (puts every table on Base.metadata)
from kiosk.db import Base

FORMAT = "clinic-kiosk-export"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 200 * 1024 * 1024
# Media hardly compress, so the unpacked file is not much bigger; a "zip bomb" would be.
MAX_UNPACKED_BYTES = 4 * MAX_FILE_BYTES
NOTHING_CHANGED = "Nothing was changed."
GZIP_MAGIC = b"\x1f\x8b"
OUR_HEADER = re.compile(r'\s*\{\s*"format"\s*:\s*"' + FORMAT + '"')


class TransferError(ValueError):
    """A file that cannot be exported or imported; the message says why in plain words."""


def refused(reason: str) -> TransferError:
    return TransferError(f"{reason} {NOTHING_CHANGED}")


@dataclass
class Export:
    """A checked export file: its header, and each table's rows ready to insert."""

    schema_revision: str
    created_at: datetime
    rows: dict[str, list[dict]]

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


def travelling_tables():
    """The tables an export carries and an import replaces: all but those that stay with the
    install (the audit log: importing a file must not wipe the record of who did what)."""
    return [table for table in Base.metadata.sorted_tables if table.info.get("travels", True)]


def staying_tables() -> set[str]:
    return {table.name for table in Base.metadata.sorted_tables
            if not table.info.get("travels", True)}


def checksum(tables: dict) -> str:
    """SHA-256 of the table data in one canonical spelling, so any change to it shows."""
    canonical = json.dumps(tables, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                           allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def unpack(data: bytes) -> bytes:
    if not data.startswith(GZIP_MAGIC):
        return data
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    unpacked, rest = bytearray(), data
    try:
        while rest and not unpacker.eof:
            unpacked += unpacker.decompress(rest, MAX_UNPACKED_BYTES + 1 - len(unpacked))
            if len(unpacked) > MAX_UNPACKED_BYTES:
                raise refused(
                    f"The file unpacks to more than {MAX_UNPACKED_BYTES / 1e6:.0f} MB, more than "
                    f"any kiosk export this kiosk imports."
                )
            rest = unpacker.unconsumed_tail
    except zlib.error:
        raise refused("The file is damaged: it cannot be unpacked. Export it again.") from None
    if not unpacker.eof:
        raise refused(
            "The file is incomplete (it may have been cut off while copying). Copy it again "
            "from the original, or export again."
        )
    return bytes(unpacked)


def parse(unpacked: bytes):
    try:
        body = unpacked.decode("utf-8")
    except UnicodeDecodeError:
        raise refused("This file is not a kiosk export.") from None
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        if not OUR_HEADER.match(body):
            raise refused("This file is not a kiosk export.") from None
        if error.pos >= len(body.rstrip()) or error.msg.startswith("Unterminated string"):
            raise refused(
                "The file is incomplete (it may have been cut off while copying). Copy it "
                "again from the original, or export again."
            ) from None
        raise refused("The file is damaged: it is a kiosk export, but no longer valid "
                      "JSON. Export it again.") from None
    except (ValueError, RecursionError):  # a number thousands of digits long, or deep nesting
        raise refused("This file is not a kiosk export.") from None


# ---- What a file holds, for people.

def describe(counts: dict[str, int]) -> list[str]:
    """One line per kind of thing, e.g. "stretch: 7"."""
    return [f"{name.replace('_', ' ')}: {count}" for name, count in sorted(counts.items())]


def summary(counts: dict[str, int]) -> str:
    shown = ("stretch", "routine", "screen", "patient_sheet", "staff_account")
    parts = [f"{counts[name]} {_plural(name, counts[name])}" for name in shown if name in counts]
    rest = sum(count for name, count in counts.items() if name not in shown)
    return ", ".join(parts) + f" and {rest} other records"


def _plural(name: str, count: int) -> str:
    words = name.replace("_", " ")
    if count == 1:
        return words
    return words + ("es" if words.endswith(("ch", "sh", "s", "x")) else "s")
