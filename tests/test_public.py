"""The address phones reach the app at (kiosk/public.py): which one QR codes and printed sheets
use, and the truth about it: from that address, `make run` (`flask urls`), /healthz and the
console's front page say where phones can open the sheets, and point to the guide's "Phones at
home" when that is only the clinic Wi-Fi."""

import re

import pytest
from sqlalchemy import update

from kiosk.db import get_session
from kiosk.models import Clinic
from kiosk.public import GUIDE, reach
from tests.staff_helpers import signed_in

WIFI = "Phones on the clinic Wi-Fi only, no offline copy"
ANYWHERE = "Phones anywhere, offline copy and home-screen install"
NOWHERE = "cannot open"  # "Phones cannot open the QR codes", "phones ... cannot open it"
GUIDE_LINK = "/staff/guide/deployment.md#phones-at-home-a-public-https-address"


def sheet_addresses(app, host="kiosk.lan:8000") -> set[str]:
    """The addresses the routine's sheet prints for phones (under its QR code), asked at `host`."""
    page = app.test_client().get("/s/back-pain-stretches", headers={"Host": host}).get_data(True)
    return set(re.findall(r"https?://[^\s\"'<]+/s/back-pain-stretches", page))


def test_sheets_print_the_address_staff_set_then_the_installs_then_the_one_asked_at(seeded_app):
    """A clinic that sets its public address in the console has it on every sheet at once, over
    KIOSK_PUBLIC_URL; with neither, the sheet gives the address the page was asked at."""
    app = seeded_app(PUBLIC_URL="http://192.168.1.20:8000/",
                     TRUSTED_HOST_NAMES=["kiosk.lan"])
    assert sheet_addresses(app) == {"http://192.168.1.20:8000/s/back-pain-stretches"}
    with app.app_context():
        get_session().execute(update(Clinic).values(public_url=" https://kiosk.clinic.example/ "))
        get_session().commit()
    assert sheet_addresses(app) == {"https://kiosk.clinic.example/s/back-pain-stretches"}

    unset = seeded_app(PUBLIC_URL="", TRUSTED_HOST_NAMES=["kiosk.lan"])
    with unset.app_context():
        get_session().execute(update(Clinic).values(public_url=""))
        get_session().commit()
    assert sheet_addresses(unset) == {"http://kiosk.lan:8000/s/back-pain-stretches"}


@pytest.mark.parametrize("url, case", [
    ("http://192.168.1.20:8000", "clinic-wifi"),
    ("http://10.0.0.5", "clinic-wifi"),
    ("http://[fd12:3456::1]:8000", "clinic-wifi"),
    ("http://kiosk.lan:8000", "clinic-wifi"),
    ("http://kiosk:8000", "clinic-wifi"),
    ("http://reception.local:8000", "clinic-wifi"),
    ("http://kiosk.home.arpa", "clinic-wifi"),
    ("http://KIOSK.LAN.:8000", "clinic-wifi"),
    ("http://100.64.1.2:8000", "clinic-wifi"),
    ("https://kiosk.clinicname.com.au", "anywhere"),
    ("https://clinic.test:8443", "anywhere"),
    ("http://kiosk.clinicname.com.au", "anywhere-no-offline"),
    ("https://kiosk.lan", "clinic-wifi-https"),
    ("https://192.168.1.20", "clinic-wifi-https"),
    ("http://localhost:8000", "this-machine"),
    ("http://127.0.0.1:8000", "this-machine"),
    ("", "this-machine"),
])
def test_each_kind_of_address_is_judged_as_phones_meet_it(url, case):
    assert reach(url).case == case
    assert reach(url).anywhere == case.startswith("anywhere")
    assert reach(url).offline == (case == "anywhere")
    if case == "clinic-wifi":
        assert reach(url).summary.startswith(WIFI)
    if case == "anywhere":
        assert reach(url).summary.startswith(ANYWHERE)


CASES = {
    "http on a private address": ("http://192.168.1.20:8000", WIFI),
    "http on localhost": ("http://localhost:8000", NOWHERE),
    "https on a public name": ("https://kiosk.clinicname.com.au", ANYWHERE),
}


@pytest.fixture(params=list(CASES))
def clinic(request, seeded_app):
    """(app, what it must say) for the clinic's public address as KIOSK_PUBLIC_URL."""
    url, says = CASES[request.param]
    app = seeded_app(PUBLIC_URL=url, TRUSTED_HOST_NAMES=["kiosk.clinicname.com.au"])
    return app, url, says


