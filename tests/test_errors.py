"""Error pages say what happened in words, with the clinic's phone and a way back, and the status
a browser or a script can act on; never a stack trace."""

import pytest

from tests.readers import refusal_message
from tests.staff_helpers import signed_in, token_from
from tests.test_bad_input import fingerprint
from tests.test_headers import NEVER_FRAMED, assert_secure_headers


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize(("status", "says"), [
    (404, "Page not found This page does not exist, or it is no longer available."),
    (405, "Not allowed That action is not available here."),
    (500, "Something went wrong The app could not finish that. Please try again."),
], ids=["404", "405", "500"])
def test_an_error_page_says_what_happened_and_whom_to_call(seeded_app, status, says):
    app = seeded_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/kiosk-test-error")
    def fails():
        raise RuntimeError("a fault in the code, not for the person reading")

    client = app.test_client()
    response = {404: lambda: client.get("/kiosk-test-no-such-page"),
                405: lambda: client.delete("/kiosk-test-error"),
                500: lambda: client.get("/kiosk-test-error")}[status]()
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert refusal_message(page) == says
    assert 'Call Jade Tran on <a href="tel:+61425444304" dir="ltr">0425 444 304</a>.' in page
    assert '<a href="/">Go to the start page</a>' in page
    assert "Traceback" not in page and "RuntimeError" not in page


@pytest.mark.parametrize(("path", "form"), [
    ("/staff/login", {"username": "admin-account", "password": "x" * 4000}),
    ("/staff/routines/new", {"title": "Evening", "description": "x" * 4000}),
    ("/staff/settings", {"name": "x" * 4000}),
])
def test_a_form_too_large_gets_the_friendly_413_with_the_headers_and_changes_nothing(
        seeded_app, path, form):
    app = seeded_app(MAX_CONTENT_LENGTH=2048)
    client = signed_in(app, "admin")
    token = token_from(client.get("/staff/settings").get_data(as_text=True))
    before = fingerprint(app)
    response = client.post(path, data={"csrf_token": token, **form})
    assert response.status_code == 413
    assert "larger than this app accepts" in refusal_message(response.get_data(as_text=True))
    assert_secure_headers(response, NEVER_FRAMED)
    assert fingerprint(app) == before
