"""The schema: the clinic's content, its screens and sheets, staff, and the history of edits."""

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.db import Base, UtcDateTime

POSITIONS = ("seated", "standing", "floor")
# An account's role: "admin" is the organisation's admin (on a one-clinic install, simply the
# admin): the library, every clinic, accounts, export and import. "staff" works at the clinics
# its memberships name, as staff or as that clinic's admin (MEMBER_ROLES).
ROLES = ("admin", "staff")
MEMBER_ROLES = ("staff", "admin")
SLIDE_KINDS = ("notices", "stretch", "advice", "warning_signs", "contact")
MEDIA_KINDS = ("image", "video")
TRANSLATION_STATUSES = ("draft", "checked")

# Limits staff are held to, next to what they limit: the console's forms, the import's checks
# and the database's own constraints all read them from here.
TITLE_LENGTH = 120  # a stretch's or routine's title, a screen's or the clinic's name
HOLD_SECONDS = (1, 600)
REPETITIONS = (1, 50)
MAX_STEPS = 20  # of a stretch
MAX_ITEMS = 30  # stretches in a routine or on a patient's sheet
MAX_WINDOWS = 20  # times on a screen's schedule
DWELL_SECONDS = (3, 300)  # a slide stays up
IDLE_SECONDS = (20, 3600)  # without a touch before "Still there?"
LONGEST_SHOW_NOW_MINUTES = 720  # a "show now" lasts at most; an import holds override_until to it
NOTICE_LINES = 6  # a notice's few lines, as a waiting room reads them from across the room
NOTICE_LENGTH = 400  # characters of a notice's lines
NOTICE_DAYS = 366  # a notice runs at most this many days, from its first to its last


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_key() -> str:
    """A random key for a row (an account's sessions, a screen's reports): 256 bits, hex."""
    return secrets.token_hex(32)


class Versioned:
    """A row staff edit: `version` counts saves, so two editors cannot overwrite each other."""

    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, default=utcnow, onupdate=utcnow
    )


