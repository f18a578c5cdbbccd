"""The projector's pages: the facilitator steps the list the big screen is paging through."""

from __future__ import annotations

from confapp import db
from confapp.errors import N_, ServiceError
from confapp.live import events
from confapp.models import Conference


def step(conf: Conference, delta: object) -> None:
    """One page back (-1) or on (+1) on every projector of the conference.

    Relative on purpose: how many pages a list needs depends on each screen's size, so only the screen
    knows; the log keeps the step so every projector (and several server processes) hear it in order.
    """
    if type(delta) is not int or delta not in (-1, 1):  # bool is an int subclass: refused too
        raise ServiceError("invalid", N_("The projector can go one page back or one page on."))
    with db.transaction() as s:
        events.record(s, conf.id, events.ProjectorPaged(delta=delta))
