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