class Clinic(Versioned, Base):
    """A clinic of the install (most installs serve one): who to call, where phones reach the
    app, and the clock its screens' schedules run on."""

    __tablename__ = "clinic"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    therapist: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    booking_url: Mapped[str] = mapped_column(String(500), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[str] = mapped_column(Text, default="")
    public_url: Mapped[str] = mapped_column(String(500), default="")
    # An IANA name (Australia/Brisbane); empty: KIOSK_TIMEZONE, else the machine's own.
    timezone: Mapped[str] = mapped_column(String(64), default="")

    @classmethod
    def first(cls, session) -> "Clinic | None":
        """The install's first clinic: the one clinic of a one-clinic install."""
        return session.scalar(select(cls).order_by(cls.id).limit(1))

    @classmethod
    def several(cls, session) -> bool:
        """Whether the install serves a group of clinics (most serve one)."""
        return session.scalar(select(func.count()).select_from(cls)) > 1

    def in_sheet_addresses(self, session) -> str | None:
        """The clinic's part of its routine sheets' addresses (/c/<slug>/s/<routine>), so a
        sheet gives the phone of the clinic whose screen or paper led to it; None on a
        one-clinic install, whose sheets keep their short /s/<routine>."""
        return self.slug if Clinic.several(session) else None


class Passage(Versioned, Base):
    """A titled piece of the article's prose (give it time, the disclaimer, ...)."""

    __tablename__ = "passage"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class ListedText:
    """One line of an ordered list the clinic shows as it stands."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Tip(ListedText, Base):
    """A good-stretching rule."""

    __tablename__ = "tip"


class SafetyNote(ListedText, Base):
    __tablename__ = "safety_note"


class WarningSign(ListedText, Base):
    """A sign of a more serious back injury: see a doctor urgently."""

    __tablename__ = "warning_sign"


class Media(Base):
    """A photo or video staff uploaded to show instead of a stretch's animation.

    The bytes live here, in the database, so every app server behind a load balancer sees
    the same files, and a backup of the database is a backup of the media. kiosk/media/
    checks and re-encodes uploads before they get here.
    """

    __tablename__ = "media"
    __table_args__ = (CheckConstraint(f"kind IN {MEDIA_KINDS}", name="media_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    mime_type: Mapped[str] = mapped_column(String(40))
    # Deferred: pages that only link to the media never load the bytes.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    byte_size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)  # images only, in pixels
    height: Mapped[int | None] = mapped_column(Integer)
    # Of the stored bytes: the ETag, the fingerprint in URLs, and how a repeat upload is found.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class VideoStill(Base):
    """One frame of an uploaded video, as a small JPEG: its browse tile and its poster.

    Made from the video's bytes (kiosk/media/stills.py), so it is found by their fingerprint: the
    same video has the same still whatever row holds it. It stays with the install
    (`travels`): the kiosk makes it again from the video, on first need, so an export does
    not carry it and an import brings in no picture its checks have not seen.
    """

    __tablename__ = "video_still"
    __table_args__ = ({"info": {"travels": False}},)

    video_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    # No data when no frame could be decoded: the tile keeps the drawing, and nobody
    # decodes the video again to find that out.
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    byte_size: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the JPEG: ETag, fingerprint
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Stretch(Versioned, Base):
    __tablename__ = "stretch"
    __table_args__ = (
        CheckConstraint(f"position IN {POSITIONS}", name="stretch_position"),
        CheckConstraint("hold_seconds BETWEEN {} AND {}".format(*HOLD_SECONDS),
                        name="stretch_hold"),
        CheckConstraint("repetitions BETWEEN {} AND {}".format(*REPETITIONS),
                        name="stretch_repetitions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    body_region: Mapped[str] = mapped_column(String(80), default="")
    # Where the stretch sits when working from the neck down the body (smaller is higher).
    neck_order: Mapped[int] = mapped_column(Integer, default=100)
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    hold_seconds: Mapped[int] = mapped_column(Integer, default=10)
    repetitions: Mapped[int] = mapped_column(Integer, default=3)
    # What the follow-along timer alternates between, e.g. ["left", "right"]; empty for none.
    sides: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[str] = mapped_column(String(20), default="standing")
    cautions: Mapped[str] = mapped_column(Text, default="")
    # The name of a built-in animated demonstration, shown unless media_id names an upload.
    demonstration: Mapped[str] = mapped_column(String(80), default="")
    media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    retired: Mapped[bool] = mapped_column(default=False)


class Routine(Versioned, Base):
    __tablename__ = "routine"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # A clinic's own routine; none: the organisation's library, which every clinic shows.
    clinic_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinic.id", ondelete="CASCADE"), index=True
    )
    clinic: Mapped[Clinic | None] = relationship()
    items: Mapped[list["RoutineItem"]] = relationship(
        order_by="RoutineItem.position", cascade="all, delete-orphan"
    )


class RoutineItem(Base):
    """A stretch in a routine; hold and repetitions left empty follow the stretch's own."""

    __tablename__ = "routine_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    routine_id: Mapped[int] = mapped_column(
        ForeignKey("routine.id", ondelete="CASCADE"), index=True
    )
    stretch_id: Mapped[int] = mapped_column(ForeignKey("stretch.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer)
    hold_seconds: Mapped[int | None] = mapped_column(Integer)
    repetitions: Mapped[int | None] = mapped_column(Integer)
    # Loaded with the item (one query for a routine, not one more per stretch).
    stretch: Mapped[Stretch] = relationship(lazy="joined")


class Screen(Versioned, Base):
    """A named display in the clinic, e.g. the waiting room's touchscreen."""

    __tablename__ = "screen"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="RESTRICT"),
                                           index=True)
    routine_id: Mapped[int | None] = mapped_column(ForeignKey("routine.id", ondelete="SET NULL"))
    dwell_seconds: Mapped[int] = mapped_column(Integer, default=15)
    idle_seconds: Mapped[int] = mapped_column(Integer, default=60)
    slide_kinds: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(SLIDE_KINDS))
    orientation: Mapped[str] = mapped_column(String(20), default="landscape")
    # The languages its loop shows in turn (kiosk/languages.py codes), the first the one it
    # starts in and returns to when idle; only those offered to patients are shown.
    languages: Mapped[list[str]] = mapped_column(JSON, server_default=text("'[\"en\"]'"))
    # Whether its follow-along speaks the cues aloud (captions always show): off by default.
    sound: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # Proof of life: what the screen last said it was showing, and when.
    last_report_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_slide: Mapped[str] = mapped_column(String(200), default="")
    # Only a browser holding this key (given once by the console's pairing link) reports
    # for the screen: anyone else who opens its address is not proof of life.
    report_key: Mapped[str] = mapped_column(String(64), default=new_key)
    # "Show this routine now": wins over the schedule until override_until.
    override_routine_id: Mapped[int | None] = mapped_column(
        ForeignKey("routine.id", ondelete="SET NULL")
    )
    override_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    clinic: Mapped[Clinic] = relationship()
    routine: Mapped[Routine | None] = relationship(foreign_keys=[routine_id])
    override_routine: Mapped[Routine | None] = relationship(foreign_keys=[override_routine_id])
    schedule: Mapped[list["ScreenSchedule"]] = relationship(
        order_by="ScreenSchedule.position", cascade="all, delete-orphan"
    )


