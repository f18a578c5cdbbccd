"""Catching up: what a client missed since its last `seq`, or word that it needs a fresh snapshot.

One rule for every way in (the socket `sync`, `GET /events`), so they cannot drift apart: replay the
events after `since` that this viewer may see, unless more than `EVENT_REPLAY_LIMIT` were missed or the
client claims a `seq` the server never reached (a restored database). Then a replay would be wrong or too
long, and the client must start again from a snapshot; it is never told "nothing missed" instead
(Zulip's event queue fails loudly in the same place: "resync required").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from confapp.models import Conference
from confapp.services import snapshot


@dataclass(frozen=True)
class CatchUp:
    """A replay (`events`, ending at `seq`), or `events is None`: a snapshot is required."""

    events: list[dict[str, Any]] | None
    seq: int

    @property
    def snapshot_required(self) -> bool:
        return self.events is None


def catch_up(conf: Conference, viewer: snapshot.Viewer, since: int | None, limit: int) -> CatchUp:
    # The counter as loaded before the events are read: a transaction takes its seq under the conference
    # row's lock and commits with it, so every event up to this counter is committed and in the replay.
    # The client may move its position there even when none of those events were for it (a phone that
    # stopped at an event of its table must not fall behind the `prev` of the next one it is sent).
    counter = conf.last_seq
    if since is None or since < 0:
        return CatchUp(None, counter)
    missed = snapshot.missed(conf, viewer, since, limit)
    if missed is None:
        return CatchUp(None, counter)
    return CatchUp(missed, max([since, counter] + [e["seq"] for e in missed]))
