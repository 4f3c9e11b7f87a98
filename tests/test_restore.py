"""Restoring a version from the History never changes a record's permanent address: the slug of
a stretch, routine or screen, the key of a passage. The console never changes them, so a
revision holding another (edited in a file, or another record's) must not move the record, nor
fail with a server error when it clashes with another record's address."""

import pytest
from sqlalchemy import select

from kiosk.models import Passage, Revision, Routine, Screen, Stretch
from kiosk.revisions import apply_snapshot
from tests.staff_helpers import signed_in, token_from
from tests.test_staff_console import stretch, stretch_form


def test_a_revision_naming_another_stretchs_slug_restores_without_moving_it(app, session):
    client = signed_in(app)
    neck = stretch(session)
    form = stretch_form(client, neck.id)
    form["title"] = "Renamed"
    client.post(f"/staff/stretches/{neck.id}", data=form)
    # The version before the rename, as a crafted import or a hand edit could leave it.
    revision = session.scalar(select(Revision).filter_by(entity="stretch", entity_id=neck.id))
    revision.before = {**revision.before, "slug": "piriformis-stretch"}
    session.commit()
    page = client.get(f"/staff/history/stretch/{neck.id}").get_data(as_text=True)
    response = client.post(f"/staff/history/stretch/{neck.id}/restore",
                           data={"csrf_token": token_from(page), "version": 1, "current": 2})
    assert response.status_code == 303
    restored = stretch(session)
    assert (restored.slug, restored.title, restored.version) == ("neck-stretch",
                                                                 "Neck Stretch", 3)
    assert client.get("/s/back-pain-stretches").status_code == 200


@pytest.mark.parametrize(("model", "address"), [
    (Stretch, "slug"), (Routine, "slug"), (Screen, "slug"), (Passage, "key")])
def test_a_restore_leaves_the_address_as_it_is(app, session, model, address):
    record = session.scalar(select(model).order_by(model.id))
    before = getattr(record, address)
    apply_snapshot(record, {address: "somewhere-else"})
    assert getattr(record, address) == before
    session.rollback()
