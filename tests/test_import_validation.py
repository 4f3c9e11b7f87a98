"""An import holds every row to the console's own rules: a file edited by hand, its checksum
worked out again, is refused with the reason when any row is one the console would never have
saved (HTML as a photo, a javascript: link, a 5,000-character name, an account with a plain
password), and the database stays exactly as it was. Honest exports still import.

Every test runs on SQLite, and on PostgreSQL too when KIOSK_TEST_POSTGRES=1.
"""

import base64
import copy
import hashlib
import io
import secrets
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from kiosk import transfer
from kiosk.db import Base, get_session
from kiosk.media import store_upload
from kiosk.models import Clinic, Routine, RoutineItem, Stretch
from kiosk.patient_sheets import Choice, make_patient_sheet
from kiosk.transfer import rules
from tests import test_transfer
from tests.staff_helpers import signed_in
from tests.test_media import image_bytes, mp4, webm
from tests.test_transfer import dump, export, import_into, packed, unpacked, upload

# Fixtures: the clinic's kiosk after months of use, and a fresh machine it moves to.
clinic, new_machine, new_machine_url = (test_transfer.clinic, test_transfer.new_machine,
                                        test_transfer.new_machine_url)

SCRIPT = b"<!doctype html><script>fetch('/staff/transfer/download')</script>"


# ---- Editing an export as an attacker would: change rows, then work the checksum out again.

def cell(document: dict, table: str, column: str, row: int = 0):
    part = document["tables"][table]
    return part["rows"][row][part["columns"].index(column)]


def set_cells(document: dict, table: str, row: int = 0, **values):
    part = document["tables"][table]
    for column, value in values.items():
        part["rows"][row][part["columns"].index(column)] = value


def add_row(document: dict, table: str, like: int = 0, **values) -> int:
    """A copy of row `like` with `values` and the next id; returns its (0-based) index."""
    part = document["tables"][table]
    part["rows"].append(copy.deepcopy(part["rows"][like]))
    index = len(part["rows"]) - 1
    ids = [row[part["columns"].index("id")] for row in part["rows"]]
    set_cells(document, table, index, id=max(ids) + 1, **values)
    return index


def media_bytes(document: dict, data: bytes, mime_type: str, row: int = 0):
    """The media row holds `data` as `mime_type`, its size and fingerprint made to match."""
    set_cells(document, "media", row, mime_type=mime_type,
              data=base64.b64encode(data).decode(), byte_size=len(data),
              sha256=hashlib.sha256(data).hexdigest())


def html_as(mime_type: str):
    return lambda document: media_bytes(document, SCRIPT, mime_type)


def staff(**values):
    return lambda document: set_cells(document, "staff_account", 0, **values)


def extra_admin(password_hash: str):
    def edit(document):
        index = add_row(document, "staff_account", username="mallory", role="admin",
                        password_hash=password_hash)
        if "session_key" in document["tables"]["staff_account"]["columns"]:
            set_cells(document, "staff_account", index, session_key=secrets.token_hex(32))
    return edit


def clinic_values(**values):
    return lambda document: set_cells(document, "clinic", 0, **values)


def stretch_values(**values):
    return lambda document: set_cells(document, "stretch", 0, **values)


def restored_clinic(booking_url: str):
    """A revision whose record a restore from the history would put back: the clinic with a
    javascript: link."""
    def edit(document):
        clinic_row = dict(zip(document["tables"]["clinic"]["columns"],
                              document["tables"]["clinic"]["rows"][0], strict=True))
        record = {name: clinic_row[name] for name in
                  ("name", "therapist", "phone", "booking_url", "address", "hours", "public_url")}
        add_row(document, "revision", entity="clinic", entity_id=clinic_row["id"],
                summary="Saved clinic settings", before=record,
                after={**record, "booking_url": booking_url})
    return edit


def made_at(document: dict, later_by: timedelta) -> str:
    """A moment `later_by` after the file says it was made, as an export writes moments."""
    return (datetime.fromisoformat(document["created_at"]) + later_by).isoformat()


