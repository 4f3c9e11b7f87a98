"""Export everything to one file and import it again: backups, and moving to a new machine.

The file is gzip-compressed JSON (plain JSON is read too, for someone who unpacked it):

    {"format": "clinic-kiosk-export", "format_version": 1, "schema_revision": "0003",
     "created_at": "2026-11-24T09:30:00+00:00", "checksum": "sha256:<hex>",
     "tables": {"stretch": {"columns": ["id", "slug", ...], "rows": [[1, "neck-stretch", ...]]}}}

Every table on `Base.metadata` travels, whoever added it, unless it is marked
`info={"travels": False}` (the audit log, which stays with the install): content, settings,
screens and their schedules, patient sheets with their tokens, open counts, staff accounts
(password hashes), revisions, uploaded media (bytes as base64). Primary keys are kept, so
URLs, printed QR codes and references stay the same. The checksum covers `tables` (canonical
JSON), so a cut-off or edited file is refused; and as anyone can work a checksum out again,
every row is also held to the console's own rules (kiosk/transfer/rules.py): one row the console
would not have saved, and the whole file is refused, saying which and why. An import checks
the whole file first, then replaces every row of every table in one transaction: it either all
happens or nothing changes; every staff session ends with it. A file made by an older version
of the kiosk is first brought up to date by the kiosk's own migrations, in a scratch database,
so a backup stays good after an update.

The steps, one module each: `fileformat` (what the file is, and the names every step shares),
`codecs` (values by column type), `exporting`, `reading` (checking a whole file before anything
is touched), `older` (a file from an older kiosk brought up to date), `importing`, and `cli`
(the `flask export` and `flask import` commands).
"""

from kiosk.transfer.cli import init_app
from kiosk.transfer.codecs import codec
from kiosk.transfer.exporting import export_all, export_filename
from kiosk.transfer.fileformat import (
    MAX_FILE_BYTES,
    NOTHING_CHANGED,
    TransferError,
    checksum,
    summary,
    travelling_tables,
)
from kiosk.transfer.importing import import_all

__all__ = [
    "MAX_FILE_BYTES",
    "NOTHING_CHANGED",
    "TransferError",
    "checksum",
    "codec",
    "export_all",
    "export_filename",
    "import_all",
    "init_app",
    "summary",
    "travelling_tables",
]
