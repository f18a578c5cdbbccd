"""Every phone write exactly once, every composite action all or nothing (issue 12).

Service-level, on a real SQLite file and on the machine's PostgreSQL (a database of its own per test,
skipped with the reason when the service is absent). Concurrent deliveries are real threads, each
with its own session, released together by a barrier.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, update
from support import PHONE, Api, Conference, LiveServer, postgres_database, shot, socket_client

from confapp import db
from confapp.auth import participant_cookie
from confapp.errors import ServiceError
from confapp.models import (
    Cluster,
    Dot,
    EventRecord,
    Group,
    Participant,
    PlenaryNote,
    Round,
    RoundKind,
)
from confapp.models import (
    Conference as ConferenceRow,
)
from confapp.services import (
    board,
    bullets,
    conferences,
    facilitators,
    groups,
    participants,
    plenary,
    rounds,
    votes,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """An in-process app on a fresh SQLite file or a fresh PostgreSQL database of its own."""
    monkeypatch.setenv("CONFAPP_INSTANCE_PATH", str(tmp_path))
    from confapp import create_app

    with ExitStack() as stack:
        if request.param == "postgresql":
            url = stack.enter_context(postgres_database())
        else:
            url = f"sqlite:///{tmp_path / 'idem.sqlite'}"
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "idem-test",
                "SOCKETIO_ASYNC_MODE": "threading",
                "TESTING": True,
            }
        )
        stack.callback(app.extensions["confapp_engine"].dispose)
        stack.callback(db.session.remove)
        with app.app_context():
            yield app


def _conference(people: int = 4) -> tuple[ConferenceRow, list[Participant]]:
    f = facilitators.create(email="i@example.no", name="Ordstyrer", password="et-langt-passord-for-test")
    conf = conferences.create_conference(f, title="Idem", template="dk1_school", held_on=None)
    made = [
        participants.join(conf, client_uuid=uuid.uuid4(), name=f"Deltaker {i + 1}", role="Lærer")[0]
        for i in range(people)
    ]
    return conf, made


def _running(people: int = 4) -> tuple[ConferenceRow, list[Participant], Group, Participant]:
    """A conference whose first group round runs: everyone, its first table and that table's leader."""
    conf, made = _conference(people)
    rnd = next(r for r in conf.rounds if r.kind == RoundKind.GROUP)
    rounds.start(conf, rnd)
    grp = rnd.groups[0]
    return conf, made, grp, next(p for p in made if p.id == grp.leader_id)