def screen_moment(column: str, later_by: timedelta):
    return lambda document: set_cells(document, "screen", 0,
                                      **{column: made_at(document, later_by)})


def staff_moment(column: str, later_by: timedelta):
    return lambda document: set_cells(document, "staff_account", 0,
                                      **{column: made_at(document, later_by)})


def failed_sign_in_in(year: int):
    """A refused sign-in dated `year`: the account it names stays locked out until then."""
    def edit(document):
        part = document["tables"]["sign_in_failure"]
        row = dict.fromkeys(part["columns"])
        row.update(id=1, key="0" * 64, at=f"{year}-01-01T00:00:00+00:00")
        part["rows"] = [[row[column] for column in part["columns"]]]
    return edit


def schedule_at(starts: str):
    return lambda document: set_cells(document, "screen_schedule", 0, starts=starts)


CRAFTED = {
    "a media row typed text/html holding a script": (
        html_as("text/html"),
        "The file's media row 1: Its type is 'text/html', and photos and videos here are only "
        "JPEG, PNG or WebP images or MP4 or WebM videos."),
    "a media row claiming image/png that holds HTML": (
        html_as("image/png"),
        "The file's media row 1: It says image/png, but its bytes are no photo or video."),
    "a media row claiming image/png that holds a JPEG": (
        lambda document: set_cells(document, "media", 0, mime_type="image/png"),
        "The file's media row 1: It says image/png, but its bytes are image/jpeg."),
    "a media row whose fingerprint is not its bytes'": (
        lambda document: set_cells(document, "media", 0, sha256="0" * 64),
        "The file's media row 1: Its fingerprint (sha256) is not that of its bytes."),
    "a media row with another size in pixels": (
        lambda document: set_cells(document, "media", 0, width=4000),
        "The file's media row 1: Its size says 4000×48 pixels, but the picture is 64×48."),
    "a javascript: booking link": (
        clinic_values(booking_url="javascript:fetch('/staff/transfer/download')"),
        "The file's clinic row 1: Write a full web address starting with http:// or https://."),
    "a public address with no host": (
        clinic_values(public_url="https:/clinic"),
        "The file's clinic row 1: Write a full web address starting with http:// or https://."),
    "a 5,000-character clinic name": (
        clinic_values(name="Clinic " * 714 + "xx"),
        "The file's clinic row 1: Keep clinic name under 120 characters."),
    "a clinic time zone no clock runs on": (
        clinic_values(timezone="Mars/Olympus_Mons"),
        "The file's clinic row 1: Write a time zone as the world names it"),
    "a clinic address name with a slash": (
        clinic_values(slug="../clinic"),
        "The file's clinic row 1: Address name (slug): lowercase letters"),
    "a screen of a clinic the file has not got": (
        lambda document: set_cells(document, "screen", 0, clinic_id=99),
        "The file's screen row 1: Its clinic is not in the file."),
    "a patient sheet given by a clinic the file has not got": (
        lambda document: set_cells(document, "patient_sheet", 0, clinic_id=99),
        "The file's patient sheet row 1: Its clinic is not in the file."),
    "a clinic's own routine of a clinic the file has not got": (
        lambda document: set_cells(document, "routine", 0, clinic_id=99),
        "The file's routine row 1: Its clinic is not in the file."),
    "a staff account with a role the kiosk has not got": (
        staff(role="owner"), "The file's staff account row 1: Role: one of admin, staff."),
    "a staff account with an empty password hash": (
        staff(password_hash=""),
        "The file's staff account row 1: Password: it is not kept as a password hash this "
        "kiosk makes (it may be empty, or the password itself)."),
    "a staff account with its password in plain text": (
        staff(password_hash="stretch-slowly-2026"),
        "The file's staff account row 1: Password: it is not kept as a password hash"),
    "an extra admin with a plain-text password": (
        extra_admin("letmein-please"),
        "The file's staff account row 2: Password: it is not kept as a password hash"),
    "an extra admin with a hash one guess costs nothing": (
        extra_admin(generate_password_hash("letmein-please", "pbkdf2:sha256:1")),
        "The file's staff account row 2: Password: its hash is too quick to guess"),
    "an account whose hash would tie up a sign-in": (
        staff(password_hash="scrypt:1073741824:8:1$abcdefghABCDEFGH$" + "0" * 128),
        "The file's staff account row 1: Password: its hash is too quick to guess, or too "
        "slow to check at sign-in"),
    "a staff account with a username no form makes": (
        staff(username="Jade <b>Tran</b>"),
        "The file's staff account row 1: Username: 2 to 40 characters"),
    "a hold the stretch form would refuse": (
        stretch_values(hold_seconds=6000),
        "The file's stretch row 1: Hold (seconds): A hold is 1 to 600 seconds."),
    "a demonstration that is not a built-in figure": (
        stretch_values(demonstration="../../etc/passwd"),
        "The file's stretch row 1: Demonstration: Not a valid choice."),
    "sides the console does not offer": (
        stretch_values(sides=["up", "down"]),
        "The file's stretch row 1: Sides: none, left then right, or forwards then backwards"),
    "21 steps": (stretch_values(steps=["Breathe."] * 21),
                 "The file's stretch row 1: Steps: at most 20; it has 21."),
    "a step of 501 characters": (
        stretch_values(steps=["x" * 501]),
        "The file's stretch row 1: Steps: Field cannot be longer than 500 characters."),
    "a schedule time that is no time": (
        schedule_at("25:00"),
        "The file's screen row 1: Schedule, time 1: Times look like 07:30."),
    "a patient sheet whose token is easy to guess": (
        lambda document: set_cells(document, "patient_sheet", 0, token="1"),
        "The file's patient sheet row 1: Token: 16 to 64 letters, digits"),
    "a patient sheet note over the limit": (
        lambda document: set_cells(document, "patient_sheet", 0, note="n" * 501),
        "The file's patient sheet row 1: The note is 501 characters; keep it under 500."),
    "text longer than its column (SQLite would keep it)": (
        lambda document: set_cells(document, "screen", 0, last_slide="s" * 5000),
        "The file's screen row 1: Last slide is 5,000 characters long; this kiosk keeps at "
        "most 200."),
    "a NUL character in a passage": (
        lambda document: set_cells(document, "passage", 0, body="Stretch\x00 gently"),
        "The file's passage row 1: Body holds a NUL character"),
    "a content version with no room to count": (
        lambda document: set_cells(document, "content_state", 0, version=2**31 - 1),
        "The file's content state row 1: Version is 2147483647; it must be from 0 to "
        "1,000,000,000."),
    "a screen with an empty report key (anyone could sign its pairing cookie)": (
        lambda document: set_cells(document, "screen", 0, report_key=""),
        "The file's screen row 1: Report key: 64 lowercase hex characters"),
    "a screen with a guessable report key": (
        lambda document: set_cells(document, "screen", 0, report_key="a"),
        "The file's screen row 1: Report key: 64 lowercase hex characters"),
    "a screen whose report key is not lowercase hex": (
        lambda document: set_cells(document, "screen", 0, report_key="G" * 64),
        "The file's screen row 1: Report key: 64 lowercase hex characters"),
    "an account with an empty session key": (
        staff(session_key=""),
        "The file's staff account row 1: Session key: 64 lowercase hex characters"),
    "a refused sign-in dated 2099 (a lock-out until then)": (
        failed_sign_in_in(2099), "The file's sign in failure row 1: At is 2099-01-01 00:00, "
                                 "after the file was made"),
    "a screen last heard from after the file was made (alive forever)": (
        screen_moment("last_report_at", timedelta(days=365 * 70)),
        "The file's screen row 1: Last report at is "),
    "a screen last heard from an hour after the file was made": (
        screen_moment("last_report_at", timedelta(hours=1)),
        "The file's screen row 1: Last report at is "),
    "an account whose password changes in the future": (
        staff_moment("password_changed_at", timedelta(days=1)),
        "The file's staff account row 1: Password changed at is "),
    "a screen showing a routine now for longer than the console allows": (
        screen_moment("override_until", timedelta(minutes=721 + 5)),
        "The file's screen row 1: It shows a routine now until "),
    "a history record a restore would put back with a javascript: link": (
        restored_clinic("javascript:alert(1)"),
        ": The clinic as it was after that change: Write a full web address starting with "
        "http:// or https://."),
}


