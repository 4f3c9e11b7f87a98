"""The one plural helper: the form that fits the number, the number put in."""

import pytest

from kiosk.plurals import plural


@pytest.mark.parametrize(("num", "said"), [
    (1, "1 second"), (0, "0 seconds"), (2, "2 seconds"), (21, "21 seconds"), (None, "? seconds"),
])
def test_the_form_follows_the_number(num, said):
    assert plural("%(num)s second", "%(num)s seconds", num) == said
