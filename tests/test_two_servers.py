"""Two app servers on one PostgreSQL (bench/two_servers.py): what one takes in, the other
serves; a staff session and its forms work on either. Needs PostgreSQL: KIOSK_TEST_POSTGRES=1."""

import os

import pytest

from bench.two_servers import two_servers

pytestmark = pytest.mark.skipif(os.environ.get("KIOSK_TEST_POSTGRES") != "1",
                                reason="needs PostgreSQL (KIOSK_TEST_POSTGRES=1)")


def test_edits_uploads_sheets_and_sessions_cross_from_one_server_to_the_other(
    postgres_server, tmp_path
):
    lines = []
    results = two_servers(postgres_server, tmp_path, workers=1, report=lines.append)
    print("\n" + "\n".join(lines))
    assert results and all(results), "\n".join(lines)
    assert len(results) == 9
