"""What an import may bring in: every row as the console itself would have saved it.

An export's checksum only says the file is whole, and anyone can work it out again for a file
they have edited. So before an import replaces anything, every row of every table is put to
the rules the console's own forms and uploads apply, calling their checks wherever they stand
on their own: the clinic settings' `check`, the stretch form, a routine's rows, the screen
form, account names and roles, patient sheets' tokens and notes, and media re-sniffed and
verified as an upload is. What a restore from the history would bring back (a revision's
record) is held to the same rules. Any text is at most its column's length (SQLite does not
enforce it), valid Unicode with no NUL; counters and ids leave room to count on.

`first_problem` names the first row that fails and says what is wrong with it, in words;
kiosk/transfer/ then refuses the whole file.
"""

import hashlib
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import Integer, TypeDecorator
from werkzeug.datastructures import MultiDict
from werkzeug.security import DEFAULT_PBKDF2_ITERATIONS
from wtforms.fields.choices import SelectChoice

from kiosk import figures
from kiosk.accounts import USERNAME
from kiosk.db import SLUG, Base
from kiosk.media import stored_media_problem
from kiosk.models import (
    LONGEST_SHOW_NOW_MINUTES,
    MAX_ITEMS,
    MAX_STEPS,
    MAX_WINDOWS,
    MEDIA_KINDS,
    MEMBER_ROLES,
    ROLES,
    SLIDE_KINDS,
    TRANSLATION_STATUSES,
    Clinic,
    Routine,
    Screen,
)
from kiosk.patient_sheets import NOTE_LIMIT
from kiosk.revisions import CLINIC_LISTS, ENTITY_NAMES, FIELDS
from kiosk.staff.forms import (
    SIDES,
    ItemForm,
    NoticeForm,
    ScreenForm,
    SettingsForm,
    StretchForm,
    sides_key,
)
from kiosk.transfer.codecs import codec

# As kiosk/db.py's unique_slug makes them: the address of a stretch, routine or screen.
# As kiosk.models.new_key makes them: a screen's report key signs its pairing cookie (an empty
# one would let anyone sign it), an account's session key names it in a session cookie.
KEY = re.compile(r"[0-9a-f]{64}")
SHA256 = KEY  # a fingerprint, as hashlib's hexdigest writes it
# As secrets.token_urlsafe makes them (kiosk/patient_sheets.py makes 16 characters).
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
SHEET_KINDS = ("routine", "patient")  # what kiosk/sheets.py counts opens of
# A version, an open count or an id this far from the largest a column holds leaves room for
# a billion more: a file near the limit would make every later save or count fail.
MOST_COUNTED = 10**9
COUNTERS = {"version", "opens"}
# Columns saying when something happened: never after the file was made. A sign-in failure
# dated 2099 would lock its account out until then, a screen's last report would keep it
# "alive" forever. The allowance covers two machines' clocks a little apart.
HAPPENED = {"created_at", "revoked_at", "at", "seeded_at", "changed_at", "updated_at",
            "password_changed_at", "last_report_at"}
CLOCK_ALLOWANCE = timedelta(minutes=5)
NO_ADMIN = ("The file has no active admin account: nobody could manage this kiosk after "
            "importing it.")

# Werkzeug's password hashes: "scrypt:N:r:p$salt$hex" or "pbkdf2:sha256:iterations$salt$hex".
PASSWORD_HASH = re.compile(r"(?P<method>[^$]{1,40})\$(?P<salt>[A-Za-z0-9]{8,64})"
                           r"\$(?P<digest>[0-9a-f]{64}|[0-9a-f]{128})")
