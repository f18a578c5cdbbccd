"""The projector's page step, at the service: the rule the console's buttons and the API share.

It was tested only through HTTP inside a browser test; here it runs on the in-process app in milliseconds.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from confapp import db
from confapp.errors import ServiceError
from confapp.models import Conference, EventRecord
from confapp.services import conferences, facilitators, projector


@pytest.fixture
def conf(app: Flask) -> Conference:
    owner = facilitators.create(email="eier@example.no", name="Eier", password="testpassord-123")
    return conferences.create_conference(owner, title="Sidekonferanse", template="dk1_school")


def _paged(conf: Conference) -> list[int]:
    rows = db.session.scalars(
        select(EventRecord).where(EventRecord.conference_id == conf.id).order_by(EventRecord.seq)
    )
    return [r.payload["delta"] for r in rows if r.type == "projector.paged"]


@pytest.mark.parametrize("delta", [-1, 1])
def test_one_page_back_or_on_is_logged_for_every_screen(conf: Conference, delta: int) -> None:
    projector.step(conf, delta)
    assert _paged(conf) == [delta]


@pytest.mark.parametrize("bad", [5, 0, -2, True, False, "1", None, 1.0, [1]])
def test_anything_else_is_refused_and_changes_nothing(conf: Conference, bad: object) -> None:
    before = db.session.scalar(select(func.count()).select_from(EventRecord))
    with pytest.raises(ServiceError) as refused:
        projector.step(conf, bad)
    assert refused.value.code == "invalid"
    assert db.session.scalar(select(func.count()).select_from(EventRecord)) == before
