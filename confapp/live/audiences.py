"""Who may receive an event, and who is looking: typed, so no screen gets more than it is meant to.

An event has one `Audience`; a connection has one `ViewerKind`. `Audience.reaches` is the single rule
both the live stream (`confapp.live.realtime`) and the replay (`confapp.services.snapshot.missed`) apply,
so what a client hears live and what it is replayed cannot drift apart.

The projector is a screen in a hall, not staff: it hears everything it shows (the tables once
published, the points, the notes, the vote) and nothing else (who joined, with unit and grade team;
draft tables; removals; initiatives). What it may see of a payload is decided per event type by
`confapp.live.events.Event.on_screen`. Protocol: docs/protocol.md, "Audiences".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ViewerKind(enum.StrEnum):
    FACILITATOR = "facilitator"
    PROJECTOR = "projector"
    PARTICIPANT = "participant"


class Scope(enum.StrEnum):
    EVERYONE = "all"  # every connection of the conference
    STAFF = "staff"  # facilitators only: names and personal details, draft tables, removals
    SCREEN = "screen"  # facilitators and the projector, not phones (the running vote tally)
    GROUP = "group"  # one table's phones, the facilitators and the projector (its points)


@dataclass(frozen=True)
class Audience:
    scope: Scope
    group_id: int | None = None

    def __post_init__(self) -> None:
        if (self.scope == Scope.GROUP) != (self.group_id is not None):
            raise ValueError("a group audience names its group, and only it does")

    def __str__(self) -> str:
        """The stored form (`events.audience`): "all", "staff", "screen" or "group:<id>"."""
        return f"{self.scope}:{self.group_id}" if self.scope == Scope.GROUP else str(self.scope)

    @classmethod
    def parse(cls, stored: str) -> Audience:
        scope, _, group = stored.partition(":")
        return cls(Scope(scope), int(group) if group else None)

    def reaches(self, viewer: ViewerKind, group_ids: set[int] | frozenset[int] = frozenset()) -> bool:
        """Whether a viewer of this kind (a phone: at these tables) may receive the event at all."""
        if viewer == ViewerKind.FACILITATOR:
            return True
        if viewer == ViewerKind.PROJECTOR:
            return self.scope != Scope.STAFF
        if self.scope == Scope.GROUP:
            return self.group_id in group_ids
        return self.scope == Scope.EVERYONE


ALL = Audience(Scope.EVERYONE)
STAFF = Audience(Scope.STAFF)
SCREEN = Audience(Scope.SCREEN)


def group_audience(group_id: int) -> Audience:
    return Audience(Scope.GROUP, group_id)
