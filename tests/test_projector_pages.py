"""The facilitator's page step for the projector: a logged event, and bad input refused (service level)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from confapp import db
from confapp.errors import ServiceError
from confapp.models import Conference, EventRecord
from confapp.services import conferences, facilitators, projector


def _conference() -> Conference:
    f = facilitators.create(email="ordstyrer@example.no", name="Ordstyrer", password="hemmelig-passord")
    return conferences.create_conference(f, title="Dialogkonferanse", template="dk1_school")


def _log(conf: Conference) -> list[tuple[str, str, dict[str, Any]]]:
    rows = db.session.scalars(select(EventRecord).where(EventRecord.conference_id == conf.id))
    return [(r.type, r.audience, r.payload) for r in rows]


def test_a_step_is_logged_for_the_screen_audience(app: Flask) -> None:
    """Facilitators and the projector hear it (the projector is not staff: docs/protocol.md, Audiences)."""
    conf = _conference()
    before = conf.last_seq
    projector.step(conf, 1)
    projector.step(conf, -1)
    assert _log(conf)[-2:] == [
        ("projector.paged", "screen", {"delta": 1}),
        ("projector.paged", "screen", {"delta": -1}),
    ]
    assert conf.last_seq == before + 2


@pytest.mark.parametrize("bad", [0, 2, -2, True, False, "1", 1.0, None, [1]])
def test_anything_but_one_page_back_or_on_is_refused(app: Flask, bad: object) -> None:
    conf = _conference()
    before = _log(conf)
    with pytest.raises(ServiceError) as err:
        projector.step(conf, bad)
    assert err.value.code == "invalid"
    assert _log(conf) == before, "nothing was written"
