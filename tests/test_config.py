import stat

import pytest

from kiosk import create_app
from kiosk.config import from_environ


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_SECRET_KEY", raising=False)
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("KIOSK_DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite3'}")
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) >= 64
    key_file = tmp_path / "secret_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_settings_come_from_kiosk_environment_variables(tmp_path):
    settings = from_environ(str(tmp_path), {
        "KIOSK_DATABASE_URL": "postgresql://kiosk@db.clinic/kiosk",
        "KIOSK_SECRET_KEY": "from-the-environment",
        "KIOSK_PUBLIC_URL": "https://stretch.clinic.example/",
        "KIOSK_DWELL_SECONDS": "2",
    })
    assert settings["DATABASE_URL"] == "postgresql+psycopg://kiosk@db.clinic/kiosk"
    assert settings["SECRET_KEY"] == "from-the-environment"
    assert settings["PUBLIC_URL"] == "https://stretch.clinic.example"
    assert settings["DWELL_SECONDS"] == 2


def test_defaults_suit_a_single_clinic(tmp_path):
    settings = from_environ(str(tmp_path), {})
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    assert settings["PUBLIC_URL"] == ""
    assert settings["DWELL_SECONDS"] is None


@pytest.mark.parametrize("value", ["ten", "0", "-3"])
def test_a_bad_number_says_which_setting_is_wrong(tmp_path, value):
    with pytest.raises(ValueError, match="KIOSK_IDLE_SECONDS"):
        from_environ(str(tmp_path), {"KIOSK_IDLE_SECONDS": value})