@pytest.mark.parametrize("kind", CRAFTED)
def test_a_crafted_export_is_refused_with_its_reason_and_changes_nothing(
        app, clinic, new_machine, kind):
    edit, reason = CRAFTED[kind]
    document = unpacked(export(app))
    edit(document)
    crafted = packed(document)  # the checksum worked out again: the file looks whole
    before, exported_before = dump(new_machine), export(new_machine)
    with pytest.raises(transfer.TransferError) as refusal:
        import_into(new_machine, crafted)
    message = str(refusal.value)
    assert message.startswith("The file's ") and reason in message, message
    assert message.endswith("Nothing was changed.")
    assert dump(new_machine) == before
    # Byte for byte, but for the moment each export is made.
    assert ({**unpacked(export(new_machine)), "created_at": None}
            == {**unpacked(exported_before), "created_at": None})


def test_the_console_upload_shows_the_reason_and_changes_nothing(app, clinic, new_machine):
    document = unpacked(export(app))
    html_as("text/html")(document)
    client = signed_in(new_machine, role="admin")
    before = dump(new_machine)
    response = upload(client, packed(document))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The file&#39;s media row 1: Its type is &#39;text/html&#39;" in page
    assert "Nothing was changed." in page
    assert dump(new_machine) == before


def test_the_import_command_says_why_and_changes_nothing(app, clinic, new_machine, tmp_path):
    document = unpacked(export(app))
    clinic_values(booking_url="javascript:alert(1)")(document)
    file = tmp_path / "crafted.json.gz"
    file.write_bytes(packed(document))
    before = dump(new_machine)
    result = new_machine.test_cli_runner().invoke(args=["import", str(file), "--yes"])
    assert result.exit_code == 1
    assert "The file's clinic row 1: Write a full web address" in result.output
    assert dump(new_machine) == before