def _at_once(app: Flask, n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in n threads released together; returns results (or the exceptions raised)."""
    barrier = threading.Barrier(n)
    out: list[Any] = [None] * n

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                out[i] = work(i)
            except Exception as exc:  # noqa: BLE001 - the caller asserts on what each thread met
                out[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


def _fresh(model: Any, ident: int) -> Any:
    db.session.expire_all()
    return db.session.get(model, ident)


def _count(model: Any, *where: Any) -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _events(conf_id: int, kind: str) -> int:
    return _count(EventRecord, EventRecord.conference_id == conf_id, EventRecord.type == kind)


# --- join ---


def test_a_join_retried_with_its_key_is_the_first_join(backend: Flask) -> None:
    conf, _ = _conference(2)
    key = uuid.uuid4()
    first, token = participants.join(conf, client_uuid=key, name="Kari", role="Lærer")
    again, token_again = participants.join(conf, client_uuid=key, name="Kari", role="Lærer")
    assert (again.id, token_again) == (first.id, token)
    assert _count(Participant, Participant.display_name == "Kari") == 1
    assert _events(conf.id, "participant.joined") == 3  # two people from the setup, Kari once


def test_concurrent_joins_with_one_key_make_one_participant(backend: Flask) -> None:
    conf, _ = _conference(2)
    key, cid = uuid.uuid4(), conf.id

    def join(_i: int) -> tuple[int, str]:
        p, token = participants.join(_fresh(ConferenceRow, cid), client_uuid=key, name="Kari", role="Lærer")
        return p.id, token

    results = _at_once(backend, 4, join)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert len(set(results)) == 1, "every submit gets the first one's participant and token"
    assert _count(Participant, Participant.display_name == "Kari") == 1


def test_the_join_page_submitted_twice_makes_one_participant_with_one_cookie(app: Flask) -> None:
    f = facilitators.create(email="j@example.no", name="Ordstyrer", password="et-langt-passord-for-test")
    conf = conferences.create_conference(f, title="Skjema", template="dk1_school", held_on=None)
    phone = app.test_client()
    page = phone.get(f"/j/{conf.join_code}").get_data(as_text=True)
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]+)">', page))
    assert "join_key" in form, "the rendered join form carries its key"
    form.update(name="Kari", role="Lærer")
    answers = [phone.post(f"/j/{conf.join_code}", data=form)]
    phone.delete_cookie(participant_cookie(conf))  # the second submit left before the cookie arrived
    answers.append(phone.post(f"/j/{conf.join_code}", data=form))
    assert [a.status_code for a in answers] == [302, 302]
    cookies = [a.headers["Set-Cookie"].split(";")[0] for a in answers]
    assert cookies[0] == cookies[1]
    assert _count(Participant, Participant.conference_id == conf.id) == 1


# --- votes ---


def _voting(dots: int = 3) -> tuple[ConferenceRow, list[Participant], list[Cluster]]:
    conf, people, grp, writer = _running()
    for i in range(2):
        bullets.post(conf, writer, group_id=grp.id, client_uuid=uuid.uuid4(), text_=f"Punkt {i}")
    made = [board.create(conf, f"Klynge {i}") for i in range(2)]
    votes.open_vote(conf, dots)
    return conf, people, made


def test_a_retried_cast_places_one_dot_and_answers_as_the_first(backend: Flask) -> None:
    conf, people, made = _voting()
    key = uuid.uuid4()
    first = votes.cast(conf, people[0], cluster_id=made[0].id, client_uuid=key)
    votes.cast(conf, people[0], cluster_id=made[1].id, client_uuid=uuid.uuid4())
    again = votes.cast(conf, people[0], cluster_id=made[0].id, client_uuid=key)
    assert again == first == {str(made[0].id): 1}
    assert _count(Dot, Dot.participant_id == people[0].id) == 2


def test_a_retried_retract_takes_back_one_dot(backend: Flask) -> None:
    conf, people, made = _voting()
    for _ in range(3):
        votes.cast(conf, people[0], cluster_id=made[0].id, client_uuid=uuid.uuid4())
    key = uuid.uuid4()
    first = votes.retract(conf, people[0], cluster_id=made[0].id, client_uuid=key)
    again = votes.retract(conf, people[0], cluster_id=made[0].id, client_uuid=key)
    assert again == first == {str(made[0].id): 2}
    assert _count(Dot, Dot.participant_id == people[0].id) == 2


def test_someone_elses_key_is_refused(backend: Flask) -> None:
    conf, people, made = _voting()
    key = uuid.uuid4()
    votes.cast(conf, people[0], cluster_id=made[0].id, client_uuid=key)
    with pytest.raises(ServiceError) as err:
        votes.cast(conf, people[1], cluster_id=made[0].id, client_uuid=key)
    assert err.value.code == "key_taken"
    assert _count(Dot, Dot.participant_id == people[1].id) == 0


def test_concurrent_casts_never_pass_the_dot_limit(backend: Flask) -> None:
    conf, people, made = _voting(dots=2)
    cid, pid, target = conf.id, people[0].id, made[0].id

    def cast(_i: int) -> dict[str, int]:
        return votes.cast(
            _fresh(ConferenceRow, cid), _fresh(Participant, pid), cluster_id=target, client_uuid=uuid.uuid4()
        )

    results = _at_once(backend, 6, cast)
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert [r.code for r in refused] == ["no_dots_left"] * 4, results
    assert _count(Dot, Dot.participant_id == pid) == 2


def test_concurrent_deliveries_of_one_cast_place_one_dot(backend: Flask) -> None:
    conf, people, made = _voting()
    cid, pid, target, key = conf.id, people[0].id, made[0].id, uuid.uuid4()

    def cast(_i: int) -> dict[str, int]:
        return votes.cast(
            _fresh(ConferenceRow, cid), _fresh(Participant, pid), cluster_id=target, client_uuid=key
        )

    results = _at_once(backend, 4, cast)
    assert results == [{str(target): 1}] * 4
    assert _count(Dot, Dot.participant_id == pid) == 1


# --- notes ---


def test_concurrent_deliveries_of_one_note_save_one_note(backend: Flask) -> None:
    conf, _ = _conference(2)
    plenary_round = next(r for r in conf.rounds if r.kind == RoundKind.PLENARY)
    rounds.start(conf, plenary_round)
    cid, key = conf.id, uuid.uuid4()

    def save(_i: int) -> int:
        note = plenary.save_note(
            _fresh(ConferenceRow, cid), client_uuid=key, text_="Enighet om tiltak", author="O"
        )
        return note.id

    results = _at_once(backend, 4, save)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert len(set(results)) == 1
    assert _count(PlenaryNote, PlenaryNote.conference_id == cid) == 1
    assert _events(cid, "note.saved") == 1


# --- appointing the reporter ---


def test_a_late_retry_of_an_appointment_changes_nothing(backend: Flask) -> None:
    conf, _people, grp, leader = _running()
    first, second = [m.participant_id for m in grp.memberships if m.participant_id != leader.id][:1] + [
        leader.id
    ]
    key = uuid.uuid4()
    groups.set_reporter(conf, grp, first, by=leader, client_uuid=key)
    groups.set_reporter(conf, grp, second, by=leader, client_uuid=uuid.uuid4())
    before = _events(conf.id, "group.roles_set")
    groups.set_reporter(conf, grp, first, by=leader, client_uuid=key)  # the first one's ack was lost
    assert _fresh(Group, grp.id).reporter_id == second
    assert _events(conf.id, "group.roles_set") == before


def test_a_phone_appointment_needs_its_key(backend: Flask) -> None:
    conf, _people, grp, leader = _running()
    with pytest.raises(ServiceError) as err:
        groups.set_reporter(conf, grp, leader.id, by=leader)
    assert err.value.code == "invalid"


# --- all or nothing ---


def _minutes_outside_the_agenda_rule(conf: ConferenceRow, rnd: Round) -> type[BaseException]:
    """Minutes the agenda rules refuse, stored by an older version: the start refuses them only after
    the tables were made, when it computes when the round ends (a ServiceError)."""
    db.session.execute(update(Round).where(Round.id == rnd.id).values(minutes=100_000))
    return ServiceError


def _a_seq_the_start_needs_is_taken(conf: ConferenceRow, rnd: Round) -> type[BaseException]:
    """A log entry already holds the second seq the start will take (say, a log restored from a backup
    ahead of its counter): the log's UNIQUE(conference_id, seq) refuses the start's phase event. The
    first seq is free, so a start that commits its tables separately gets them in."""
    last = db.session.scalar(select(ConferenceRow.last_seq).where(ConferenceRow.id == conf.id))
    db.session.add(EventRecord(conference_id=conf.id, seq=last + 2, type="x", audience="staff", payload={}))
    return Exception  # SQLAlchemy's IntegrityError, or psycopg's UniqueViolation from the pipelined append


@pytest.mark.parametrize("failure", [_minutes_outside_the_agenda_rule, _a_seq_the_start_needs_is_taken])
def test_a_round_start_that_fails_halfway_leaves_no_tables(backend: Flask, failure: Any) -> None:
    conf, _ = _conference(6)
    rnd = next(r for r in conf.rounds if r.kind == RoundKind.GROUP)
    expected = failure(conf, rnd)
    db.session.commit()
    db.session.expire_all()
    seq_before = _fresh(ConferenceRow, conf.id).last_seq
    with pytest.raises(expected):
        rounds.start(_fresh(ConferenceRow, conf.id), _fresh(Round, rnd.id))
    db.session.rollback()
    assert _count(Group, Group.round_id == rnd.id) == 0, "no tables left behind"
    assert _fresh(Round, rnd.id).state == "pending"
    assert _fresh(ConferenceRow, conf.id).last_seq == seq_before, "no event of the half start"


def test_a_round_start_with_its_tables_is_one_commit(backend: Flask) -> None:
    conf, _ = _conference(6)
    rnd = next(r for r in conf.rounds if r.kind == RoundKind.GROUP)
    with _commits() as seen:
        rounds.start(conf, rnd)
    assert seen == [1]
    assert _count(Group, Group.round_id == rnd.id) > 0


def test_proposing_clusters_is_one_commit(backend: Flask) -> None:
    conf, people, grp, writer = _running()
    texts = [
        "Mer samarbeid med PPT",
        "Samarbeid med PPT tidlig",
        "Felles rutiner for overganger",
        "Rutiner for overganger mellom trinn",
        "Tidlig innsats i lesing",
        "Lesing og tidlig innsats",
    ]
    for t in texts:
        bullets.post(conf, writer, group_id=grp.id, client_uuid=uuid.uuid4(), text_=t)
    with _commits() as seen:
        made = board.propose_clusters(conf)
    assert len(made) >= 2, "several clusters, so one commit each would show"
    assert seen == [1]


class _commits:
    """Counts the commits of the app's sessions while in the block (the real hook, nothing replaced)."""

    def __enter__(self) -> list[int]:
        self.seen = [0]
        sa_event.listen(db.session_factory, "after_commit", self._count)
        return self.seen

    def _count(self, _session: Any) -> None:
        self.seen[0] += 1

    def __exit__(self, *_exc: Any) -> None:
        sa_event.remove(db.session_factory, "after_commit", self._count)


def test_a_new_conference_starts_its_log_with_what_it_is(app: Flask) -> None:
    conf, _ = _conference(0)
    first = db.session.scalar(
        select(EventRecord).where(EventRecord.conference_id == conf.id).order_by(EventRecord.seq).limit(1)
    )
    assert (first.seq, first.type) == (1, "conference.updated")
    assert first.payload["conference"]["title"] == "Idem"


# --- deleting a conference tells open consoles and phones (a real server, real Socket.IO clients) ---


def test_deleting_a_conference_reaches_an_open_console_a_phone_and_the_projector(
    server: LiveServer, facilitator_api: Api
) -> None:
    conf = Conference(server, facilitator_api)
    pid = conf.join("Kari", "Lærer")
    token = facilitator_api.session.headers["Authorization"].split(" ", 1)[1]
    key = facilitator_api.get(conf.path())["projector_url"].rsplit("/", 1)[1]
    console = socket_client(server.url, {"kind": "facilitator", "token": token, "conference_id": conf.id})
    phone = socket_client(server.url, {"kind": "participant", "token": conf.tokens[pid]})
    projector = socket_client(server.url, {"kind": "projector", "key": key})
    try:
        for c in (console, phone, projector):
            assert c.call("sync", {"since": None}, timeout=10)["ok"]
        facilitator_api.post(conf.path("/finish"))
        last = facilitator_api.get(conf.path("/events?since=0"))["seq"]
        facilitator_api.delete(conf.path())
        for c in (console, phone, projector):
            deleted = _wait_for(c, "conference.deleted")
            deleted.pop("prev", None)  # live events say what this audience was sent before (docs/protocol.md)
            assert deleted == {
                "conference_id": conf.id,
                "seq": last + 1,
                "type": "conference.deleted",
                "data": {"conference_id": conf.id},
            }
        assert requests.get(f"{server.url}/api/v1{conf.path()}", headers=facilitator_api.session.headers,
                            timeout=30).status_code == 404  # fmt: skip
        # The links they were opened from now say why they lead nowhere, in the user's language.
        for link in (f"/m/{conf.code}", f"/p/{key}"):
            page = requests.get(server.url + link, headers={"Accept-Language": "nb"}, timeout=30)
            assert page.status_code == 404
            assert "den er slettet" in page.text, link
    finally:
        console.disconnect()
        phone.disconnect()
        projector.disconnect()


def _wait_for(client: Any, kind: str, timeout: float = 15) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [ev for ev in client.received if ev["type"] == kind]
        if found:
            return found[0]  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"no {kind} event arrived: {[ev['type'] for ev in client.received]}")