SCRYPT = re.compile(r"scrypt:(\d{1,12}):(\d{1,4}):(\d{1,4})")
PBKDF2 = re.compile(r"pbkdf2:(sha256|sha512):(\d{1,12})")
DIGEST_LENGTHS = {"scrypt": 128, "sha256": 64, "sha512": 128}
# Costly to guess (from half Werkzeug's default cost up), yet never so slow that a sign-in
# ties up the server (up to four times it for scrypt, 128 MB; twice it for PBKDF2).
SCRYPT_COST = (2**15 * 8 // 2, 2**15 * 8 * 4)
PBKDF2_ITERATIONS = (100_000, 2 * DEFAULT_PBKDF2_ITERATIONS)


class Content:
    """The file's rows, with what one row's rules need to see of other tables."""

    def __init__(self, rows: dict[str, list[dict]]):
        self.rows = rows
        self._by_id = {}
        self._children = {}

    def by_id(self, table: str) -> dict:
        if table not in self._by_id:
            self._by_id[table] = {row["id"]: row for row in self.rows.get(table, [])}
        return self._by_id[table]

    def row(self, table: str, row_id) -> dict | None:
        return self.by_id(table).get(row_id)

    def ids(self, table: str) -> set:
        return set(self.by_id(table))

    def children(self, table: str, parent: str, parent_id) -> list[dict]:
        """`table`'s rows whose `parent` is `parent_id`, in their order (position)."""
        if table not in self._children:
            grouped = defaultdict(list)
            for row in sorted(self.rows.get(table, []), key=lambda row: row["position"]):
                grouped[row[parent]].append(row)
            self._children[table] = grouped
        return self._children[table].get(parent_id, [])

    def clinic_lists(self) -> dict[str, list[str]]:
        return {name: [row["text"] for row in sorted(self.rows.get(model.__tablename__, []),
                                                     key=lambda row: row["position"])]
                for name, model in CLINIC_LISTS.items()}


# ---- Each table's rules. Each returns what is wrong, in words, or None.

def form_problem(form, labelled: bool = False) -> str | None:
    """The first thing `form` (filled from a row, checked as the console checks a save) finds
    wrong; with `labelled`, after the field's label ("Hold (seconds): A hold is ...")."""
    if form.validate():
        return None
    name, messages = next(iter(form.errors.items()))
    while isinstance(messages, list):  # a repeating field's errors are a list per row
        messages = next(message for message in messages if message)
    return f"{form[name].label.text}: {messages}" if labelled else messages


def filled(form_class, fields: list[tuple[str, object]]):
    return form_class(formdata=MultiDict(fields), meta={"csrf": False})


def clinic_problem(row: dict, content: Content, lists: dict | None = None) -> str | None:
    """The clinic settings form's own check, with the warning signs, safety notes and tips."""
    lists = content.clinic_lists() if lists is None else lists
    if slug_problem(row["slug"]):
        return slug_problem(row["slug"])
    form = filled(SettingsForm, [(name, row[name]) for name in SettingsForm.TEXTS]
                  + [(name, "\n".join(lists[name])) for name in SettingsForm.LISTS])
    message = form_problem(form)
    if message is None:
        return None
    name = next(iter(form.errors))
    label = form[name].label.text.split(" (")[0] if name in SettingsForm.LISTS else ""
    return f"{label}: {message}" if label and not message.startswith(label) else message


def clinic_id_problem(row: dict, content: Content) -> str | None:
    """A screen's, a patient sheet's or a clinic's own routine's clinic is in the file."""
    if row["clinic_id"] is not None and row["clinic_id"] not in content.ids("clinic"):
        return "Its clinic is not in the file."
    return None


def stretch_problem(row: dict, content: Content) -> str | None:
    return slug_problem(row["slug"]) or stretch_form_problem(row)


def stretch_form_problem(values: dict) -> str | None:
    """The stretch form's rules: title, region, place, hold, repetitions, sides, position,
    cautions, demonstration, and one to MAX_STEPS steps of text."""
    if list(values["sides"]) not in SIDES.values():
        return "Sides: none, left then right, or forwards then backwards; nothing else."
    steps = values["steps"]
    if len(steps) > MAX_STEPS:
        return f"Steps: at most {MAX_STEPS}; it has {len(steps)}."
    if any(not step.strip() for step in steps):
        return "Steps: one of its steps is empty."
    fields = [("title", values["title"]), ("body_region", values["body_region"]),
              ("neck_order", str(values["neck_order"])),
              ("hold_seconds", str(values["hold_seconds"])),
              ("repetitions", str(values["repetitions"])), ("sides", sides_key(values["sides"])),
              ("position", values["position"]), ("cautions", values["cautions"]),
              ("demonstration", values["demonstration"])]
    fields += [(f"steps-{n}", step) for n, step in enumerate(steps)]
    form = filled(StretchForm, fields)
    # The form's choices, and '' for a stretch that shows no built-in demonstration.
    form.demonstration.choices = [SelectChoice(name, name) for name in ("", *figures.names())]
    return form_problem(form, labelled=True)


def patient_sheet_item_problem(row: dict, content: Content) -> str | None:
    """A stretch as it was when the sheet was made: the stretch's own rules."""
    return slug_problem(row["slug"]) or stretch_form_problem(
        {**row, "position": row["stretch_position"], "neck_order": 1})


def routine_problem(row: dict, content: Content, items: list | None = None) -> str | None:
    """As the routine form checks it before saving (kiosk/staff/forms.py's RoutineForm)."""
    items = content.children("routine_item", "routine_id", row["id"]) if items is None else items
    if clinic_id_problem(row, content):
        return clinic_id_problem(row, content)
    if not row["title"]:
        return "Give the routine a title."
    if len(row["title"]) > 120:
        return "Keep the title under 120 characters."
    if len(row["description"]) > 2000:
        return "Keep the description under 2000 characters."
    if not items:
        return "Add at least one stretch."
    if len(items) > MAX_ITEMS:
        return f"A routine has at most {MAX_ITEMS} stretches; it has {len(items)}."
    return slug_problem(row["slug"])


def routine_item_problem(row: dict, content: Content) -> str | None:
    """A routine's own hold and repetitions, as the routine form's rows check them."""
    return form_problem(filled(ItemForm, [
        ("hold", "" if row["hold_seconds"] is None else str(row["hold_seconds"])),
        ("repetitions", "" if row["repetitions"] is None else str(row["repetitions"]))]))


def screen_problem(row: dict, content: Content, windows: list | None = None) -> str | None:
    """The screen form's check: name, routine, timings, slides, orientation, schedule."""
    if windows is None:
        windows = content.children("screen_schedule", "screen_id", row["id"])
    if not KEY.fullmatch(row["report_key"]):
        return "Report key: 64 lowercase hex characters, as the kiosk makes it."
    if row["clinic_id"] is None or clinic_id_problem(row, content):
        return "Its clinic is not in the file."
    kinds = row["slide_kinds"]
    if not set(kinds) <= set(SLIDE_KINDS) or len(set(kinds)) != len(kinds):
        return f"Slides: each of {', '.join(SLIDE_KINDS)} at most once; nothing else."
    if len(windows) > MAX_WINDOWS:
        return f"A screen has at most {MAX_WINDOWS} times on its schedule; it has {len(windows)}."
    spoken = row.get("languages") or ["en"]
    if len(set(spoken)) != len(spoken) or not all(isinstance(code, str) for code in spoken):
        return "Languages: each at most once."
    fields = [("name", row["name"]), ("routine", row["routine_id"] or ""),
              ("dwell", str(row["dwell_seconds"])), ("idle", str(row["idle_seconds"])),
              ("orientation", row["orientation"]), *(("kinds", kind) for kind in kinds),
              *(("languages", code) for code in spoken), ("first_language", spoken[0])]
    for n, window in enumerate(windows):
        fields += [(f"window-{n}-routine", window["routine_id"]),
                   (f"window-{n}-starts", window["starts"]), (f"window-{n}-ends", window["ends"]),
                   *((f"window-{n}-days", day) for day in window["weekdays"])]
    form = filled(ScreenForm, fields)
    form.offer([SelectChoice(routine_id, "") for routine_id in content.ids("routine")])
    if form.validate():
        return slug_problem(row["slug"])
    number, window = next(((n, w) for n, w in enumerate(form.window, start=1) if w.errors),
                          (0, None))
    if window is None:
        return form_problem(form)
    return f"Schedule, time {number}: {form_problem(window.form)}"


def screen_schedule_problem(row: dict, content: Content) -> str | None:
    """Weekdays as the screen form keeps them (the rest is checked with its screen)."""
    days = row["weekdays"]
    if days != sorted(set(days)) or not all(0 <= day < 7 for day in days):
        return "Days: 0 (Monday) to 6 (Sunday), each once, in order."
    return None


def staff_account_problem(row: dict, content: Content) -> str | None:
    """As `flask add-staff` makes accounts (kiosk/accounts.py)."""
    if not USERNAME.fullmatch(row["username"]):
        return ("Username: 2 to 40 characters: lowercase letters, digits, '.', '_' or '-', "
                "starting with a letter or digit.")
    if row["role"] not in ROLES:
        return f"Role: one of {', '.join(ROLES)}."
    if not KEY.fullmatch(row["session_key"]):
        return "Session key: 64 lowercase hex characters, as the kiosk makes it."
    return password_hash_problem(row["password_hash"])


def clinic_membership_problem(row: dict, content: Content) -> str | None:
    """As add-staff and the accounts page make them: an account of the file, at a clinic of the
    file, as staff or as the clinic's admin."""
    if row["role"] not in MEMBER_ROLES:
        return f"Role at the clinic: one of {', '.join(MEMBER_ROLES)}."
    if row["staff_account_id"] not in content.ids("staff_account"):
        return "Its account is not in the file."
    if clinic_id_problem(row, content) or row["clinic_id"] is None:
        return "Its clinic is not in the file."
    return None


def password_hash_problem(value: str) -> str | None:
    """Why `value` is not a password hash as this kiosk keeps them (Werkzeug's scrypt or PBKDF2,
    costly to guess yet quick enough to check), or None. A password itself never is one."""
    match = PASSWORD_HASH.fullmatch(value)
    if match is None:
        return ("Password: it is not kept as a password hash this kiosk makes (it may be empty, "
                "or the password itself).")
    scrypt, pbkdf2 = SCRYPT.fullmatch(match["method"]), PBKDF2.fullmatch(match["method"])
    if scrypt:
        n, r, p = map(int, scrypt.groups())
        fits = n & (n - 1) == 0 and r >= 1 and p >= 1 and (
            SCRYPT_COST[0] <= n * r * p <= SCRYPT_COST[1])
        digest = "scrypt"
    elif pbkdf2:
        digest, iterations = pbkdf2[1], int(pbkdf2[2])
        fits = PBKDF2_ITERATIONS[0] <= iterations <= PBKDF2_ITERATIONS[1]
    else:
        return "Password: kept by a method other than scrypt or PBKDF2, which this kiosk uses."
    if not fits:
        return ("Password: its hash is too quick to guess, or too slow to check at sign-in, "
                "compared with the ones this kiosk makes.")
    if len(match["digest"]) != DIGEST_LENGTHS[digest]:
        return "Password: its hash is cut short or too long."
    return None


def patient_sheet_problem(row: dict, content: Content) -> str | None:
    if not TOKEN.fullmatch(row["token"]):
        return ("Token: 16 to 64 letters, digits, '-' or '_' (it is the sheet's web address, "
                "and must be hard to guess).")
    if len(row["note"]) > NOTE_LIMIT:
        return f"The note is {len(row['note'])} characters; keep it under {NOTE_LIMIT}."
    if row["clinic_id"] is None or clinic_id_problem(row, content):
        return "Its clinic is not in the file."
    return None


def sheet_open_problem(row: dict, content: Content) -> str | None:
    if row["kind"] not in SHEET_KINDS:
        return f"Kind: {' or '.join(SHEET_KINDS)}."
    if row["opens"] < 1:
        return "Opens: a day's count is at least 1."
    if row["clinic_id"] is None or clinic_id_problem(row, content):
        return "Its clinic is not in the file."
    return None


def media_problem(row: dict, content: Content) -> str | None:
    """Checked as an upload is: its type, what its bytes are, its size in pixels; and the
    size and fingerprint stored with it are those of its bytes."""
    if row["kind"] not in MEDIA_KINDS:
        return f"Kind: {' or '.join(MEDIA_KINDS)}."
    problem = stored_media_problem(row["kind"], row["mime_type"], row["data"], row["width"],
                                   row["height"])
    if problem:
        return problem
    if row["byte_size"] != len(row["data"]):
        return f"Its size says {row['byte_size']} bytes, but it has {len(row['data'])}."
    if row["sha256"] != hashlib.sha256(row["data"]).hexdigest():
        return "Its fingerprint (sha256) is not that of its bytes."
    return None


def notice_problem(row: dict, content: Content) -> str | None:
    """The notice form's check (title, lines, dates, the photo's words); its clinic, if it has
    one, and its photo, if it has one, are in the file, and the photo is a photo."""
    if clinic_id_problem(row, content):
        return clinic_id_problem(row, content)
    if row["media_id"] is not None:
        media = content.row("media", row["media_id"])
        if media is None:
            return "Its photo is not in the file."
        if media["kind"] != "image":
            return "Its photo is a video; a notice shows only photos."
    form = filled(NoticeForm, [
        ("title", row["title"]), ("body", row["body"]), ("photo_text", row["photo_text"]),
        ("shows_from", str(row["shows_from"])), ("shows_until", str(row["shows_until"]))])
    return form_problem(form)


def translation_problem(row: dict, content: Content) -> str | None:
    """A piece of content in a language the kiosk knows, as a reviewer leaves it."""
    problem = language_problem(row["language"])
    if problem:
        return problem
    if row["status"] not in TRANSLATION_STATUSES:
        return f"Status: {' or '.join(TRANSLATION_STATUSES)}."
    if not SHA256.fullmatch(row["source_sha256"]):
        return "Source fingerprint: 64 lowercase hex characters, as the kiosk makes it."
    if not row["text"].strip():
        return "It translates into nothing: a translation has words."
    return None


def language_approval_problem(row: dict, content: Content) -> str | None:
    return language_problem(row["language"])


def language_problem(code: str) -> str | None:
    from kiosk.languages import LANGUAGES, SOURCE

    if code not in LANGUAGES or code == SOURCE.code:
        return f"Language {code!r} is not one this kiosk translates into."
    return None


def revision_problem(row: dict, content: Content) -> str | None:
    """A record the history could restore, to the rules of the record it would become."""
    model = next((model for model, name in ENTITY_NAMES.items() if name == row["entity"]), None)
    if model is None:
        return f"It records a change to {row['entity']!r}, which the console does not edit."
    for side in ("before", "after"):
        if row[side] is not None:
            problem = record_problem(model, row[side], row["entity_id"], content)
            if problem:
                return f"The {row['entity']} as it was {side} that change: {problem}"
    return None


def record_problem(model, record: dict, entity_id: int, content: Content) -> str | None:
    """What a restore of `record` would make of the row: each value readable as its column's,
    and the row it would become within the console's rules."""

    table = model.__table__
    current = content.row(table.name, entity_id)
    restored = dict(current or {})
    for name in FIELDS[model]:
        if name not in record:
            continue  # kiosk.revisions.apply_snapshot leaves what the record does not say
        column, value = table.c[name], record[name]
        if value is None and not column.nullable:
            return f"it has no {name}."
        try:
            restored[name] = None if value is None else codec(column).decode(value)
        except (TypeError, ValueError) as error:
            return f"{name} holds a value this kiosk cannot read ({error})."
    related, problem = _related_in_record(model, record, content)
    if problem:
        return problem
    rule = RULES.get(table.name)
    if current is None or rule is None:  # nothing to restore it onto, or no rules of its own
        return column_problem(table, restored)
    return column_problem(table, restored) or rule(restored, content, **related)


def _related_in_record(model, record: dict, content: Content) -> tuple[dict, str | None]:
    """A routine's items, a screen's schedule, the clinic's lists, as a record holds them."""
    if model is Routine and "items" in record:
        items, problem = _dicts(record["items"], {"stretch_id": (int, "a whole number")},
                                {"hold_seconds": (int | None, "a whole number or empty"),
                                 "repetitions": (int | None, "a whole number or empty")})
        if problem:
            return {}, f"Stretches: {problem}"
        for number, item in enumerate(items, start=1):
            if item["stretch_id"] not in content.ids("stretch"):
                return {}, f"Stretch {number} is not in the file."
            item.setdefault("hold_seconds", None)
            item.setdefault("repetitions", None)
            error = routine_item_problem(item, content)
            if error:
                return {}, f"Stretch {number}: {error}"
        return {"items": items}, None
    if model is Screen and "schedule" in record:
        windows, problem = _dicts(record["schedule"], {
            "routine_id": (int, "a whole number"), "weekdays": (list, "a list of days"),
            "starts": (str, "a time"), "ends": (str, "a time")}, {})
        if problem:
            return {}, f"Schedule: {problem}"
        for number, window in enumerate(windows, start=1):
            if not all(_whole(day) for day in window["weekdays"]):
                return {}, f"Schedule, time {number}: days are numbers."
            error = screen_schedule_problem(window, content)
            if error:
                return {}, f"Schedule, time {number}: {error}"
        return {"windows": windows}, None
    if model is Clinic:
        lists = content.clinic_lists()
        for name in CLINIC_LISTS:
            if name in record:
                lines = record[name]
                if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
                    return {}, f"{name.replace('_', ' ').capitalize()}: lines of text."
                lists[name] = lines
        return {"lists": lists}, None
    return {}, None


def _dicts(value, needed: dict, optional: dict) -> tuple[list[dict], str | None]:
    """`value` as a list of entries with these parts, each of its kind (a type and its name
    in words), or what is wrong with it."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return [], "not a list of entries."
    kinds = needed | optional
    for item in value:
        if not set(needed) <= set(item) <= set(kinds):
            return [], f"an entry has other parts than {', '.join(kinds)}."
        for key, (kind, words) in kinds.items():
            if key in item and (not isinstance(item[key], kind) or isinstance(item[key], bool)):
                return [], f"an entry's {key} is not {words}."
    return [dict(item) for item in value], None


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def slug_problem(slug: str) -> str | None:
    if SLUG.fullmatch(slug):
        return None
    return "Address name (slug): lowercase letters, digits and '-', as the console makes it."


RULES = {
    "clinic": clinic_problem,
    "media": media_problem,
    "stretch": stretch_problem,
    "routine": routine_problem,
    "routine_item": routine_item_problem,
    "screen": screen_problem,
    "screen_schedule": screen_schedule_problem,
    "staff_account": staff_account_problem,
    "clinic_membership": clinic_membership_problem,
    "patient_sheet": patient_sheet_problem,
    "patient_sheet_item": patient_sheet_item_problem,
    "sheet_open": sheet_open_problem,
    "notice": notice_problem,
    "translation": translation_problem,
    "language_approval": language_approval_problem,
    "revision": revision_problem,
}
# Tables with no rules of their own beyond every column's (lengths, text, counters), and why.
COLUMNS_ONLY = {
    "tip": "checked with the clinic, as the settings form checks its lists",
    "safety_note": "checked with the clinic, as the settings form checks its lists",
    "warning_sign": "checked with the clinic, as the settings form checks its lists",
    "passage": "the article's prose: no console form edits it",
    "content_state": "a counter (kept within bounds by the column rules)",
    "seed_mark": "which parts of the article were added: a missing or extra mark only makes "
                 "the seed command add or skip that part",
    "sign_in_failure": "keyed hashes: without this install's secret key they match no one",
}


# ---- Every column: text, lengths, counters.

def column_problem(table, row: dict) -> str | None:
    return unreadable_text(table, row) or out_of_bounds(table, row)


def unreadable_text(table, row: dict) -> str | None:
    """Text that no form could have sent: a NUL character, or no valid Unicode."""
    for column in table.columns:
        for text in _texts(row.get(column.key)):
            if "\x00" in text:
                return f"{_words(column)} holds a NUL character, which no text here has."
            if not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    return f"{_words(column)} holds text that is not valid Unicode."
    return None


def out_of_bounds(table, row: dict) -> str | None:
    """Text longer than its column (SQLite would keep it), a counter or id with no room left."""
    for column in table.columns:
        value = row.get(column.key)
        length = getattr(column.type, "length", None)
        if isinstance(value, str) and length and len(value) > length:
            return (f"{_words(column)} is {len(value):,} characters long; this kiosk keeps at "
                    f"most {length}.")
        if value is not None and _counts_up(column) and not 0 <= value <= MOST_COUNTED:
            return f"{_words(column)} is {value}; it must be from 0 to {MOST_COUNTED:,}."
    return None


def _words(column) -> str:
    return column.name.replace("_", " ")


def _counts_up(column) -> bool:
    """A number the kiosk adds to (a version, a count), or an id new rows are numbered after."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if not isinstance(kind, Integer):
        return False
    single_key = column.primary_key and len(column.table.primary_key.columns) == 1
    return column.name in COUNTERS or single_key


def _texts(value):
    """Every piece of text in a value, inside JSON too (without recursion: nesting is deep)."""
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, list):
            waiting.extend(item)
        elif isinstance(item, dict):
            waiting.extend(item)
            waiting.extend(item.values())


