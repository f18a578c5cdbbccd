"""The rules the screens show are the server's: which table a phone shows, whether it may write or
appoint the reporter, and which group round a plenary hears. The phone's snapshot carries the answers
(`seat`), every round carries `reports_on`, and the JavaScript only looks them up (issue 12).

Service-level, on the in-process app (a real SQLite file).
"""

from __future__ import annotations

import uuid

import pytest
from flask import Flask

from confapp.errors import ServiceError
from confapp.models import Conference, Facilitator, Group, Participant, Round, RoundKind
from confapp.services import bullets, conferences, facilitators, groups, participants, rounds, snapshot

ROLES = ["Lærer", "Assistent", "PPT-rådgiver", "Helsesykepleier"]


@pytest.fixture
def conf(app: Flask) -> Conference:
    f: Facilitator = facilitators.create(email="f@example.no", name="Ordstyrer", password="testpassord-123")
    c = conferences.create_conference(f, title="Regler på skjermen", template="dk1_school")
    for i in range(6):
        participants.join(c, client_uuid=uuid.uuid4(), name=f"Deltaker {i + 1}", role=ROLES[i % len(ROLES)])
    return c


def _of_kind(conf: Conference, kind: RoundKind) -> list[Round]:
    return [r for r in conf.rounds if r.kind == kind]


def _seat(conf: Conference, p: Participant) -> dict[str, object]:
    """What the phone is told: its snapshot's `seat`."""
    return snapshot.snapshot(conf, snapshot.Viewer("participant", p))["seat"]  # type: ignore[no-any-return]


def _table_of(p: Participant, rnd: Round) -> Group:
    return next(g for g in rnd.groups if any(m.participant_id == p.id for m in g.memberships))


def test_a_phone_is_told_its_table_and_what_it_may_do_there(conf: Conference) -> None:
    first = _of_kind(conf, RoundKind.GROUP)[0]
    people = list(conf.participants)
    nobody = {"round_id": None, "group_id": None, "may_write": False, "may_appoint": False}
    assert _seat(conf, people[0]) == nobody, "no tables yet"

    groups.propose(conf, first, group_size=3)
    assert _seat(conf, people[0]) == nobody, "a draft is not shown on phones"

    groups.publish(conf, first)
    grp = first.groups[0]
    leader = next(p for p in people if p.id == grp.leader_id)
    other = next(p for p in people if p.id != leader.id and _table_of(p, first).id == grp.id)
    # Published, not started: the table shows, the leader may already choose the reporter, nobody writes.
    assert _seat(conf, leader) == {
        "round_id": first.id,
        "group_id": grp.id,
        "may_write": False,
        "may_appoint": True,
    }
    assert _seat(conf, other) == {
        "round_id": first.id,
        "group_id": grp.id,
        "may_write": False,
        "may_appoint": False,
    }

    rounds.start(conf, first)
    groups.set_reporter(conf, grp, other.id, by=leader, client_uuid=uuid.uuid4())
    assert _seat(conf, other)["may_write"] is True, "the reporter writes while the round runs"
    assert _seat(conf, leader)["may_write"] is True, "and so does the group leader"
    assert not _seat(conf, other)["may_appoint"]
    # The answer is the rule the write applies: what the seat allows, a post does.
    bullets.post(conf, other, group_id=grp.id, client_uuid=uuid.uuid4(), text_="Felles rutiner")
    stranger = next(p for p in people if _table_of(p, first).id != grp.id)
    assert _seat(conf, stranger)["group_id"] != grp.id
    with pytest.raises(ServiceError):
        bullets.post(conf, stranger, group_id=grp.id, client_uuid=uuid.uuid4(), text_="Ikke mitt bord")

    plenary = _of_kind(conf, RoundKind.PLENARY)[0]
    rounds.start(conf, plenary)  # the group round is over
    after = _seat(conf, other)
    assert after == {"round_id": None, "group_id": None, "may_write": False, "may_appoint": False}, (
        "in plenary no table is shown and nobody writes"
    )
    with pytest.raises(ServiceError):
        bullets.post(conf, other, group_id=grp.id, client_uuid=uuid.uuid4(), text_="For sent")
    assert not groups.may_appoint(grp, leader), "a held round's reporter stays as it was"


def test_the_next_published_table_shows_before_its_round_starts(conf: Conference) -> None:
    first, second = _of_kind(conf, RoundKind.GROUP)[:2]
    groups.propose(conf, first, group_size=3)
    rounds.start(conf, first)
    groups.propose(conf, second, group_size=3)
    groups.publish(conf, second)
    p = conf.participants[0]
    assert _seat(conf, p)["round_id"] == first.id, "the running round's table comes first"
    rounds.start(conf, _of_kind(conf, RoundKind.PLENARY)[0])
    seat = _seat(conf, p)
    assert (seat["round_id"], seat["group_id"]) == (second.id, _table_of(p, second).id)
    assert seat["may_write"] is False, "a table whose round has not started takes no points"


def test_a_plenary_reports_on_the_group_round_before_it(conf: Conference) -> None:
    agenda = sorted(conf.rounds, key=lambda r: r.position)
    shown = {r["id"]: r for r in snapshot.snapshot(conf, snapshot.Viewer("facilitator"))["rounds"]}
    last_group = None
    for r in agenda:
        if r.kind == RoundKind.GROUP:
            assert shown[r.id]["reports_on"] is None
            last_group = r
        else:
            assert last_group is not None, "the template starts with a group round"
            assert shown[r.id]["reports_on"] == last_group.id
            assert rounds.reported_round(conf, r) is last_group
