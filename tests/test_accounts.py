from sqlalchemy import select

from kiosk.accounts import verify_password
from kiosk.models import StaffAccount

PASSWORD = "stretch-slowly-2026"


def account(session, username):
    return session.scalar(select(StaffAccount).filter_by(username=username))


def test_add_staff_reads_the_password_from_stdin(runner, session):
    result = runner.invoke(args=["add-staff", "jade", "--role", "admin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Created admin account 'jade'" in result.output
    jade = account(session, "jade")
    assert jade.role == "admin"
    # A standard slow scheme (scrypt), salted: never the password itself.
    assert jade.password_hash.startswith("scrypt:")
    assert PASSWORD not in jade.password_hash
    assert verify_password(jade, PASSWORD)
    assert not verify_password(jade, PASSWORD.upper())


def test_role_defaults_to_staff(runner, session):
    assert runner.invoke(args=["add-staff", "reception"], input=PASSWORD).exit_code == 0
    assert account(session, "reception").role == "staff"


def test_add_staff_rejects_a_duplicate_name(runner, session):
    runner.invoke(args=["add-staff", "jade"], input=PASSWORD + "\n")
    result = runner.invoke(args=["add-staff", "Jade"], input="another-password-99\n")
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert verify_password(account(session, "jade"), PASSWORD)


def test_add_staff_rejects_weak_passwords_and_stores_nothing(runner, session):
    for weak, reason in [
        ("short", "at least 10 characters"),
        ("aaaaaaaaaaaa", "5 different characters"),
        ("jade-is-the-best", "must not contain the username"),
    ]:
        result = runner.invoke(args=["add-staff", "jade"], input=weak + "\n")
        assert result.exit_code != 0
        assert reason in result.output
    assert account(session, "jade") is None


def test_add_staff_rejects_bad_names_and_roles(runner):
    assert "username is" in runner.invoke(args=["add-staff", "a b"], input=PASSWORD).output
    result = runner.invoke(args=["add-staff", "sam", "--role", "owner"], input=PASSWORD)
    assert result.exit_code != 0 and "owner" in result.output
