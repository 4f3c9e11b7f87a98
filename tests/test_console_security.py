"""The console's sessions, permissions, sign-in throttle and audit log, as an attacker and as
the clinic's staff meet them (issue 11: findings 1, 3, 6, 7, 8, 10 and 12)."""

import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from kiosk import transfer
from kiosk.db import get_session
from kiosk.models import AuditEvent, Clinic, PatientSheet, StaffAccount
from kiosk.revisions import save
from tests.staff_helpers import PASSWORD, add_staff, item_fields, login, signed_in, token_from


def page_token(client, path="/staff/") -> str:
    return token_from(client.get(path).get_data(as_text=True))


def account(app, username) -> StaffAccount:
    with app.app_context():
        return get_session().scalar(select(StaffAccount).filter_by(username=username))


def events(app, action=None) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.filter_by(action=action)
        return get_session().scalars(query).all()


def can_use_console(client) -> bool:
    return client.get("/staff/").status_code == 200


def saved_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """A new browser holding a copy of a session cookie taken earlier."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


# ---- Finding 1: History restores what the person may edit, no more.

def clinic_with_two_versions(app):
    with app.app_context():
        session = get_session()
        clinic = session.scalar(select(Clinic))
        save(session, clinic, clinic.version, None, lambda: setattr(clinic, "name", "Changed"),
             "Renamed")
        return clinic.id


def test_staff_cannot_restore_admin_settings_through_history(app):
    clinic_id = clinic_with_two_versions(app)
    staff = signed_in(app, role="staff")
    page = staff.get(f"/staff/history/clinic/{clinic_id}").get_data(as_text=True)
    assert "Restore version" not in page  # not offered...
    response = staff.post(f"/staff/history/clinic/{clinic_id}/restore",
                          data={"csrf_token": token_from(page), "version": "1", "current": "2"})
    assert response.status_code == 403  # ...and not done when asked for anyway
    with app.app_context():
        assert get_session().get(Clinic, clinic_id).name == "Changed"
    assert events(app, "restore") == []


def test_admin_restores_settings_and_staff_restore_stretches(app):
    clinic_id = clinic_with_two_versions(app)
    admin = signed_in(app, role="admin")
    page = admin.get(f"/staff/history/clinic/{clinic_id}").get_data(as_text=True)
    assert "Restore version 1" in page
    response = admin.post(f"/staff/history/clinic/{clinic_id}/restore",
                          data={"csrf_token": token_from(page), "version": "1", "current": "2"})
    assert response.status_code == 303
    with app.app_context():
        assert get_session().get(Clinic, clinic_id).name != "Changed"
    [restored] = events(app, "restore")
    assert restored.actor == "admin-account" and restored.target == f"clinic {clinic_id}"

    staff = signed_in(app, role="staff")
    page = staff.get("/staff/stretches/1").get_data(as_text=True)
    with app.app_context():
        session = get_session()
        from kiosk.models import Stretch
        stretch = session.get(Stretch, 1)
        save(session, stretch, stretch.version, None, lambda: setattr(stretch, "title", "X"), "t")
        version = stretch.version
    page = staff.get("/staff/history/stretch/1").get_data(as_text=True)
    assert f"Restore version {version - 1}" in page
    response = staff.post("/staff/history/stretch/1/restore", data={
        "csrf_token": token_from(page), "version": str(version - 1), "current": str(version)})
    assert response.status_code == 303


# ---- Finding 3: every way out ends every session of the account, at once.

@pytest.mark.parametrize("role", ["staff", "admin"])
def test_a_cookie_saved_before_signing_out_is_refused_afterwards(app, role):
    client = signed_in(app, role=role)
    other_device = replay(app, saved_cookie(client))
    stolen = saved_cookie(client)
    assert can_use_console(other_device)
    client.post("/staff/logout", data={"csrf_token": page_token(client)})
    assert not can_use_console(replay(app, stolen))
    assert not can_use_console(other_device)  # every device, not only this one
    # Reading a patient sheet's page or retiring a stretch with it: refused too.
    thief = replay(app, stolen)
    assert thief.get("/staff/patient-sheets").status_code == 302
    assert thief.post("/staff/stretches/1/retire", data={"csrf_token": "x"}).status_code in (
        302, 400)


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_a_new_password_ends_the_other_sessions_but_not_this_one(app, role):
    client = signed_in(app, role=role)
    stolen = saved_cookie(client)
    response = client.post("/staff/account", data={
        "csrf_token": page_token(client, "/staff/account"), "current": PASSWORD,
        "new": "a-brand-new-secret-9", "again": "a-brand-new-secret-9"})
    assert response.status_code == 303
    assert can_use_console(client)
    assert not can_use_console(replay(app, stolen))
    assert login(app.test_client(), f"{role}-account").status_code == 401
    assert login(app.test_client(), f"{role}-account", "a-brand-new-secret-9").status_code == 303
    assert [e.action for e in events(app, "password_changed")] == ["password_changed"]


@pytest.mark.parametrize("role", ["staff", "admin"])
@pytest.mark.parametrize("change", ["role", "deactivate", "sign-out", "password"])
def test_an_admins_change_to_an_account_ends_its_sessions(app, change, role):
    admin = signed_in(app, role="admin")
    victim = signed_in(app, role=role, username="leaving")
    stolen = saved_cookie(victim)
    target = account(app, "leaving").id
    other_role = "staff" if role == "admin" else "admin"
    path, data = {
        "role": (f"/staff/accounts/{target}/role", {"role": other_role}),
        "deactivate": (f"/staff/accounts/{target}/deactivate", {}),
        "sign-out": (f"/staff/accounts/{target}/sign-out", {}),
        "password": (f"/staff/accounts/{target}/password", {}),
    }[change]
    response = admin.post(path, data={"csrf_token": page_token(admin), **data})
    assert response.status_code in (200, 303), response.get_data(as_text=True)
    assert not can_use_console(victim)
    assert not can_use_console(replay(app, stolen))


def test_a_cookie_saved_before_an_import_is_refused_afterwards(app):
    admin = signed_in(app, role="admin")
    staff = signed_in(app, role="staff")
    stolen_admin, stolen_staff = saved_cookie(admin), saved_cookie(staff)
    with app.app_context():
        data = transfer.export_all(get_session())
    page = admin.get("/staff/transfer").get_data(as_text=True)
    response = admin.post("/staff/transfer", data={
        "csrf_token": token_from(page), "confirm": "yes",
        "file": (BytesIO(data), "kiosk-export.json.gz")}, content_type="multipart/form-data")
    assert response.status_code == 303
    assert can_use_console(admin)  # the person who imported stays, with a new session
    assert not can_use_console(replay(app, stolen_admin))
    assert not can_use_console(replay(app, stolen_staff))
    assert not can_use_console(staff)


def test_a_session_names_the_account_not_an_id_an_import_can_reassign(app):
    """An import can give account id 1 to someone else: a session of the old id 1 must not
    become a session of the new one."""
    client = signed_in(app, role="admin", username="first")
    with app.app_context():
        session = get_session()
        first = session.scalar(select(StaffAccount).filter_by(username="first"))
        first_id = first.id
        session.delete(first)
        session.commit()
    add_staff(app, "second", "admin")
    with app.app_context():
        session = get_session()
        second = session.scalar(select(StaffAccount).filter_by(username="second"))
        second.id = first_id  # as a file with other accounts would
        session.commit()
    assert not can_use_console(client)


def test_a_session_ends_hours_after_sign_in_however_busy(app):
    client = signed_in(app)
    assert can_use_console(client)
    with client.session_transaction() as cookie:
        cookie["since"] -= app.config["SESSION_HOURS"] * 3600 + 60
    assert not can_use_console(client)


def test_the_consoles_own_polls_do_not_keep_an_idle_session_alive(app):
    client = signed_in(app)
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with client.session_transaction() as cookie:
        cookie["seen"] -= idle - 60  # a minute before the limit
    # The screens' status polls every few seconds (htmx) ...
    assert client.get("/staff/", headers={"HX-Request": "true"}).status_code == 200
    with client.session_transaction() as cookie:
        cookie["seen"] -= 120  # ... and two minutes later, nobody having done anything
    assert client.get("/staff/", headers={"HX-Request": "true"}).status_code == 204  # sign in
    assert not can_use_console(client)


def test_what_a_person_does_keeps_the_session(app):
    client = signed_in(app)
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with client.session_transaction() as cookie:
        cookie["seen"] -= idle - 60
    assert can_use_console(client)  # a page opened by a person
    with client.session_transaction() as cookie:
        cookie["seen"] -= 120
    assert can_use_console(client)


def test_a_session_left_idle_ends(app):
    client = signed_in(app)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"], seconds=30)
    later = time.time() + idle.total_seconds()
    import itsdangerous.timed

    original = itsdangerous.timed.TimestampSigner.get_timestamp
    itsdangerous.timed.TimestampSigner.get_timestamp = lambda self: int(later)
    try:
        assert not can_use_console(client)
    finally:
        itsdangerous.timed.TimestampSigner.get_timestamp = original


# ---- Finding 6: the browser keeps no console page.

def test_every_console_page_is_no_store(app):
    client = signed_in(app, role="admin")
    token = make_sheet_in_console(client)
    for path in ("/staff/", "/staff/patient-sheets", f"/staff/patient-sheets/{token}",
                 "/staff/accounts", "/staff/audit", "/staff/account", "/staff/login",
                 "/staff/settings", "/staff/history"):
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", path


def make_sheet_in_console(client) -> int:
    page = client.get("/staff/patient-sheets/new").get_data(as_text=True)
    response = client.post("/staff/patient-sheets/new", data={
        "csrf_token": token_from(page), **item_fields([("1", "", "")]),
        "note": "Twice a day", "expires": "30"})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


# ---- Finding 7: strangers cannot lock the owner out; a burst cannot beat the limit.

def test_strangers_failing_an_account_do_not_lock_out_its_owner(app):
    add_staff(app)
    owner = app.test_client()
    assert login(owner, address="192.0.2.20").status_code == 303  # a known browser now
    owner.post("/staff/logout", data={"csrf_token": page_token(owner)})
    strangers = [login(app.test_client(), password=f"guess-{n}", address=f"198.51.100.{n}")
                 .status_code for n in range(12)]
    assert strangers[-1] == 429  # the account is held for browsers it has never seen
    assert login(app.test_client(), address="192.0.2.99").status_code == 429
    assert login(owner, address="192.0.2.20").status_code == 303  # but not for its owner


def test_a_known_browser_that_keeps_guessing_is_held_too(app):
    add_staff(app)
    browser = app.test_client()
    assert login(browser).status_code == 303
    statuses = [login(browser, password=f"guess-{n}").status_code for n in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429


def test_known_browsers_together_get_no_more_than_their_shared_limit(app):
    """Device cookies kept from three sign-ins do not buy ten guesses each without end."""
    add_staff(app)
    browsers = []
    for n in range(3):
        browser = app.test_client()
        assert login(browser, address=f"192.0.2.{n + 1}").status_code == 303
        browsers.append(browser)
    checked = sum(login(browser, password=f"guess-{n}", address="192.0.2.9").status_code == 401
                  for browser in browsers for n in range(10))
    assert checked == 20


def test_a_new_password_makes_an_older_device_cookie_a_strangers(app):
    add_staff(app)
    owner = app.test_client()
    assert login(owner, address="192.0.2.20").status_code == 303
    with app.app_context():
        from kiosk.accounts import set_password
        session = get_session()
        set_password(session.scalar(select(StaffAccount).filter_by(username="jade")),
                     "a-brand-new-secret-9")
        session.commit()
    for n in range(12):  # strangers hold the account
        login(app.test_client(), password=f"guess-{n}", address=f"198.51.100.{n}")
    assert login(owner, password="a-brand-new-secret-9", address="192.0.2.20").status_code == 429


def test_a_burst_of_tries_at_once_is_checked_no_more_than_the_limit(app):
    """16 wrong passwords at the same moment from one address: 5 are checked, 11 held."""
    add_staff(app)
    clients = [app.test_client() for _ in range(16)]
    tokens = [page_token(client, "/staff/login") for client in clients]
    start, statuses = threading.Barrier(16), []

    def guess(client, token, n):
        start.wait()
        response = client.post("/staff/login", data={
            "csrf_token": token, "username": "jade", "password": f"guess-{n}"},
            environ_base={"REMOTE_ADDR": "203.0.113.50"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(client, token, n))
               for n, (client, token) in enumerate(zip(clients, tokens, strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 5 + [429] * 11


def test_guessing_the_current_password_with_a_borrowed_session_is_held_too(app):
    client = signed_in(app)
    statuses = [client.post("/staff/account", data={
        "csrf_token": page_token(client, "/staff/account"), "current": f"guess-{n}",
        "new": "a-brand-new-secret-9", "again": "a-brand-new-secret-9"}).status_code
        for n in range(6)]
    assert statuses == [422] * 5 + [429]


# ---- Finding 8: the time a refusal takes tells nothing about the name.

def test_an_unknown_name_takes_as_long_as_a_known_one(app):
    add_staff(app)
    client = app.test_client()
    token = page_token(client, "/staff/login")

    def took(username, n):
        begun = time.perf_counter()
        client.post("/staff/login", data={"csrf_token": token, "username": username,
                                          "password": "wrong-password"},
                    environ_base={"REMOTE_ADDR": f"203.0.113.{n}"})
        return time.perf_counter() - begun

    known = statistics.median(took("jade", n) for n in range(5))
    unknown = statistics.median(took("nobody-here", n) for n in range(5, 10))
    assert unknown > 0.6 * known, (known, unknown)


# ---- Finding 10: a bad `next` is ignored, never a 500.

@pytest.mark.parametrize("target", ["/staff/stretches\r\nSet-Cookie: x=1", "/staff/\n",
                                    "/staff\\..\\evil", "/staff/\x7f", "//evil.example/staff",
                                    "/staffing-agency", "https://evil.example/staff/"])
def test_a_bad_next_address_goes_to_the_console_front_page(app, target):
    add_staff(app)
    client = app.test_client()
    token = page_token(client, "/staff/login")
    response = client.post("/staff/login", query_string={"next": target}, data={
        "csrf_token": token, "username": "jade", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/"


def test_a_good_next_address_is_followed(app):
    add_staff(app)
    client = app.test_client()
    response = client.get("/staff/stretches?sort=title")
    assert response.status_code == 302
    login_page = response.headers["Location"]
    token = page_token(client, login_page)
    response = client.post(login_page, data={"csrf_token": token, "username": "jade",
                                             "password": PASSWORD})
    assert response.headers["Location"] == "/staff/stretches?sort=title"


# ---- Finding 12: the audit log.

def test_who_did_what_is_in_the_audit_log_without_patient_notes_or_addresses(app):
    add_staff(app, "admin-account", "admin")
    login(app.test_client(), "admin-account", "wrong password", address="203.0.113.5")
    login(app.test_client(), "nobody", "wrong password", address="203.0.113.5")
    admin = app.test_client()
    assert login(admin, "admin-account", address="192.0.2.20").status_code == 303
    sheet_id = make_sheet_in_console(admin)
    admin.post(f"/staff/patient-sheets/{sheet_id}/revoke", data={"csrf_token": page_token(admin)})
    admin.get("/staff/transfer/download")
    admin.post("/staff/accounts", data={"csrf_token": page_token(admin, "/staff/accounts"),
                                        "username": "maria", "role": "staff"})
    admin.post("/staff/logout", data={"csrf_token": page_token(admin)})

    logged = events(app)
    assert [(e.actor, e.action) for e in logged] == [
        ("admin-account", "sign_in_refused"),
        ("", "sign_in_refused"),  # a name that is no account is not kept
        ("admin-account", "sign_in"),
        ("admin-account", "patient_sheet_made"),
        ("admin-account", "patient_sheet_revoked"),
        ("admin-account", "export"),
        ("admin-account", "account_added"),
        ("admin-account", "sign_out"),
    ]
    with app.app_context():
        sheet = get_session().get(PatientSheet, sheet_id)
        assert sheet.created_by_id == account(app, "admin-account").id
    everything = " ".join(f"{e.target} {e.detail} {e.address_key}" for e in logged)
    assert "Twice a day" not in everything and sheet.token not in everything
    assert "203.0.113.5" not in everything and "192.0.2.20" not in everything
    # The same address gives the same code, another address another.
    assert logged[0].address_key == logged[1].address_key != logged[2].address_key


def test_strangers_cannot_make_the_audit_log_grow_without_end(app, monkeypatch):
    from kiosk import audit

    monkeypatch.setattr(audit, "STRANGERS_PER_HOUR", 3)
    half_past = datetime.now(UTC).replace(minute=30)  # no hour ends during the test
    monkeypatch.setattr(audit, "utcnow", lambda: half_past)
    add_staff(app)
    for n in range(6):  # names that are no account, each from an address of its own
        login(app.test_client(), f"nobody-{n}", "guess", address=f"198.51.100.{n}")
    login(app.test_client(), "jade", "guess", address="198.51.100.99")
    assert [(e.actor, e.action) for e in events(app)] == [("", "sign_in_refused")] * 3 + [
        ("jade", "sign_in_refused")]  # a real account's refusals are all kept


def test_admins_read_the_audit_log_by_page_and_date_and_staff_cannot(app):
    admin = signed_in(app, role="admin")
    with app.app_context():
        session = get_session()
        from kiosk.models import utcnow
        for n in range(120):
            session.add(AuditEvent(at=utcnow() - timedelta(days=n // 60 * 10), actor="jade",
                                   action="sign_in", target="", detail=f"event {n}",
                                   address_key=""))
        session.commit()
    first = admin.get("/staff/audit").get_data(as_text=True)
    assert "121 events, page 1 of 3" in first  # and the admin's own sign-in
    older = admin.get("/staff/audit?page=3").get_data(as_text=True)
    assert "page 3 of 3" in older
    today = admin.get("/staff/audit", query_string={
        "from": (time.strftime("%Y-%m-%d")), "to": time.strftime("%Y-%m-%d")})
    assert "61 events" in today.get_data(as_text=True)
    bad = admin.get("/staff/audit?from=tomorrow")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.get_data(as_text=True)
    for far in ("?to=9999-12-31", "?from=0001-01-01"):
        bad = admin.get("/staff/audit" + far)
        assert bad.status_code == 422 and "between 2000 and 2100" in bad.get_data(as_text=True)
    assert signed_in(app, role="staff").get("/staff/audit").status_code == 403


def test_old_audit_events_are_deleted_after_the_kept_days(app):
    with app.app_context():
        session = get_session()
        from kiosk.models import utcnow
        session.add(AuditEvent(at=utcnow() - timedelta(days=app.config["AUDIT_DAYS"] + 1),
                               actor="old", action="sign_in"))
        session.commit()
    signed_in(app)
    assert [e.actor for e in events(app)] == ["staff-account"]


# ---- Accounts in the console.

def test_an_admin_adds_an_account_whose_owner_must_choose_a_password(app):
    import re

    admin = signed_in(app, role="admin")
    response = admin.post("/staff/accounts", data={
        "csrf_token": page_token(admin, "/staff/accounts"), "username": "Maria.K",
        "role": "staff"})
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    password = re.search(r'<p class="temporary-password"><code>([^<]+)</code>', page).group(1)
    assert "maria.k" in page

    maria = app.test_client()
    assert login(maria, "maria.k", password).status_code == 303
    assert maria.get("/staff/stretches").headers["Location"].endswith("/staff/account")
    weak = maria.post("/staff/account", data={
        "csrf_token": page_token(maria, "/staff/account"), "current": password,
        "new": "short", "again": "short"})
    assert weak.status_code == 422 and "at least 10 characters" in weak.get_data(as_text=True)
    wrong = maria.post("/staff/account", data={
        "csrf_token": page_token(maria, "/staff/account"), "current": "not it",
        "new": "stretch-daily-2027", "again": "stretch-daily-2027"})
    assert "not your current password" in wrong.get_data(as_text=True)
    assert maria.post("/staff/account", data={
        "csrf_token": page_token(maria, "/staff/account"), "current": password,
        "new": "stretch-daily-2027", "again": "stretch-daily-2027"}).status_code == 303
    assert maria.get("/staff/stretches").status_code == 200


def test_a_duplicate_or_bad_username_is_refused_in_words(app):
    admin = signed_in(app, role="admin")
    for name, words in (("admin-account", "already exists"), ("a b", "lowercase letters")):
        response = admin.post("/staff/accounts", data={
            "csrf_token": page_token(admin, "/staff/accounts"), "username": name,
            "role": "staff"})
        assert response.status_code == 422 and words in response.get_data(as_text=True)


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(app):
    admin = signed_in(app, role="admin")
    me = account(app, "admin-account").id
    for path, data in ((f"/staff/accounts/{me}/role", {"role": "staff"}),
                       (f"/staff/accounts/{me}/deactivate", {})):
        response = admin.post(path, data={"csrf_token": page_token(admin), **data})
        assert response.status_code == 422
        assert "only active admin" in response.get_data(as_text=True)
    assert account(app, "admin-account").role == "admin" and account(app, "admin-account").active
    assert can_use_console(admin)


@pytest.mark.parametrize("change", ["role", "deactivate"])
def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, change):
    """The last-admin rule holds under a race: both requests at the same moment."""
    first, second = signed_in(app, role="admin", username="ann"), signed_in(app, "admin", "bob")
    ids = {name: account(app, name).id for name in ("ann", "bob")}
    tokens = {client: page_token(client) for client in (first, second)}
    start, statuses = threading.Barrier(2), []

    def demote(client, target):
        path, data = ((f"/staff/accounts/{target}/role", {"role": "staff"}) if change == "role"
                      else (f"/staff/accounts/{target}/deactivate", {}))
        start.wait()
        statuses.append(client.post(path, data={"csrf_token": tokens[client], **data})
                        .status_code)

    threads = [threading.Thread(target=demote, args=(first, ids["bob"])),
               threading.Thread(target=demote, args=(second, ids["ann"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    admins = [a for a in (account(app, "ann"), account(app, "bob"))
              if a.role == "admin" and a.active]
    assert len(admins) == 1, statuses
    # Either both were checked and the second refused, or the first ended the other admin's
    # session before its request was looked at (sent to sign in).
    assert sorted(statuses) in ([303, 422], [302, 303])


def test_an_admin_cannot_give_their_own_account_a_temporary_password(app):
    """A borrowed session would get a password without knowing the current one."""
    admin = signed_in(app, role="admin")
    me = account(app, "admin-account")
    response = admin.post(f"/staff/accounts/{me.id}/password",
                          data={"csrf_token": page_token(admin)})
    assert response.status_code == 422 and "Your password" in response.get_data(as_text=True)
    assert account(app, "admin-account").password_hash == me.password_hash
    assert can_use_console(admin)


def test_a_deactivated_account_cannot_sign_in_and_can_come_back(app):
    admin = signed_in(app, role="admin")
    signed_in(app, username="leaving")
    target = account(app, "leaving").id
    admin.post(f"/staff/accounts/{target}/deactivate", data={"csrf_token": page_token(admin)})
    assert login(app.test_client(), "leaving").status_code == 401
    admin.post(f"/staff/accounts/{target}/reactivate", data={"csrf_token": page_token(admin)})
    assert login(app.test_client(), "leaving").status_code == 303
    assert [e.action for e in events(app) if e.target == "leaving"] == [
        "account_deactivated", "account_reactivated"]


def test_staff_cannot_manage_accounts(app):
    staff = signed_in(app)
    target = account(app, "staff-account").id
    assert staff.get("/staff/accounts").status_code == 403
    for path in ("/staff/accounts", f"/staff/accounts/{target}/role",
                 f"/staff/accounts/{target}/password"):
        response = staff.post(path, data={"csrf_token": page_token(staff), "role": "admin",
                                          "username": "sneaky"})
        assert response.status_code == 403
    assert account(app, "staff-account").role == "staff"
    assert account(app, "sneaky") is None