def test_make_run_says_where_phones_reach_the_sheets(clinic):
    app, url, says = clinic
    output = app.test_cli_runner().invoke(args=["urls"]).output
    assert says.lower() in output.lower()
    if says == ANYWHERE:
        assert GUIDE not in output
    else:
        assert GUIDE in output and '"Phones at home: a public HTTPS address"' in output


def test_healthz_says_where_phones_reach_the_sheets(clinic):
    app, url, says = clinic
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json["status"] == "ok"
    phones = response.json["phones"]
    assert phones["guide"] == GUIDE
    assert phones["anywhere"] == phones["offline"] == (says == ANYWHERE)
    if says == NOWHERE:
        assert phones["case"] == "this-machine"
        assert any(says in warning for warning in response.json["warnings"])
    else:
        assert phones["summary"].startswith(says)
        assert response.json["warnings"] == []


def phones_panel(page: str) -> str:
    """The front page's "Where patients' phones open the sheets", or '' when it has none."""
    if 'id="phones-heading"' not in page:
        return ""
    return page.split('id="phones-heading"')[1].split("</section>")[0].replace("&#39;", "'")


def test_the_consoles_front_page_says_where_phones_reach_the_sheets(clinic):
    app, url, says = clinic
    page = signed_in(app, "staff").get("/staff/").get_data(as_text=True)
    panel = phones_panel(page)
    if says == NOWHERE:  # the warning says so, and where to go; the panel would say it twice
        assert panel == "" and "phones that scan a QR code cannot open it" in page
        assert page.count(GUIDE_LINK) == 1
        return
    assert says in panel
    assert (GUIDE_LINK in panel) == (says == WIFI)
    assert 'href="/staff/settings"' not in panel  # staff cannot change the address
    admin_panel = phones_panel(signed_in(app, "admin").get("/staff/").get_data(as_text=True))
    assert ('href="/staff/settings"' in admin_panel) == (says == WIFI)


def test_the_guides_are_read_in_the_console_by_those_signed_in_only(app):
    anonymous = app.test_client().get("/staff/guide/deployment.md")
    assert anonymous.status_code == 302 and "/staff/login" in anonymous.headers["Location"]
    client = signed_in(app, "staff")
    page = client.get("/staff/guide/deployment.md").get_data(as_text=True)
    assert 'id="phones-at-home-a-public-https-address"' in page
    assert "<table>" in page and "<code>" in page and "style=" not in page
    staff_guide = client.get("/staff/guide/staff-guide.md").get_data(as_text=True)
    picture = 'src="images/console-screen-status.png"'
    assert picture in staff_guide
    with client.get("/staff/guide/images/console-screen-status.png") as image:  # closes the file
        assert image.status_code == 200 and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    for outside in ("../README.md", "..%2FREADME.md", "README.md", "deployment", "x.md",
                    "images/../security.md", "..%2f..%2fpyproject.toml"):
        assert client.get(f"/staff/guide/{outside}").status_code == 404, outside
    for outside in ("..%2Fdeployment.md", "x.png", "..%2F..%2Fstatic%2Ficons%2Ficon.svg"):
        assert client.get(f"/staff/guide/images/{outside}").status_code == 404, outside


def test_every_link_inside_the_guides_leads_somewhere_in_the_console(app):
    """A guide's links to its own sections, to the other docs and to its pictures all open in
    the console: Markdown's heading ids are the ones the docs' links (written for GitHub) use."""
    client = signed_in(app, "staff")
    pages = {}

    def guide(name):
        if name not in pages:
            response = client.get(f"/staff/guide/{name}")
            assert response.status_code == 200, name
            pages[name] = response.get_data(as_text=True)
        return pages[name]

    links = 0
    for name in ("deployment.md", "staff-guide.md", "demonstrations.md"):
        body = guide(name).split('<article class="guide">')[1]
        for target, anchor in re.findall(r'href="([a-z-]*\.md)?(?:#([^"]*))?"', body):
            page = guide(target or name)
            assert not anchor or f'id="{anchor}"' in page, (name, target, anchor)
            links += 1
        for picture in re.findall(r'<img[^>]* src="([^"]+)"', body):
            with client.get(f"/staff/guide/{picture}") as response:
                assert response.status_code == 200, (name, picture)
    assert links >= 10
