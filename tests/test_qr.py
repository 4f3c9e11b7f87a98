"""QR codes as a phone reads them: the address, whole, from a code printed a few centimetres
across; and as a screen reader reads them: named when labelled, hidden when not."""

import pytest

from kiosk import qr
from tests.conftest import PUBLIC_URL
from tests.readers import qr_codes_in_svg

ADDRESSES = [
    PUBLIC_URL + "/s/back-pain-stretches",
    PUBLIC_URL + "/p/Ab3_x-9Q2kLmN0pQrStUvWxYz0123456789abcdefghijklmnopqrstuv",  # 64-long token
    "https://kiosk.clinic.example/s/hamstrings-and-hips-after-work?from=screen",
]


@pytest.mark.parametrize("address", ADDRESSES, ids=["routine", "patient-token", "https-query"])
def test_a_phone_reads_the_whole_address_from_the_code(address):
    assert qr_codes_in_svg(qr.svg(address, "Scan to take these stretches home")) == [address]


def test_a_labelled_code_is_an_image_named_for_screen_readers():
    svg = qr.svg(PUBLIC_URL + "/s/back-pain-stretches", 'Scan <b>"this"</b> & go')
    assert 'role="img"' in svg
    assert 'aria-label="Scan &lt;b&gt;&#34;this&#34;&lt;/b&gt; &amp; go"' in svg
    assert "<title>Scan &lt;b&gt;&#34;this&#34;&lt;/b&gt; &amp; go</title>" in svg
    assert "<b>" not in svg


def test_an_unlabelled_code_is_hidden_from_screen_readers():
    svg = qr.svg(PUBLIC_URL + "/s/back-pain-stretches")
    assert 'aria-hidden="true"' in svg
    assert 'role="img"' not in svg and "<title>" not in svg
