"""Participants come prepared (issue 15, part B): the preparation page and points sent before the start.

Service level on a real SQLite file: the page opens only before the start and with material; points
before the conference are idempotent, limited and length-checked, reach only the facilitators, and
lie on the clustering board as their own source, clusterable with the rest.
"""

from __future__ import annotations

import io
import uuid

import pytest
from docx import Document
from flask import Flask

from confapp import db
from confapp.errors import Conflict, NotFound, ServiceError, TryLater
from confapp.live.audiences import ViewerKind
from confapp.models import Bullet, Conference, Facilitator, RoundKind
from confapp.services import (
    board,
    conferences,
    facilitators,
    groups,
    initiatives,
    measures,
    participants,
    preparation,
    privacy,
    reports,
    rounds,
)
from confapp.services.snapshot import Viewer, missed, snapshot
from exports.initiatives import build_initiatives


@pytest.fixture
def prepared(app: Flask) -> tuple[Conference, Facilitator]:
    f = facilitators.create(email="f@example.no", name="F", password="et langt passord 123")
    conf = conferences.create_conference(f, title="Tidlig innsats", template="dk1_school")
    preparation.set_text(conf, "Les gjennom spørsmålene og tenk på ett eksempel fra egen klasse.")
    return conf, f


def send(conf: Conference, words: str, key: str | None = None) -> Bullet:
    return preparation.post_input(conf, client_uuid=key or str(uuid.uuid4()), text_=words)


def start_first_round(conf: Conference) -> None:
    for n in range(4):
        participants.join(conf, client_uuid=uuid.uuid4(), name=f"Deltaker {n}", role="Lærer")
    rnd = next(r for r in conf.rounds if r.kind == RoundKind.GROUP)
    groups.propose(conf, rnd, group_size=4)
    rounds.start(conf, rnd)


def test_page_opens_only_before_the_start_and_with_material(app: Flask) -> None:
    f = facilitators.create(email="g@example.no", name="G", password="et langt passord 123")
    conf = conferences.create_conference(f, title="Uten forberedelse", template="dk1_school")
    assert not preparation.is_open(conf)  # nothing written: the link opens the join form as before
    preparation.add_attachment(conf, f, title="Veilederen", url="https://example.no/veileder")
    assert preparation.is_open(conf)
    start_first_round(conf)
    assert not preparation.is_open(conf)


def test_page_shows_purpose_agenda_questions_and_attachments(
    prepared: tuple[Conference, Facilitator],
) -> None:
    conf, f = prepared
    preparation.add_attachment(conf, f, title="Eksempel fra Nordby", body="Lesekvarter hver morgen.")
    page = preparation.page(conf)
    assert page["preparation"].startswith("Les gjennom")
    assert page["purpose"] == conf.purpose and conf.purpose
    questions = [item["question"] for item in page["agenda"] if item["kind"] == RoundKind.GROUP]
    assert len(questions) >= 2 and all(questions)
    assert [(a["kind"], a["title"]) for a in page["attachments"]] == [("text", "Eksempel fra Nordby")]
    assert page["accepts_input"] is True


def test_a_measure_attachment_shows_the_plan_without_names(prepared: tuple[Conference, Facilitator]) -> None:
    conf, f = prepared
    other = conferences.create_conference(f, title="Fjorårets konferanse", template="dk1_school")
    preparation.set_text(other, "Tidligere runde")
    point = send(other, "Eldre elever leser med yngre")
    pile = board.create(other, "Lesevenner", [point.id])
    m = initiatives.from_cluster(other, pile.id)
    m = initiatives.update(
        other, m.id, {"goal": "Alle leser", "coordinator": "Kari Nordmann"}, version=m.version
    )
    a = preparation.add_attachment(conf, f, measure_id=m.id)
    shown = preparation.schema(a)
    assert shown["kind"] == "measure" and shown["title"] == "Lesevenner"
    assert shown["measure"]["goal"] == "Alle leser"
    assert "Kari Nordmann" not in str(preparation.page(conf))
    stranger = facilitators.create(email="s@example.no", name="S", password="et langt passord 123")
    with pytest.raises(NotFound):  # a measure the facilitator may not read cannot be attached
        preparation.add_attachment(conf, stranger, measure_id=m.id)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "Tom"}, "empty"),
        ({"title": "", "body": "tekst"}, "empty"),
        ({"title": "Lenke", "url": "javascript:alert(1)"}, "invalid"),
        ({"title": "Lenke", "url": "ftp://example.no/x"}, "invalid"),
        ({"title": "Lang", "body": "x" * 2001}, "too_long"),
    ],
)
def test_bad_attachments_are_refused_and_change_nothing(
    prepared: tuple[Conference, Facilitator], fields: dict[str, str], code: str
) -> None:
    conf, f = prepared
    with pytest.raises(ServiceError) as caught:
        preparation.add_attachment(conf, f, **fields)
    assert caught.value.code == code
    assert preparation.attachments(conf) == []


def test_remove_attachment(prepared: tuple[Conference, Facilitator]) -> None:
    conf, f = prepared
    a = preparation.add_attachment(conf, f, title="Lenke", url="https://example.no")
    preparation.remove_attachment(conf, a.id)
    assert preparation.attachments(conf) == []
    with pytest.raises(NotFound):
        preparation.remove_attachment(conf, a.id)


def test_input_only_before_the_start(prepared: tuple[Conference, Facilitator]) -> None:
    conf, _f = prepared
    early = send(conf, "Vi trenger mer tid til samarbeid")
    start_first_round(conf)
    with pytest.raises(Conflict) as caught:
        send(conf, "For sent")
    assert caught.value.code == "started"
    # A retry of the point sent in time still gets its point, and makes no second one.
    assert send(conf, "Vi trenger mer tid til samarbeid", key=early.client_uuid).id == early.id
    assert [b.text for b in preparation.inputs(conf)] == ["Vi trenger mer tid til samarbeid"]


