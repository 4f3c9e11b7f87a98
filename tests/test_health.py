import pytest
from sqlalchemy import text

from kiosk.db import get_session
from tests.pgcluster import free_port


def test_healthz_reports_database_and_content_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["database"] == "ok"
    assert response.json["content_version"] >= 1


def test_healthz_is_503_when_sqlite_file_is_not_a_database(make_app, tmp_path):
    database = tmp_path / "broken.sqlite3"
    database.write_bytes(b"this is not a database, it was overwritten" * 100)
    response = make_app(DATABASE_URL=f"sqlite:///{database}").test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert "not a database" in response.json["reason"]


def test_healthz_is_503_when_database_server_is_unreachable(make_app):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/kiosk"
    response = make_app(DATABASE_URL=url).test_client().get("/healthz")
    assert response.status_code == 503
    assert "connection" in response.json["reason"].lower()


def test_healthz_is_503_before_migrations(empty_app):
    response = empty_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "content_state" in response.json["reason"]


def test_pages_before_migrations_say_the_database_is_not_ready(empty_app):
    """On both databases: a 503 in words, not a 500 (PostgreSQL calls a missing table a
    programming error, SQLite an operational one)."""
    for path in ("/display/waiting-room", "/s/back-pain-stretches", "/p/Ab3_x-9Q2kLmN0pQ"):
        response = empty_app.test_client().get(path)
        assert response.status_code == 503, path
        assert "cannot reach its database" in response.get_data(as_text=True), path


def test_any_other_programming_error_on_postgresql_is_a_fault(make_app, database_url):
    """Only a missing table is the database's state; a bad query is a bug: a 500, logged."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite reports a bad query as an operational error")
    app = make_app(DATABASE_URL=database_url, PROPAGATE_EXCEPTIONS=False)

    @app.get("/broken-query")
    def broken_query():
        return str(get_session().scalar(text("SELECT no_such_function()")))

    response = app.test_client().get("/broken-query")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
