"""Reading and checking a whole file, before anything is touched.

Its size, its format and version, its checksum, its header, its tables and every value in
them; a file from an older kiosk is brought up to date on the way (kiosk/transfer/older.py).
The result is an `Export`, ready to insert.
"""

from datetime import datetime

from kiosk.transfer.codecs import decode_rows
from kiosk.transfer.fileformat import (
    FORMAT,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    Export,
    checksum,
    parse,
    refused,
    travelling_tables,
    unpack,
)
from kiosk.transfer.older import brought_up_to_date, is_older, scripts


def read_export(data: bytes) -> Export:
    """Check the whole file (format, version, checksum, tables, values) and decode its rows."""
    if len(data) > MAX_FILE_BYTES:
        raise refused(
            f"The file is {len(data) / 1e6:.0f} MB; the largest file this kiosk imports is "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB."
        )
    document = parse(unpack(data))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise refused("This file is not a kiosk export: it is JSON, but not a file this kiosk "
                      "made. Choose a file made by Download everything or `flask export`.")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refused("This file is not a kiosk export: its format version is missing.")
    if version > FORMAT_VERSION:
        raise refused(
            f"This file was made by a newer version of the kiosk (export format {version}; "
            f"this kiosk reads format {FORMAT_VERSION}). Update this kiosk's software, run "
            f"`flask --app kiosk migrate`, and import again."
        )
    tables = document.get("tables")
    if not isinstance(tables, dict) or not isinstance(document.get("checksum"), str):
        raise refused("The file is incomplete or damaged: its tables or checksum are missing.")
    if checksum(tables) != document["checksum"]:
        raise refused(
            "The file has been changed or damaged since it was exported (its checksum does "
            "not match its content). Export it again from the original kiosk."
        )
    revision = document.get("schema_revision")
    if not isinstance(revision, str) or not revision:
        raise refused("The file does not say which database schema it was made at.")
    try:
        created_at = datetime.fromisoformat(document.get("created_at"))
    except (TypeError, ValueError):
        raise refused("The file does not say when it was made.") from None
    if is_older(revision):
        tables = brought_up_to_date(tables, revision)
        revision = scripts().get_current_head()
    return Export(revision, created_at, _decode_tables(tables))


def _decode_tables(tables: dict) -> dict[str, list[dict]]:
    known = {table.name: table for table in travelling_tables()}
    if set(tables) != set(known):
        missing, unknown = sorted(set(known) - set(tables)), sorted(set(tables) - set(known))
        detail = "; ".join(part for part in (
            f"it lacks {', '.join(missing)}" if missing else "",
            f"it has tables this kiosk does not know: {', '.join(unknown)}" if unknown else "",
        ) if part)
        raise refused(
            f"The file's tables do not match this kiosk ({detail}). It was probably made by "
            f"another version of the kiosk: import it into the version that made it."
        )
    decoded = {}
    for table in travelling_tables():
        decoded[table.name] = decode_rows(table, tables[table.name])
    return decoded