# ---- Honest files still come in.

def test_every_kind_of_upload_travels(app, clinic, new_machine):
    """An export holding a photo of each kind and both kinds of video imports as it was."""
    with app.app_context():
        session = get_session()
        for name, content in (("a.png", image_bytes("PNG")), ("a.webp", image_bytes("WEBP")),
                              ("a.jpg", image_bytes("JPEG", size=(3000, 2000))),
                              ("a.mp4", mp4()), ("a.webm", webm())):
            store_upload(session, name, io.BytesIO(content))
        session.commit()
    counts = import_into(new_machine, export(app))
    assert counts["media"] == 6
    assert dump(new_machine) == dump(app)


def test_a_group_of_clinics_travels(app, clinic, new_machine):
    """Two clinics, each with a screen, a patient sheet and a routine of its own, come in as
    they were, and the second clinic's screen still gives its own phone."""
    runner = app.test_cli_runner()
    for args in (["add-clinic", "north-lakes", "--name", "North Lakes", "--phone",
                  "07 3000 9999", "--timezone", "Australia/Brisbane"],
                 ["add-screen", "--clinic", "north-lakes", "Front desk"]):
        assert runner.invoke(args=args).exit_code == 0
    with app.app_context():
        session = get_session()
        north = session.scalar(select(Clinic).filter_by(slug="north-lakes"))
        stretch = session.scalar(select(Stretch).order_by(Stretch.neck_order))
        make_patient_sheet(session, [Choice(stretch)], clinic=north)
        session.add(Routine(slug="north-mornings", title="North mornings", clinic=north,
                            items=[RoutineItem(stretch=stretch, position=1)]))
        session.commit()
    counts = import_into(new_machine, export(app))
    assert counts["clinic"] == 2
    assert dump(new_machine) == dump(app)
    page = new_machine.test_client().get("/display/front-desk/contact").get_data(as_text=True)
    assert "07 3000 9999" in page