# ---- The whole file.

def first_problem(rows: dict[str, list[dict]], made_at: datetime) -> str | None:
    """The first row the console would not have saved, naming its table and row and what is
    wrong, in words; None when every row passes. `made_at` is when the file says it was made."""
    if made_at.tzinfo is None:
        return "The file does not say in which time zone it was made."
    if made_at > datetime.now(UTC) + CLOCK_ALLOWANCE:
        return f"The file says it was made on {made_at:%Y-%m-%d %H:%M}, which is still to come."
    content = Content(rows)
    for table in Base.metadata.sorted_tables:
        rule = RULES.get(table.name)
        for number, row in enumerate(rows.get(table.name, []), start=1):
            # A table's own rules say a length in the console's words, so they come first.
            problem = (unreadable_text(table, row) or (rule and rule(row, content))
                       or out_of_bounds(table, row) or moment_problem(table, row, made_at))
            if problem:
                words = table.name.replace("_", " ")
                return f"The file's {words} row {number}: {_sentence(problem)}"
    if not any(account["role"] == "admin" and account["active"]
               for account in rows.get("staff_account", [])):
        return NO_ADMIN
    return None


def moment_problem(table, row: dict, made_at: datetime) -> str | None:
    """A moment after the file was made, or a "show now" longer than the console gives."""
    latest = made_at + CLOCK_ALLOWANCE
    for column in table.columns:
        moment = row.get(column.key)
        if not isinstance(moment, datetime):
            continue
        if column.name in HAPPENED and moment > latest:
            return (f"{_words(column).capitalize()} is {moment:%Y-%m-%d %H:%M}, after the file "
                    f"was made ({made_at:%Y-%m-%d %H:%M}).")
        longest = made_at + timedelta(minutes=LONGEST_SHOW_NOW_MINUTES) + CLOCK_ALLOWANCE
        if column.name == "override_until" and moment > longest:
            return (f"It shows a routine now until {moment:%Y-%m-%d %H:%M}; the console shows "
                    f"one for at most {LONGEST_SHOW_NOW_MINUTES} minutes.")
    return None


def _sentence(words: str) -> str:
    words = words.strip()
    return words[:1].upper() + words[1:] + ("" if words.endswith((".", "!", "?")) else ".")
