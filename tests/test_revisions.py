"""Every save keeps a revision and moves the version on; a save over someone else's is refused
with their change; any version can be restored, and a restore never changes a record's permanent
address: the slug of a stretch, routine or screen, the key of a passage. The console never changes
them, so a revision holding another (edited in a file, or another record's) must not move the
record, nor fail with a server error when it clashes with another record's address."""

import pytest
from sqlalchemy import func, select

from kiosk.models import ContentState, Passage, Revision, Routine, Screen, Stretch
from kiosk.revisions import apply_snapshot
from tests.staff_helpers import routine_form, signed_in, stretch, stretch_form, token_from

SHEET = "/s/back-pain-stretches"


def rename(client, stretch_id, title="Renamed"):
    """Save the stretch's editor with a new title, as staff would."""
    form = stretch_form(client, stretch_id)
    form["title"] = title
    return client.post(f"/staff/stretches/{stretch_id}", data=form)


def restore(client, entity, entity_id, version, current):
    """Press Restore on `version` in the record's History, which shows `current` as the latest."""
    page = client.get(f"/staff/history/{entity}/{entity_id}").get_data(as_text=True)
    return client.post(f"/staff/history/{entity}/{entity_id}/restore",
                       data={"csrf_token": token_from(page), "version": version,
                             "current": current})


def revisions_kept(session) -> int:
    return session.scalar(select(func.count()).select_from(Revision))


# ---- Saving


def test_editing_a_stretch_saves_a_revision_and_bumps_the_content_version(app, session):
    client = signed_in(app)
    neck = stretch(session)
    before_version = session.scalar(select(ContentState.version))
    form = stretch_form(client, neck.id)
    form.update({"title": "Gentle Neck Stretch", "hold_seconds": "20", "sides": "left-right",
                 "position": "standing", "demonstration": "neck-stretch"})
    response = client.post(f"/staff/stretches/{neck.id}", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    neck = stretch(session)
    assert (neck.title, neck.hold_seconds, neck.version) == ("Gentle Neck Stretch", 20, 2)
    assert neck.steps[0].startswith("Stand with your feet flat")
    revision = session.scalar(select(Revision).filter_by(entity="stretch", entity_id=neck.id))
    assert revision.before["title"] == "Neck Stretch"
    assert revision.after["hold_seconds"] == 20
    assert session.scalar(select(ContentState.version)) == before_version + 1


def test_saving_an_editor_unchanged_keeps_no_revision_and_reloads_no_screen(app, session):
    """The History lists changes, not visits; screens reload only when something changed."""
    client = signed_in(app)
    neck = stretch(session)
    content_version = session.scalar(select(ContentState.version))
    response = client.post(f"/staff/stretches/{neck.id}", data=stretch_form(client, neck.id))
    assert response.status_code == 303
    assert stretch(session).version == 1
    assert revisions_kept(session) == 0
    assert session.scalar(select(ContentState.version)) == content_version
    history = client.get(f"/staff/history/stretch/{neck.id}").get_data(as_text=True)
    assert "Not changed in the console yet." in history


def test_saving_over_someone_elses_save_is_refused_and_shows_their_change(app, session):
    first, second = signed_in(app, username="jade"), signed_in(app, username="sam")
    neck = stretch(session)
    form_one, form_two = stretch_form(first, neck.id), stretch_form(second, neck.id)
    form_one["title"] = "Neck Stretch (Jade)"
    assert first.post(f"/staff/stretches/{neck.id}", data=form_one).status_code == 303
    form_two["title"] = "Neck Stretch (Sam)"
    refused = second.post(f"/staff/stretches/{neck.id}", data=form_two)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "jade changed this" in page
    assert "Neck Stretch (Jade)" in page
    assert stretch(session).title == "Neck Stretch (Jade)"


# ---- Restoring


def test_history_restores_an_earlier_version(app, session):
    client = signed_in(app)
    neck = stretch(session)
    rename(client, neck.id)
    response = restore(client, "stretch", neck.id, version=1, current=2)
    assert response.status_code == 303
    assert (stretch(session).title, stretch(session).version) == ("Neck Stretch", 3)


def test_restoring_a_routine_brings_its_stretches_back_to_the_sheet_in_order(app, session,
                                                                              client):
    staff = signed_in(app)
    routine = session.scalar(select(Routine).filter_by(slug="back-pain-stretches"))
    titles = [item.stretch.title for item in routine.items]
    shortened = [(item.stretch_id, "", "") for item in routine.items[1:]]
    assert staff.post(f"/staff/routines/{routine.id}",
                      data=routine_form(staff, routine, shortened)).status_code == 303
    assert titles[0] not in client.get(SHEET).get_data(as_text=True)
    response = restore(staff, "routine", routine.id, version=1, current=2)
    assert response.status_code == 303
    sheet = client.get(SHEET).get_data(as_text=True)
    assert [sheet.index(title) for title in titles] == sorted(sheet.index(t) for t in titles)


def test_a_revision_naming_another_stretchs_slug_restores_without_moving_it(app, session):
    client = signed_in(app)
    neck = stretch(session)
    rename(client, neck.id)
    # The version before the rename, as a crafted import or a hand edit could leave it.
    revision = session.scalar(select(Revision).filter_by(entity="stretch", entity_id=neck.id))
    revision.before = {**revision.before, "slug": "piriformis-stretch"}
    session.commit()
    response = restore(client, "stretch", neck.id, version=1, current=2)
    assert response.status_code == 303
    restored = stretch(session)
    assert (restored.slug, restored.title, restored.version) == ("neck-stretch",
                                                                 "Neck Stretch", 3)
    assert client.get(SHEET).status_code == 200


@pytest.mark.parametrize(("model", "address"), [
    (Stretch, "slug"), (Routine, "slug"), (Screen, "slug"), (Passage, "key")])
def test_a_restore_leaves_the_address_as_it_is(app, session, model, address):
    record = session.scalar(select(model).order_by(model.id))
    before = getattr(record, address)
    apply_snapshot(record, {address: "somewhere-else"})
    assert getattr(record, address) == before
    session.rollback()