def test_a_deleted_conferences_phone_and_projector_say_so(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    conf = Conference(server, facilitator_api)
    pid = conf.join("Kari", "Lærer")
    facilitator_api.post(conf.path("/finish"))
    ctx = browser.new_context(**PHONE)
    ctx.add_cookies([{"name": f"confapp_p{conf.id}", "value": conf.tokens[pid], "url": server.url}])
    page = ctx.new_page()
    page.goto(f"{server.url}/m/{conf.code}")
    expect(page.locator("#finished")).to_be_visible(timeout=20_000)  # the live state has arrived
    screen_ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    screen = screen_ctx.new_page()
    screen.goto(facilitator_api.get(conf.path())["projector_url"])
    expect(screen.locator("#p-view")).not_to_be_empty(timeout=20_000)  # the live state has arrived
    facilitator_api.delete(conf.path())
    for shown in (page, screen):
        expect(shown.locator("#deleted")).to_have_text(
            "Denne konferansen er slettet, med alt innhold.", timeout=20_000
        )
    expect(screen.locator(".joinbar")).to_be_hidden()  # its join code leads nowhere now
    shot(page, artifacts, "phone-conference-deleted")
    shot(screen, artifacts, "projector-conference-deleted")
    page.reload()
    expect(page.locator("#error-message")).to_contain_text("den er slettet")
    shot(page, artifacts, "phone-deleted-link")
    screen_ctx.close()
    ctx.close()