def test_an_extra_admin_made_by_a_kiosk_comes_in(app, clinic, new_machine):
    """The file's accounts replace the kiosk's, as they always have: only ones no kiosk
    would make are refused."""
    document = unpacked(export(app))
    extra_admin(generate_password_hash("a-strong-passphrase"))(document)
    counts = import_into(new_machine, packed(document))
    assert counts["staff_account"] == len(document["tables"]["staff_account"]["rows"])


def test_a_stretch_with_no_built_in_demonstration_comes_in(app, clinic, new_machine):
    with app.app_context():
        session = get_session()
        stretch = session.scalar(select(Stretch).order_by(Stretch.id))
        stretch.demonstration = ""
        session.commit()
    import_into(new_machine, export(app))
    assert dump(new_machine) == dump(app)


def test_every_table_has_rules_or_a_reason_it_needs_none():
    """A table added later is held to the console's rules too, or says why it needs none."""
    travelling = {table.name for table in Base.metadata.sorted_tables
                  if table.info.get("travels", True)}
    assert travelling - set(rules.RULES) - set(rules.COLUMNS_ONLY) == set()


def test_a_picture_with_more_pixels_than_an_upload_may_have_is_refused(app, clinic,
                                                                       new_machine, monkeypatch):
    monkeypatch.setattr("kiosk.media.images.MAX_PIXELS", 64 * 48 - 1)
    with pytest.raises(transfer.TransferError, match="media row 1: An upload of its bytes would "
                                                     "have been refused: That image is too"):
        import_into(new_machine, export(app))


def test_an_animated_picture_is_refused(app, clinic, new_machine):
    frames = [Image.new("RGB", (64, 48), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:])
    document = unpacked(export(app))
    media_bytes(document, out.getvalue(), "image/png")
    set_cells(document, "media", 0, width=64, height=48)
    with pytest.raises(transfer.TransferError,
                       match="It says image/png, but its bytes are an animated image"):
        import_into(new_machine, packed(document))


def test_moments_a_few_minutes_after_the_file_was_made_come_in(app, clinic, new_machine):
    """Two machines' clocks a little apart, and a "show now" of the longest the console
    offers, started as the file was made."""
    document = unpacked(export(app))
    screen_moment("last_report_at", timedelta(minutes=2))(document)
    screen_moment("override_until", timedelta(minutes=720))(document)
    import_into(new_machine, packed(document))


def test_a_file_that_says_it_was_made_in_the_future_is_refused(app, clinic, new_machine):
    """Otherwise a file dated 2099 could carry moments up to 2099 past the check above."""
    document = unpacked(export(app))
    document["created_at"] = "2099-01-01T00:00:00+00:00"
    failed_sign_in_in(2098)(document)
    before = dump(new_machine)
    with pytest.raises(transfer.TransferError, match="made on 2099-01-01 00:00, which is "
                                                     "still to come"):
        import_into(new_machine, packed(document))
    assert dump(new_machine) == before


@pytest.mark.parametrize("change", ["no admin", "the admin deactivated"])
def test_a_file_with_no_active_admin_is_refused(app, clinic, new_machine, change):
    document = unpacked(export(app))
    part = document["tables"]["staff_account"]
    for index in range(len(part["rows"])):
        if change == "no admin":
            set_cells(document, "staff_account", index, role="staff")
        else:
            set_cells(document, "staff_account", index, active=False)
    before = dump(new_machine)
    with pytest.raises(transfer.TransferError) as refusal:
        import_into(new_machine, packed(document))
    assert str(refusal.value).startswith(
        "The file has no active admin account: nobody could manage this kiosk after importing "
        "it.")
    assert dump(new_machine) == before
