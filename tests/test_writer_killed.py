"""Fault (b): a process killed with SIGKILL in the middle of saving leaves every save whole or
absent, and SQLite's file intact. bench/fault_writer_kill.py is the same as a script."""

from bench.fault_writer_kill import kill_writers


def test_fifty_writers_killed_mid_save_leave_only_whole_saves(app):
    outcome = kill_writers(app.config["DATABASE_URL"], kills=50)
    print(f"\n{outcome}")
    assert outcome.kills == 50
    # Each writer is killed after its first save, while saving more: on a busy machine that may
    # be all it managed, so the count of saves says no more than that.
    assert outcome.acknowledged >= outcome.kills
    assert outcome.integrity in ("ok", "not SQLite")
    assert outcome.problems == []
