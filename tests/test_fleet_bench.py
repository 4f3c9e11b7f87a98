"""bench/fleet.py at a tiny scale: paired screens of several clinics, polling two app servers
in turn, are all answered and all counted as proof of life. Needs PostgreSQL:
KIOSK_TEST_POSTGRES=1."""

import os

import pytest

from bench.fleet import fleet

pytestmark = pytest.mark.skipif(os.environ.get("KIOSK_TEST_POSTGRES") != "1",
                                reason="needs PostgreSQL (KIOSK_TEST_POSTGRES=1)")


def test_a_small_group_of_screens_is_answered_and_every_screen_reports(postgres_server, tmp_path):
    lines = []
    [result] = fleet(postgres_server, tmp_path, [12], duration=4, clinics=3, workers=1,
                     ratio_rounds=0, settle=0,
                     warm_seconds=0.5, report=lines.append)
    print("\n" + "\n".join(lines))
    assert result.errors == 0, result.detail
    # Each screen checked in at least once from its paired browser, through either server.
    assert result.reported == 12, "\n".join(lines)
    assert result.achieved > 0.5 * result.intended, "\n".join(lines)