class ScreenSchedule(Base):
    """A time window on some weekdays when a screen shows another routine (e.g. mornings)."""

    __tablename__ = "screen_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    screen_id: Mapped[int] = mapped_column(
        ForeignKey("screen.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    routine_id: Mapped[int] = mapped_column(ForeignKey("routine.id", ondelete="CASCADE"))
    # 0 is Monday, as Python's weekday() counts.
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    starts: Mapped[str] = mapped_column(String(5))  # "HH:MM", clinic time
    ends: Mapped[str] = mapped_column(String(5))
    routine: Mapped[Routine] = relationship()


class Notice(Versioned, Base):
    """A clinic's own slide ("Closed Monday 26 January"): a title, a few lines and perhaps a
    photo, shown from one date to another (both included) on the clinic's clock. A notice of
    no clinic is the organisation's, shown by every clinic's screens."""

    __tablename__ = "notice"
    __table_args__ = (CheckConstraint("shows_from <= shows_until", name="notice_dates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int | None] = mapped_column(
        ForeignKey("clinic.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    media_id: Mapped[int | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    # What the photo shows, for who cannot see it; empty: the photo only decorates the words.
    photo_text: Mapped[str] = mapped_column(String(200), default="")
    shows_from: Mapped[date] = mapped_column(Date)
    shows_until: Mapped[date] = mapped_column(Date)
    clinic: Mapped[Clinic | None] = relationship()
    media: Mapped[Media | None] = relationship()


class StaffAccount(Base):
    __tablename__ = "staff_account"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="staff_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="staff")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # A session cookie names the account by this key, never by its id; a new key ends every
    # session of the account at once (sign-out, a new password, a new role, deactivation).
    session_key: Mapped[str] = mapped_column(String(64), unique=True, default=new_key)
    # Set by an admin's temporary password: the console asks for a new one before anything.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Whether the account edits the organisation's library (stretches, the library's routines)
    # besides its clinics' screens and sheets: every account of a one-clinic install does, as
    # staff always have; a group's admin gives it to whom they choose.
    edits_library: Mapped[bool] = mapped_column(default=True, server_default=true())
    memberships: Mapped[list["ClinicMembership"]] = relationship(
        cascade="all, delete-orphan", order_by="ClinicMembership.clinic_id")


class ClinicMembership(Base):
    """An account works at a clinic: as its staff (its screens and patient sheets), or as its
    admin (also its settings and its staff's accounts)."""

    __tablename__ = "clinic_membership"
    __table_args__ = (CheckConstraint(f"role IN {MEMBER_ROLES}", name="member_role"),)

    staff_account_id: Mapped[int] = mapped_column(
        ForeignKey("staff_account.id", ondelete="CASCADE"), primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20), default="staff")
    clinic: Mapped[Clinic] = relationship()


class PatientSheet(Base):
    """A take-home sheet made for one patient: stretches and a note, never a name."""

    __tablename__ = "patient_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    # The clinic that gave it: its contact details are the ones the sheet shows.
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="RESTRICT"),
                                           index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_on: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    clinic: Mapped[Clinic] = relationship()
    items: Mapped[list["PatientSheetItem"]] = relationship(
        order_by="PatientSheetItem.position", cascade="all, delete-orphan"
    )


class PatientSheetItem(Base):
    """A stretch as it was when the sheet was made: the patient keeps what they were given."""

    __tablename__ = "patient_sheet_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("patient_sheet.id", ondelete="CASCADE"), index=True
    )
    stretch_id: Mapped[int | None] = mapped_column(
        ForeignKey("stretch.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(120))
    body_region: Mapped[str] = mapped_column(String(80), default="")
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    hold_seconds: Mapped[int] = mapped_column(Integer)
    repetitions: Mapped[int] = mapped_column(Integer)
    sides: Mapped[list[str]] = mapped_column(JSON, default=list)
    stretch_position: Mapped[str] = mapped_column(String(20), default="standing")
    cautions: Mapped[str] = mapped_column(Text, default="")
    demonstration: Mapped[str] = mapped_column(String(80), default="")


class SheetOpen(Base):
    """How often a sheet was opened on one day. Nothing here says who opened it."""

    __tablename__ = "sheet_open"

    # "routine" (sheet_id is a Routine's id) or "patient" (a PatientSheet's id).
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    sheet_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The clinic whose screen, paper or patient sheet led to it: its staff see the count.
    clinic_id: Mapped[int] = mapped_column(
        ForeignKey("clinic.id", name="fk_sheet_open_clinic", ondelete="CASCADE"),
        primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    opens: Mapped[int] = mapped_column(Integer, default=0)
    # Sessions a phone said it completed that day, each phone at most once a day (it keeps
    # the day it last sent on itself); no date, pain score or anything else comes with it.
    completed: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class Revision(Base):
    """One save by staff: who, when, and the record before and after."""

    __tablename__ = "revision"
    __table_args__ = (Index("ix_revision_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class ContentState(Base):
    """One row: a number that goes up whenever anything a screen or sheet shows changes."""

    __tablename__ = "content_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @classmethod
    def bump(cls, session):
        """Mark the content as changed, so screens and caches pick up the new version."""
        # One UPDATE, so two writers at once both count.
        session.execute(
            update(cls).where(cls.id == 1).values(version=cls.version + 1, changed_at=utcnow())
        )

    @classmethod
    def make_screens_reload(cls, session, version_before: int | None):
        """Screens reload when the content version changes: make sure an import or a restore
        (which bring back a version number of their own) changes it from `version_before`.

        The version brought in is kept when it is already newer, so the imported kiosk renders
        exactly what the exported one did.
        """
        imported = session.scalar(select(cls.version))
        if version_before is not None and imported is not None and imported <= version_before:
            session.execute(update(cls).values(version=version_before + 1))


class SeedMark(Base):
    """A piece of the article the seed command has added once, and so never adds again."""

    __tablename__ = "seed_mark"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    seeded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Translation(Base):
    """One piece of the clinic's content (a stretch's title or one of its steps, a warning sign,
    a passage, ...) in another language (kiosk/localised.py names every piece). `source_sha256`
    is of the source text it translates: when the source changes, the translation is out of date
    and patients see the source again until it is checked anew."""

    __tablename__ = "translation"
    __table_args__ = (
        UniqueConstraint("language", "kind", "ref", "position", name="uq_translation_piece"),
        CheckConstraint(f"status IN {TRANSLATION_STATUSES}", name="translation_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))  # e.g. stretch.step, warning_sign
    ref: Mapped[str] = mapped_column(String(80), default="")  # a stretch's slug, a clinic's
    position: Mapped[int] = mapped_column(Integer, default=0)  # a step's or a line's, from 1
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    source_sha256: Mapped[str] = mapped_column(String(64))
    checked_by: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class LanguageApproval(Base):
    """A language the clinic has checked: patients are offered it (kiosk/languages.py) while
    every safety piece in it stays checked and up to date."""

    __tablename__ = "language_approval"

    language: Mapped[str] = mapped_column(String(20), primary_key=True)
    approved_by: Mapped[str] = mapped_column(String(40), default="")
    approved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PairingCode(Base):
    """A new screen waiting to join: it shows `code` in large type until staff type it into
    the console, which makes the screen and names it here; the browser showing the code holds
    the key whose hash is `browser_key` (kiosk/display/joining.py). Codes last an hour; they
    stay with the install, as a backup restored elsewhere has no screen waiting."""

    __tablename__ = "pairing_code"
    __table_args__ = ({"info": {"travels": False}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    browser_key: Mapped[str] = mapped_column(String(64), unique=True)
    # Where the browser asked from, as a keyed hash (kiosk/audit.py): codes from one address
    # are bounded, so one script cannot keep every clinic's new screens out.
    address_key: Mapped[str] = mapped_column(String(16), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    screen_id: Mapped[int | None] = mapped_column(ForeignKey("screen.id", ondelete="CASCADE"))
    screen: Mapped["Screen | None"] = relationship()


class SignInFailure(Base):
    """One refused sign-in, counted against the address it came from and against the account
    it named, each as a keyed hash (kiosk/staff/throttle.py): every worker and every app
    server sees the same counts. Rows older than the longest limit are deleted."""

    __tablename__ = "sign_in_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (Index("ix_sign_in_failure_key_at", "key", "at"),)


class AuditEvent(Base):
    """Who did what in the console, and when (kiosk/audit.py): sign-ins, accounts, exports,
    imports, restores, patient sheets. The person is kept by name, not by account id, and the
    address only as a keyed hash. The log stays with this install: an import does not replace
    it (`travels` below), so nobody can wipe it by importing a file."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"), {"info": {"travels": False}})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
    address_key: Mapped[str] = mapped_column(String(16), default="")
