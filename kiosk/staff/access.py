"""Who may see and change what, for a one-clinic install and for a group of clinics alike.

An account's role says whether it is the organisation's admin (the library, every clinic,
accounts, export and import; on a one-clinic install, simply "admin"). Any other account works
at the clinics its memberships name: as staff (the clinic's screens and patient sheets) or as
that clinic's admin (also its settings and its staff's accounts); `edits_library` adds the
stretches and the library's routines, which every account of a one-clinic install has.

A record belongs to a clinic (a screen, a patient sheet, a clinic's own routine, the clinic
itself) or to the library (None). The console's one access check (`refuse_others`, run for
every console request) finds the record a URL names and answers 404 when it belongs to a clinic
the account does not work at, so nothing of clinic B (not even that it exists) reaches staff of
clinic A, by URL, by id, through History or through a fragment. Lists ask `seen_clinics` which
clinics' records to show."""

from flask import abort, g, request
from flask_babel import gettext
from sqlalchemy import or_, select

from kiosk.db import get_session
from kiosk.models import (
    Clinic,
    ClinicMembership,
    Notice,
    PatientSheet,
    Revision,
    Routine,
    Screen,
    StaffAccount,
    Stretch,
)

# Record kinds a member of the record's clinic may change, and those that need its admin.
MEMBERS_CHANGE = {"screen", "patient_sheet", "routine", "notice"}
CLINIC_ADMINS_CHANGE = {"clinic", "account"}
# The library: stretches and the routines no clinic owns.
LIBRARY = {"stretch", "routine", "translation"}
# A console URL's id, and the kind of record it names.
NAMED_BY = {"screen_id": Screen, "sheet_id": PatientSheet, "routine_id": Routine,
            "stretch_id": Stretch, "account_id": StaffAccount, "notice_id": Notice}
KINDS = {Screen: "screen", PatientSheet: "patient_sheet", Routine: "routine",
         Stretch: "stretch", StaffAccount: "account", Clinic: "clinic", Notice: "notice"}
# The console's pages that make a record, and its kind: only someone who may make one sends them.
MAKES = {"staff.new_stretch": "stretch", "staff.new_routine": "routine",
         "staff.new_screen": "screen", "staff.join_screen": "screen",
         "staff.new_patient_sheet": "patient_sheet", "staff.new_notice": "notice"}
ANY_CLINIC = object()


def is_organisation_admin(account) -> bool:
    return account is not None and account.role == "admin"


def role_label(account) -> str:
    """What the account is, in a word or two: admin (of a one-clinic install), organisation
    admin, clinic admin, or staff."""
    if is_organisation_admin(account):
        if Clinic.several(get_session()):
            return gettext("organisation admin")
        return gettext("admin")
    if "admin" in clinic_roles(account).values():
        return gettext("clinic admin")
    return gettext("staff")


def clinic_roles(account) -> dict[int, str]:
    """The clinics `account` works at, and its role at each."""
    return {m.clinic_id: m.role for m in account.memberships} if account is not None else {}


def seen_clinics(account) -> set[int] | None:
    """The ids of the clinics whose records `account` sees; None: every clinic's."""
    if is_organisation_admin(account):
        return None
    return set(clinic_roles(account))


def may_edit(account, entity: str, clinic_id=ANY_CLINIC) -> bool:
    """Whether `account` may change (or restore) a record of kind `entity` belonging to
    `clinic_id` (None: the library; not named: in any clinic it works at)."""
    if account is None:
        return False
    if is_organisation_admin(account):
        return True
    if clinic_id is None:
        return entity in LIBRARY and account.edits_library
    roles = clinic_roles(account)
    if clinic_id is ANY_CLINIC:
        return ((entity in LIBRARY and account.edits_library)
                or (entity in MEMBERS_CHANGE and bool(roles))
                or (entity in CLINIC_ADMINS_CHANGE and "admin" in roles.values()))
    if entity in MEMBERS_CHANGE:
        return clinic_id in roles
    if entity in CLINIC_ADMINS_CHANGE:
        return roles.get(clinic_id) == "admin"
    return False  # passages, export and import, the audit log


def clinics_of_record(record) -> set[int] | None:
    """The clinics a record belongs to; None: the library (or the install) as a whole."""
    if isinstance(record, Clinic):
        return {record.id}
    if isinstance(record, StaffAccount):
        # An account is the business of its clinics' admins; one that works at no clinic (the
        # organisation's admins), of the organisation's admins alone.
        return {m.clinic_id for m in record.memberships}
    clinic_id = getattr(record, "clinic_id", None)
    return None if clinic_id is None else {clinic_id}


