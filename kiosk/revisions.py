"""Every staff save keeps a revision (who, when, before and after); any can be restored.

A save names the version it started from. If someone else saved in between, it is refused
with their change, never applied over it: the check is in the same UPDATE that bumps the
version, so two saves at the same moment cannot both pass.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, object_session

from kiosk.models import (
    Clinic,
    ContentState,
    Notice,
    Passage,
    Revision,
    Routine,
    RoutineItem,
    SafetyNote,
    Screen,
    ScreenSchedule,
    StaffAccount,
    Stretch,
    Tip,
    WarningSign,
)

FIELDS = {
    Stretch: ("slug", "title", "body_region", "neck_order", "steps", "hold_seconds",
              "repetitions", "sides", "position", "cautions", "demonstration", "media_id",
              "retired"),
    Routine: ("slug", "title", "description"),
    Screen: ("slug", "name", "routine_id", "dwell_seconds", "idle_seconds", "slide_kinds",
             "orientation", "languages", "sound"),
    Clinic: ("slug", "name", "therapist", "phone", "booking_url", "address", "hours",
             "public_url", "timezone"),
    Passage: ("key", "title", "body"),
    Notice: ("title", "body", "media_id", "photo_text", "shows_from", "shows_until"),
}
ENTITY_NAMES = {model: model.__tablename__ for model in FIELDS}
# A record's permanent address: a revision keeps it, a restore leaves it as it is.
ADDRESSES = {"slug", "key"}
# The clinic's lists travel with its settings: one version guards them all.
CLINIC_LISTS = {"warning_signs": WarningSign, "safety_notes": SafetyNote, "tips": Tip}


class Conflict(Exception):
    """Someone saved this record after the editor opened it."""

    def __init__(self, entity, latest: Revision | None):
        super().__init__(f"{ENTITY_NAMES[type(entity)]} {entity.id} changed meanwhile")
        self.entity = entity
        self.latest = latest


@dataclass
class Difference:
    field: str
    before: object
    after: object


def snapshot(entity) -> dict:
    """The record as plain data, the way a revision keeps it."""
    data = {name: _plain(getattr(entity, name)) for name in FIELDS[type(entity)]}
    if isinstance(entity, Routine):
        data["items"] = [
            {"stretch_id": item.stretch_id, "hold_seconds": item.hold_seconds,
             "repetitions": item.repetitions}
            for item in entity.items
        ]
    if isinstance(entity, Clinic):
        session = object_session(entity)
        for name, model in CLINIC_LISTS.items():
            data[name] = list(session.scalars(select(model.text).order_by(model.position)))
    if isinstance(entity, Screen):
        data["schedule"] = [
            {"routine_id": window.routine_id, "weekdays": list(window.weekdays),
             "starts": window.starts, "ends": window.ends}
            for window in entity.schedule
        ]
    return data


def _plain(value):
    """A value as JSON keeps it: a list as a list, a date as its ISO text (2027-01-26)."""
    if isinstance(value, date):
        return value.isoformat()
    return list(value) if isinstance(value, list) else value


def _as_column(entity, name: str, value):
    """A value from a snapshot as the column holds it: a date again from its ISO text."""
    if isinstance(value, str) and type(entity).__table__.c[name].type.python_type is date:
        return date.fromisoformat(value)
    return _plain(value)


def apply_snapshot(entity, data: dict):
    """Make the record look as `data` describes (the inverse of snapshot), but its address."""
    for name in FIELDS[type(entity)]:
        # The console never changes an address (links, QR codes and sheets hold it); one in a
        # revision naming another record's would fail the save on the unique constraint.
        if name in data and name not in ADDRESSES:
            setattr(entity, name, _as_column(entity, name, data[name]))
    if isinstance(entity, Routine) and "items" in data:
        entity.items = [
            RoutineItem(position=position, **item)
            for position, item in enumerate(data["items"], start=1)
        ]
    if isinstance(entity, Clinic):
        session = object_session(entity)
        for name, model in CLINIC_LISTS.items():
            if name in data:
                session.execute(delete(model))
                session.add_all(model(position=n, text=text)
                                for n, text in enumerate(data[name], start=1))
    if isinstance(entity, Screen) and "schedule" in data:
        entity.schedule = [
            ScreenSchedule(position=position, **window)
            for position, window in enumerate(data["schedule"], start=1)
        ]


def differences(before: dict | None, after: dict | None) -> list[Difference]:
    before, after = before or {}, after or {}
    return [
        Difference(name, before.get(name), after.get(name))
        for name in after
        if before.get(name) != after.get(name)
    ]


def latest_revision(session: Session, entity) -> Revision | None:
    return session.scalar(
        select(Revision)
        .filter_by(entity=ENTITY_NAMES[type(entity)], entity_id=entity.id)
        .order_by(Revision.id.desc())
        .limit(1)
    )


def save(session: Session, entity, started_from: int, staff: StaffAccount | None, change,
         summary: str) -> Revision | None:
    """Apply `change()` to `entity` and keep a revision; raise Conflict if it moved on.

    Returns the revision, or None when the change changed nothing.
    """
    if entity.id is not None and entity.version != started_from:
        raise Conflict(entity, latest_revision(session, entity))
    before = snapshot(entity) if entity.id is not None else None
    change()
    session.add(entity)
    session.flush()
    after = snapshot(entity)
    if before == after:
        session.rollback()
        return None
    if before is not None:
        moved = session.execute(
            update(type(entity))
            .where(type(entity).id == entity.id, type(entity).version == started_from)
            .values(version=started_from + 1)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:
            session.rollback()
            raise Conflict(entity, latest_revision(session, entity))
    revision = Revision(
        entity=ENTITY_NAMES[type(entity)],
        entity_id=entity.id,
        version=started_from + 1 if before is not None else entity.version,
        staff_id=staff.id if staff else None,
        summary=summary[:200],
        before=before,
        after=after,
    )
    session.add(revision)
    ContentState.bump(session)
    session.commit()
    session.refresh(entity)
    return revision


def versions(session: Session, entity) -> list[dict]:
    """The record's versions, newest first: the original (from the first revision's before)
    and one per save, each restorable."""
    revisions = session.scalars(
        select(Revision)
        .filter_by(entity=ENTITY_NAMES[type(entity)], entity_id=entity.id)
        .order_by(Revision.id)
    ).all()
    result = []
    if revisions and revisions[0].before is not None:
        result.append({"version": revisions[0].version - 1, "data": revisions[0].before,
                       "revision": None})
    result += [{"version": r.version, "data": r.after, "revision": r} for r in revisions]
    return list(reversed(result))


def restore(session: Session, entity, data: dict, staff, label: str) -> Revision | None:
    """Bring back an earlier version; the restore is itself a save with its own revision."""
    return save(session, entity, entity.version, staff, lambda: apply_snapshot(entity, data),
                f"Restored {label}")