def test_input_is_idempotent(prepared: tuple[Conference, Facilitator]) -> None:
    conf, _f = prepared
    key = str(uuid.uuid4())
    first = send(conf, "Felles regler i friminuttene", key=key)
    again = send(conf, "Felles regler i friminuttene", key=key)
    assert again.id == first.id
    assert len(preparation.inputs(conf)) == 1
    with pytest.raises(ServiceError) as caught:
        send(conf, "uten gyldig id", key="ikke-en-uuid")
    assert caught.value.code == "invalid"


@pytest.mark.parametrize(
    ("words", "code"), [("", "empty"), ("   ", "empty"), ("x" * 281, "too_long"), (None, "invalid")]
)
def test_input_length_is_checked(prepared: tuple[Conference, Facilitator], words: str, code: str) -> None:
    conf, _f = prepared
    with pytest.raises(ServiceError) as caught:
        preparation.post_input(conf, client_uuid=str(uuid.uuid4()), text_=words)
    assert caught.value.code == code
    assert preparation.inputs(conf) == []


def test_input_rate_and_total_are_limited(prepared: tuple[Conference, Facilitator]) -> None:
    conf, _f = prepared
    for n in range(3):
        preparation.post_input(conf, client_uuid=str(uuid.uuid4()), text_=f"Punkt {n}", per_minute=3)
    with pytest.raises(TryLater):
        preparation.post_input(conf, client_uuid=str(uuid.uuid4()), text_="Ett til", per_minute=3)
    with pytest.raises(Conflict) as caught:
        preparation.post_input(conf, client_uuid=str(uuid.uuid4()), text_="Ett til", max_inputs=3)
    assert caught.value.code == "full"
    assert len(preparation.inputs(conf)) == 3


def test_a_reporters_uuid_is_not_a_retry(prepared: tuple[Conference, Facilitator]) -> None:
    conf, _f = prepared
    send(conf, "Før start")
    key = str(uuid.uuid4())
    db.session.add(
        Bullet(conference_id=conf.id, round_id=conf.rounds[0].id, group_id=None, client_uuid=key, text="x")
    )
    db.session.commit()
    with pytest.raises(Conflict):
        send(conf, "Samme id", key=key)


def test_inputs_reach_the_board_as_their_own_source_and_cluster(
    prepared: tuple[Conference, Facilitator],
) -> None:
    conf, _f = prepared
    a = send(conf, "Mer tid til samarbeid i trinnteamet")
    b = send(conf, "Samarbeid mellom lærer og helsesykepleier")
    facilitator_view = snapshot(conf, Viewer(ViewerKind.FACILITATOR))
    on_board = {x["id"]: x for x in facilitator_view["bullets"]}
    assert on_board[a.id]["round_id"] is None and on_board[a.id]["group_id"] is None
    assert on_board[a.id]["author_id"] is None  # anonymous: no participant behind it
    assert {a.id, b.id} <= {x.id for x in board.unclustered(conf)}
    c = board.create(conf, "Samarbeid", [a.id, b.id])
    assert [i.bullet_id for i in c.items] == [a.id, b.id]
    # Not on the projector, and not to any phone.
    assert a.id not in {x["id"] for x in snapshot(conf, Viewer(ViewerKind.PROJECTOR))["bullets"]}
    start_first_round(conf)
    phone = conf.participants[0]
    seen = snapshot(conf, Viewer(ViewerKind.PARTICIPANT, phone))["bullets"]
    assert a.id not in {x["id"] for x in seen}


def test_deleting_the_conference_removes_the_inputs(prepared: tuple[Conference, Facilitator]) -> None:
    conf, _f = prepared
    send(conf, "Et punkt som skal bort")
    start_first_round(conf)
    rounds.finish(conf)
    conf_id = conf.id
    privacy.delete(conf)
    assert db.session.query(Bullet).filter_by(conference_id=conf_id).count() == 0


def test_replay_gives_the_point_to_facilitators_only(prepared: tuple[Conference, Facilitator]) -> None:
    """`bullet.posted` of a point before the conference has the staff audience, live and replayed."""
    conf, _f = prepared
    b = send(conf, "Bare for ordstyreren")
    start_first_round(conf)

    def replayed(viewer: Viewer) -> list[int]:
        got = missed(conf, viewer, 0, 10_000) or []
        return [e["data"]["bullet"]["id"] for e in got if e["type"] == "bullet.posted"]

    assert b.id in replayed(Viewer(ViewerKind.FACILITATOR))
    assert b.id not in replayed(Viewer(ViewerKind.PROJECTOR))
    assert b.id not in replayed(Viewer(ViewerKind.PARTICIPANT, conf.participants[0]))


def test_a_measure_grown_from_a_point_before_the_conference(prepared: tuple[Conference, Facilitator]) -> None:
    """Its timeline names no table for that source; its Word form lists the point with an empty table cell."""
    conf, _f = prepared
    b = send(conf, "Lesevenner på tvers av trinn")
    m = initiatives.from_cluster(conf, board.create(conf, "Lesevenner", [b.id]).id)
    (source,) = [item for item in measures.timeline(m) if item["kind"] == "source"]
    assert source["text"] == "Lesevenner på tvers av trinn" and source["table"] is None
    doc = Document(io.BytesIO(build_initiatives(reports.initiatives_report(conf, m))))
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert ["", "", "Lesevenner på tvers av trinn"] in rows