def may_change(account, record) -> bool:
    """Whether `account` may change `record` (an account: only when it administers every
    clinic the account works at)."""
    from kiosk.revisions import ENTITY_NAMES

    kind = KINDS.get(type(record)) or ENTITY_NAMES[type(record)]
    clinics = clinics_of_record(record)
    if clinics is None:
        return may_edit(account, kind, None)
    if not clinics:
        return is_organisation_admin(account)
    return all(may_edit(account, kind, clinic_id) for clinic_id in clinics)


def sees_record(account, record) -> bool:
    clinics = clinics_of_record(record)
    seen = seen_clinics(account)
    if clinics is None or seen is None or record is account:
        return True
    return bool(clinics & seen)


def named_records() -> list:
    """The records the current console URL names by id (History names one by kind and id)."""
    from kiosk.staff.history import MODELS  # the kinds History keeps

    args = request.view_args or {}
    session = get_session()
    named = [(NAMED_BY[key], value) for key, value in args.items() if key in NAMED_BY]
    if args.get("clinic") is not None:  # a clinic's settings, by its slug
        clinic_id = session.scalar(select(Clinic.id).filter_by(slug=args["clinic"]))
        if clinic_id is None:
            abort(404, description=gettext("There is no such clinic."))
        named.append((Clinic, clinic_id))
    if "entity" in args and "entity_id" in args and args["entity"] in MODELS:
        named.append((MODELS[args["entity"]], args["entity_id"]))
    return [record for model, record_id in named
            if (record := session.get(model, record_id)) is not None]


def refuse_others(account):
    """404 for a record of a clinic `account` does not work at, as if it did not exist; 403 for
    a change to a record it sees but may not change."""
    if is_organisation_admin(account):
        return
    made = MAKES.get(request.endpoint)
    if made and request.method == "POST" and not may_edit(account, made):
        abort(403, description=gettext("Your account cannot make these."))
    for record in named_records():
        if not sees_record(account, record):
            abort(404, description=gettext("There is no such record."))
        if request.method == "POST" and not may_change(account, record):
            abort(403, description=gettext("Your account cannot change this."))


def visible(query, column, account):
    """`query` narrowed to the records of clinics `account` sees (`column`: their clinic id;
    a nullable column's None is the library, seen by all)."""
    seen = seen_clinics(account)
    if seen is None:
        return query
    if column.nullable:
        return query.where(column.in_(seen) | column.is_(None))
    return query.where(column.in_(seen))


def their_screens(query):
    """A query of screens narrowed to the clinics the signed-in account sees."""
    return visible(query, Screen.clinic_id, g.staff)


def their_routines(query):
    """A query of routines narrowed to the library's and those of the clinics the signed-in
    account sees."""
    return visible(query, Routine.clinic_id, g.staff)


def their_sheets(query):
    return visible(query, PatientSheet.clinic_id, g.staff)


def their_notices(query):
    """A query of notices narrowed to every clinic's and those of the clinics the signed-in
    account sees."""
    return visible(query, Notice.clinic_id, g.staff)


def their_revisions(query):
    """A query of History's revisions without those of other clinics' screens, own routines
    and settings."""
    seen = seen_clinics(g.staff)
    if seen is None:
        return query
    others = [
        (Revision.entity == "screen")
        & Revision.entity_id.in_(select(Screen.id).where(Screen.clinic_id.not_in(seen))),
        (Revision.entity == "routine")
        & Revision.entity_id.in_(select(Routine.id).where(Routine.clinic_id.not_in(seen))),
        (Revision.entity == "notice")
        & Revision.entity_id.in_(select(Notice.id).where(Notice.clinic_id.not_in(seen))),
        (Revision.entity == "clinic") & Revision.entity_id.not_in(seen),
    ]
    return query.where(~or_(*others))


def clinics_for(account, *, admin: bool = False) -> list[Clinic]:
    """The clinics `account` may act in (as their admin, with `admin`), first made first."""
    query = select(Clinic).order_by(Clinic.id)
    if not is_organisation_admin(account):
        roles = clinic_roles(account)
        query = query.where(Clinic.id.in_(
            [c for c, role in roles.items() if role == "admin" or not admin]))
    return list(get_session().scalars(query))


def membership_query(clinic_ids):
    return select(ClinicMembership.staff_account_id).where(
        ClinicMembership.clinic_id.in_(clinic_ids))
