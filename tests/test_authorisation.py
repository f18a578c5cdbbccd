"""The authorisation matrix: every API route and socket event × every kind of caller.

Callers: anonymous, a participant of another conference, a participant at another table, the
reporter, a facilitator of another conference, the conference's facilitator. Each cell states what
must happen; the routes are read from the app itself, so a new route without a row fails here.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from support import fresh_client

from confapp.live.realtime import socketio
from confapp.services import facilitators

CALLERS = ["anonymous", "other_conference", "other_table", "reporter", "other_facilitator", "facilitator"]
FACILITATOR_ONLY = {"anonymous": {401}, "other_conference": {401}, "other_table": {401}, "reporter": {401},
                    "other_facilitator": {404}, "facilitator": "allowed"}  # fmt: skip
PUBLIC = {"/api/v1/join", "/api/v1/openapi.json", "/api/v1/prep/<code>", "/api/v1/prep/<code>/points"}
DESTRUCTIVE = {
    ("POST", "finish"),
    ("POST", "anonymise"),
    ("DELETE", "conference_id"),
    ("DELETE", "participant_id"),
}


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    client = app.test_client()
    owner = facilitators.create(email="eier@example.no", name="Eier", password="testpassord-123")
    other = facilitators.create(email="annen@example.no", name="Annen", password="testpassord-123")
    tokens = {
        "facilitator": facilitators.issue_api_token(owner),
        "other_facilitator": facilitators.issue_api_token(other),
    }

    def call(token: str | None, method: str, path: str, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.open(path, method=method, headers=headers, **kw)

    conf = call(
        tokens["facilitator"], "POST", "/api/v1/conferences", json={"title": "A", "template": "dk1_school"}
    ).get_json()
    other_conf = call(
        tokens["other_facilitator"],
        "POST",
        "/api/v1/conferences",
        json={"title": "B", "template": "dk1_school"},
    ).get_json()
    people = {}
    for i in range(4):
        out = call(
            None,
            "POST",
            "/api/v1/join",
            json={
                "uuid": str(uuid.uuid4()),
                "code": conf["conference"]["join_code"],
                "name": f"P{i}",
                "role": "Lærer",
            },
        ).get_json()
        people[out["participant"]["id"]] = out["token"]
    stranger = call(
        None,
        "POST",
        "/api/v1/join",
        json={
            "uuid": str(uuid.uuid4()),
            "code": other_conf["conference"]["join_code"],
            "name": "S",
            "role": "Lærer",
        },
    ).get_json()
    rnd = conf["rounds"][0]
    cid = conf["conference"]["id"]
    groups = call(
        tokens["facilitator"],
        "POST",
        f"/api/v1/conferences/{cid}/rounds/{rnd['id']}/groups/propose",
        json={"groups": 2},
    ).get_json()
    call(tokens["facilitator"], "POST", f"/api/v1/conferences/{cid}/rounds/{rnd['id']}/start")
    g1, g2 = groups
    leader = g1["leader_id"]
    call(
        people[leader],
        "PUT",
        f"/api/v1/me/groups/{g1['id']}/reporter",
        json={"participant_id": leader, "uuid": str(uuid.uuid4())},
    )
    tokens.update(
        {
            "reporter": people[leader],
            "other_table": people[next(m["id"] for m in g2["members"] if m["id"] != g2["leader_id"])],
            "other_conference": stranger["token"],
            "anonymous": None,
        }
    )
    spare = call(
        tokens["facilitator"], "POST", "/api/v1/conferences", json={"title": "C", "template": "blank"}
    )
    # A measure of this conference: the other facilitator must get "not found" for it, not its data.
    cluster = call(
        tokens["facilitator"], "POST", f"/api/v1/conferences/{cid}/clusters", json={"title": "Tiltak"}
    ).get_json()
    made = call(
        tokens["facilitator"], "POST", f"/api/v1/conferences/{cid}/clusters/{cluster['id']}/initiative"
    )
    return {
        "measure_id": made.get_json()["initiative"]["id"],
        "app": app,
        "call": call,
        "tokens": tokens,
        "cid": cid,
        "spare": spare.get_json()["conference"]["id"],
        "round": rnd,
        "g1": g1,
        "g2": g2,
        "projector_key": conf["projector_url"].rsplit("/", 1)[1],
        "client": client,
    }


def _concrete(rule: str, w: dict[str, Any]) -> str:
    values = {
        "conference_id": w["cid"],
        "round_id": w["round"]["id"],
        "group_id": w["g1"]["id"],
        "participant_id": w["g1"]["members"][0]["id"],
        "cluster_id": 1,
        "initiative_id": 1,
        "measure_id": w["measure_id"],
        "link_id": 1,
        "attachment_id": 1,
        "uuid": str(uuid.uuid4()),
        # The experience bank and the strategy forum: the installation's organisation (a school with no
        # municipality in this world: no bank) and an escalation that does not exist here (its rows:
        # test_the_strategy_forum_…).
        "organisation_id": 1,
        "escalation_id": 1,
    }
    return re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)


def test_every_api_route_times_every_caller(world: dict[str, Any]) -> None:
    app: Flask = world["app"]
    cells = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = _concrete(rule.rule, world)
            last = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"\1", rule.rule.rsplit("/", 1)[-1])
            destructive = (method, last) in DESTRUCTIVE
            for caller in CALLERS:
                target = path
                if destructive and caller == "facilitator":  # the owner ends a spare conference, not this one
                    target = path.replace(f"/conferences/{world['cid']}", f"/conferences/{world['spare']}", 1)
                response = world["call"](world["tokens"][caller], method, target, json={})
                status = response.status_code
                cells += 1
                assert status < 500, (caller, method, path, response.get_data(as_text=True))
                if rule.rule.startswith("/api/v1/me/"):
                    if caller in ("anonymous", "facilitator", "other_facilitator"):
                        assert status == 401, (caller, method, path, status)
                    else:
                        assert status != 401, (caller, method, path, status)
                    continue
                if caller == "facilitator":
                    # An empty body never crashes the owner's routes (above); what each does for them,
                    # with real bodies: test_the_owner_succeeds_on_every_route.
                    continue
                expected = FACILITATOR_ONLY[caller]
                if (
                    caller == "other_facilitator"
                    and rule.rule.startswith("/api/v1/organisations/")
                    and not rule.rule.endswith("/bank")  # a school with no municipality has no bank: 404
                ):
                    # A facilitator of the installation's organisation reads its (empty) forum page and
                    # may send a question, refused as such: this school has no municipality.
                    assert status == (200 if method == "GET" else 400), (caller, method, path, status)
                    continue
                if caller == "other_facilitator" and "<" not in rule.rule:
                    # Their own templates and conference list; an empty new conference is refused as such.
                    want = 400 if method == "POST" else 200
                    assert status == want, (caller, method, path, status)
                else:
                    assert status in expected, (caller, method, path, status, response.get_data(as_text=True))
    assert cells >= 6 * 45
    print(f"authorisation matrix: {cells} requests")


@pytest.mark.parametrize(("caller", "table", "expected"), [
    ("reporter", "g1", 201), ("other_table", "g1", 403), ("other_conference", "g1", 404),
    ("other_table", "g2", 403), ("anonymous", "g1", 401), ("facilitator", "g1", 401),
])  # fmt: skip
def test_only_the_tables_reporter_posts(
    world: dict[str, Any], caller: str, table: str, expected: int
) -> None:
    body = {"group_id": world[table]["id"], "uuid": str(uuid.uuid4()), "text": "Et punkt"}
    assert (
        world["call"](world["tokens"][caller], "POST", "/api/v1/me/bullets", json=body).status_code
        == expected
    )


def _socket(world: dict[str, Any], auth: dict[str, Any]) -> Any:
    return socketio.test_client(world["app"], auth=auth, flask_test_client=world["client"])


SOCKET_EVENTS = {
    "bullet.post": lambda w: {"group_id": w["g1"]["id"], "uuid": str(uuid.uuid4()), "text": "Punkt"},
    "bullet.edit": lambda w: {"uuid": str(uuid.uuid4()), "text": "Punkt"},
    "bullet.delete": lambda w: {"uuid": str(uuid.uuid4())},
    "bullet.mark": lambda w: {"group_id": w["g1"]["id"], "uuid": None},
    "group.set_reporter": lambda w: {
        "group_id": w["g1"]["id"],
        "participant_id": w["g1"]["leader_id"],
        "uuid": str(uuid.uuid4()),
    },
    "note.save": lambda w: {"uuid": str(uuid.uuid4()), "text": "Notat"},
    "vote.cast": lambda w: {"cluster_id": 1, "uuid": str(uuid.uuid4())},
    "vote.retract": lambda w: {"cluster_id": 1, "uuid": str(uuid.uuid4())},
}
# What each caller gets: True = allowed (ok or a state error such as no open vote), or the refusal codes.
NF, CLOSED, FORBIDDEN, MT = {"not_found"}, {"vote_closed"}, {"forbidden"}, {"not_minute_taker"}
NR, F = {"not_reporter"}, FORBIDDEN
SOCKET_MATRIX: dict[str, dict[str, Any]] = {
    "reporter": {
        "bullet.post": True, "bullet.edit": NF, "bullet.delete": NF, "bullet.mark": True,
        "group.set_reporter": True, "note.save": MT, "vote.cast": CLOSED, "vote.retract": CLOSED,
    },
    "other_table": {
        "bullet.post": NR, "bullet.edit": NF, "bullet.delete": NF, "bullet.mark": NR,
        "group.set_reporter": {"not_leader"}, "note.save": MT, "vote.cast": CLOSED,
        "vote.retract": CLOSED,
    },
    "other_conference": {
        "bullet.post": NF, "bullet.edit": NF, "bullet.delete": NF, "bullet.mark": NF | {"invalid"},
        "group.set_reporter": NF, "note.save": MT, "vote.cast": CLOSED, "vote.retract": CLOSED,
    },
    "facilitator": {
        "bullet.post": F, "bullet.edit": F, "bullet.delete": F, "bullet.mark": F,
        "group.set_reporter": FORBIDDEN, "note.save": {"not_plenary"}, "vote.cast": FORBIDDEN | CLOSED,
        "vote.retract": FORBIDDEN | CLOSED,
    },
    "projector": {name: FORBIDDEN | {"read_only"} | CLOSED for name in SOCKET_EVENTS},
    # A conference list page (no conference): it only hears of created and deleted conferences.
    "conference_list": {name: FORBIDDEN for name in SOCKET_EVENTS},
}  # fmt: skip


def test_every_socket_event_times_every_caller(world: dict[str, Any]) -> None:
    handlers = set(socketio.server.handlers["/"]) - {"connect", "disconnect", "sync"}
    assert handlers == set(SOCKET_EVENTS), "a new socket event needs a row here"
    auths = {
        "reporter": {"kind": "participant", "token": world["tokens"]["reporter"]},
        "other_table": {"kind": "participant", "token": world["tokens"]["other_table"]},
        "other_conference": {"kind": "participant", "token": world["tokens"]["other_conference"]},
        "facilitator": {
            "kind": "facilitator",
            "conference_id": world["cid"],
            "token": world["tokens"]["facilitator"],
        },
        "projector": {"kind": "projector", "key": world["projector_key"]},
        "conference_list": {"kind": "facilitator", "token": world["tokens"]["facilitator"]},
    }
    refused = [
        {},
        {"kind": "participant", "token": "x"},
        {"kind": "projector", "key": "x"},
        {"kind": "facilitator", "conference_id": world["cid"], "token": world["tokens"]["other_facilitator"]},
        {"kind": "facilitator", "token": "x"},  # a conference list needs a facilitator too
        {"kind": "facilitator"},
    ]
    for auth in refused:
        assert not _socket(world, auth).is_connected(), auth
    cells = len(refused)
    for caller, auth in auths.items():
        client = _socket(world, auth)
        assert client.is_connected(), caller
        for event, payload in SOCKET_EVENTS.items():
            ack = client.emit(event, payload(world), callback=True)
            expected = SOCKET_MATRIX[caller][event]
            cells += 1
            if expected is True:
                assert ack["ok"] or ack["error"]["code"] in {"not_found"}, (caller, event, ack)
            else:
                assert not ack["ok"] and ack["error"]["code"] in expected, (caller, event, ack)
        client.disconnect()
    print(f"socket matrix: {cells} cells")


def test_pages_need_login_and_projector_needs_its_key(world: dict[str, Any]) -> None:
    client = world["app"].test_client()
    cid = world["cid"]
    for path in (
        f"/c/{cid}",
        f"/c/{cid}/board",
        f"/c/{cid}/edit",
        f"/c/{cid}/report.docx",
        f"/c/{cid}/qr",
        "/account",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert client.get(f"/p/{world['projector_key']}").status_code == 200
    assert client.get("/p/not-the-key").status_code == 404
    assert len(world["projector_key"]) >= 32  # token_urlsafe(24): 192 bits


def test_wrong_join_codes_are_rate_limited_per_address(world: dict[str, Any]) -> None:
    client = world["app"].test_client()
    statuses = [
        client.post("/api/v1/join", json={"code": f"ZZZZ{i:02d}", "name": "A"}).status_code for i in range(35)
    ]
    assert statuses[:30] == [404] * 30 and statuses[-1] == 429  # confapp.web.limits.UNKNOWN_CODES_PER_ADDRESS
    assert (
        client.post("/api/v1/join", json={"code": "ZZZZ99"}).get_json()["error"]["code"]
        == "too_many_requests"
    )


def test_the_owner_succeeds_on_every_route(world: dict[str, Any]) -> None:
    """The owner's cell of every route: a real request, the success status, and its effect read back.

    The matrix above only shows that the owner is let through; here each route does its job for them.
    A route without a step here fails the last assertion.
    """
    app: Flask = world["app"]
    token = world["tokens"]["facilitator"]
    adapter = app.url_map.bind("localhost")
    covered: set[tuple[str, str]] = set()

    def owner(method: str, path: str, status: int, **kw: Any) -> Any:
        path = "/api/v1" + path
        covered.add((method, adapter.match(path.split("?")[0], method=method)[0]))
        response = world["call"](token, method, path, **kw)
        assert response.status_code == status, (method, path, response.get_data()[:300])
        return response.get_json(silent=True) if response.mimetype == "application/json" else response

    cid, spare, rnd, g1 = world["cid"], world["spare"], world["round"], world["g1"]
    c = f"/conferences/{cid}"

    templates = owner("GET", "/templates", 200)
    assert "dk1_school" in {t["key"] for t in templates}
    assert {cid, spare} <= {x["id"] for x in owner("GET", "/conferences", 200)}
    made = owner("POST", "/conferences", 201, json={"title": "Ny konferanse", "template": "blank"})
    assert made["conference"]["id"] in {x["id"] for x in owner("GET", "/conferences", 200)}
    owner("PATCH", c, 200, json={"purpose": "Bedre samarbeid"})
    assert owner("GET", c, 200)["conference"]["purpose"] == "Bedre samarbeid"
    owner("PATCH", f"{c}/rounds/{rnd['id']}", 200, json={"title": "Runde en"})
    assert owner("GET", c, 200)["rounds"][0]["title"] == "Runde en"

    # People: import, list, remove.
    imported = owner("POST", f"{c}/participants/import", 201, data="name,role\nImportert Person,Lærer\n")
    assert [p["name"] for p in imported] == ["Importert Person"]
    owner("DELETE", f"{c}/participants/{imported[0]['id']}", 200)
    people = {p["id"]: p for p in owner("GET", f"{c}/participants", 200)}
    # Kept as removed: their name can no longer be claimed.
    assert people[imported[0]["id"]]["removed"] is True
    assert sum(not p["removed"] for p in people.values()) == 4

    # Tables of the running round 1, then of round 2 (not started): propose, move, pin, judge, publish.
    rounds = owner("GET", c, 200)["rounds"]
    rnd2 = [r for r in rounds if r["kind"] == "group"][1]
    assert len(owner("GET", f"{c}/rounds/{rnd['id']}/groups", 200)) == 2
    proposed = owner("POST", f"{c}/rounds/{rnd2['id']}/groups/propose", 200, json={"groups": 2})
    assert len(proposed) == 2
    mover = proposed[0]["members"][0]["id"]
    owner("POST", f"{c}/rounds/{rnd2['id']}/groups/move", 200, json={"participant_id": mover, "table": 2})
    owner("PUT", f"{c}/rounds/{rnd2['id']}/groups/pin", 200, json={"participant_id": mover, "pinned": True})
    tables = owner("GET", f"{c}/rounds/{rnd2['id']}/groups", 200)
    moved = next(m for m in tables[1]["members"] if m["id"] == mover)
    assert moved["pinned"]
    assert "metrics" in owner("GET", f"{c}/rounds/{rnd2['id']}/groups/metrics", 200)
    owner("POST", f"{c}/rounds/{rnd2['id']}/groups/publish", 200)
    published = [
        e for e in owner("GET", f"{c}/events?since=0", 200)["events"] if e["type"] == "groups.published"
    ]
    assert published[-1]["data"]["round_id"] == rnd2["id"]

    # Round 1's table 1: leader and reporter, the countdown, the projector's page.
    member = next(m["id"] for m in g1["members"] if m["id"] != g1["leader_id"])
    assert (
        owner("PUT", f"{c}/groups/{g1['id']}/leader", 200, json={"participant_id": member})["leader_id"]
        == member
    )
    owner("PUT", f"{c}/groups/{g1['id']}/reporter", 200, json={"participant_id": member})
    table = next(g for g in owner("GET", f"{c}/rounds/{rnd['id']}/groups", 200) if g["id"] == g1["id"])
    assert table["leader_id"] == member and table["reporter_id"] == member
    owner("PUT", f"{c}/groups/{g1['id']}/reporter", 200, json={"participant_id": g1["leader_id"]})  # back
    ends = {r["id"]: r["ends_at"] for r in owner("GET", c, 200)["rounds"]}
    owner("POST", f"{c}/rounds/{rnd['id']}/extend", 200, json={"minutes": 5})
    later = {r["id"]: r["ends_at"] for r in owner("GET", c, 200)["rounds"]}
    assert later[rnd["id"]] > ends[rnd["id"]]  # ISO times in UTC compare as text
    owner("POST", f"{c}/projector/page", 200, json={"delta": 1})
    assert owner("GET", f"{c}/events?since=0", 200)["events"][-1]["type"] == "projector.paged"

    # Points from the table, then plenary: focus, minute-taker, a note.
    phone = world["tokens"]["reporter"]
    for text in ("Faste møter med PPT", "Faste møter med helsesykepleier", "Felles fraværsrutine"):
        body = {"group_id": g1["id"], "uuid": str(uuid.uuid4()), "text": text}
        assert world["call"](phone, "POST", "/api/v1/me/bullets", json=body).status_code == 201
    plenary = next(r for r in rounds if r["kind"] == "plenary")
    owner("POST", f"{c}/rounds/{plenary['id']}/start", 200)
    assert owner("GET", c, 200)["conference"]["active_round_id"] == plenary["id"]
    assert owner("GET", f"{c}/phase/undo", 200)["available"]
    owner("POST", f"{c}/phase/undo", 200)
    assert owner("GET", c, 200)["conference"]["active_round_id"] == rnd["id"]
    owner("POST", f"{c}/rounds/{plenary['id']}/start", 200)
    owner("PUT", f"{c}/focus", 200, json={"group_number": 1})
    assert owner("GET", c, 200)["conference"]["focus_group_number"] == 1
    owner("PUT", f"{c}/minute-taker", 200, json={"participant_id": None})
    note = owner(
        "POST", f"{c}/notes", 200, json={"uuid": str(uuid.uuid4()), "text": "Enighet om faste møter"}
    )
    assert "Enighet om faste møter" in str(owner("GET", f"{c}/snapshot", 200)["notes"]), note

    # The board: clusters, moves, merge, split, suggestions, a vote, an initiative.
    bullets = owner("GET", f"{c}/board", 200)["unclustered"]
    assert len(bullets) == 3
    suggested = owner("POST", f"{c}/board/propose", 201)
    assert suggested and owner("GET", f"{c}/board", 200)["clusters"]
    for cl in owner("GET", f"{c}/board", 200)["clusters"]:
        owner("DELETE", f"{c}/clusters/{cl['id']}", 200)
    assert owner("GET", f"{c}/board", 200)["clusters"] == []
    first = owner("POST", f"{c}/clusters", 201, json={"title": "Møter", "bullet_ids": bullets[:2]})
    second = owner("POST", f"{c}/clusters", 201, json={"title": "Fravær", "bullet_ids": []})
    owner("PATCH", f"{c}/clusters/{second['id']}", 200, json={"title": "Fraværsrutiner"})
    owner("POST", f"{c}/board/move", 200, json={"bullet_id": bullets[2], "cluster_id": second["id"]})
    owner("POST", f"{c}/board/undo", 200)
    assert owner("GET", f"{c}/board", 200)["unclustered"] == bullets[2:]
    assert isinstance(owner("GET", f"{c}/board/suggestions", 200), dict)
    owner("POST", f"{c}/clusters/{second['id']}/merge", 200, json={"into": first["id"]})
    split = owner(
        "POST", f"{c}/clusters/{first['id']}/split", 201, json={"bullet_ids": bullets[1:2], "title": "Helse"}
    )
    board = {cl["title"]: cl for cl in owner("GET", f"{c}/board", 200)["clusters"]}
    assert set(board) == {"Møter", "Helse"} and split["id"] == board["Helse"]["id"]
    owner("POST", f"{c}/votes", 201, json={"dots": 3})
    assert owner("GET", f"{c}/votes/current", 200)["vote"]["state"] == "open"
    owner("POST", f"{c}/votes/close", 200)
    assert owner("GET", f"{c}/votes/current", 200)["vote"]["state"] == "closed"
    before = [x["initiative"]["id"] for x in owner("GET", f"{c}/initiatives", 200)]  # the world's measure
    initiative = owner("POST", f"{c}/clusters/{first['id']}/initiative", 201)["initiative"]
    i = f"{c}/initiatives/{initiative['id']}"
    owner("PATCH", i, 200, json={"version": initiative["version"], "goal": "Færre fraværsdager"})
    assert owner("GET", i, 200)["initiative"]["goal"] == "Færre fraværsdager"
    assert [x["initiative"]["id"] for x in owner("GET", f"{c}/initiatives", 200)] == [
        *before,
        initiative["id"],
    ]
    for path in (f"{i}.docx", f"{c}/initiatives.docx", f"{c}/report.docx"):
        doc = owner("GET", path, 200)
        assert doc.mimetype.endswith("wordprocessingml.document") and doc.data[:2] == b"PK", path
    owner("DELETE", i, 200)
    assert [x["initiative"]["id"] for x in owner("GET", f"{c}/initiatives", 200)] == before

    # Measures after the conference: list, read, step, log link, evaluation.
    mid = world["measure_id"]
    assert mid in {x["id"] for x in owner("GET", "/measures", 200)}
    assert owner("GET", f"/measures/{mid}", 200)["measure"]["status"] == "draft"
    for to, extra in (
        ("concretised", {}),
        ("decided", {"decided_on": "2027-01-10", "decision_note": "Vedtatt"}),
        ("in_trial", {"trial_start": "2027-01-15", "trial_end": "2027-06-15"}),
    ):
        stepped = owner(
            "POST", f"/measures/{mid}/status", 200, json={"to": to, "reason": "Neste steg", **extra}
        )
        assert stepped["measure"]["status"] == to
    link = owner("POST", f"/measures/{mid}/links", 201, json={"holder": "Koordinator"})
    assert "/log/" in link["url"]
    owner("DELETE", f"/measures/{mid}/links/{link['id']}", 200)
    entry = {"client_uuid": str(uuid.uuid4()), "happened_on": "2027-02-01", "done": "Første møte"}
    logged = owner("POST", f"/measures/{mid}/log", 201, json=entry)
    assert [entry["done"] for entry in logged["log"]] == ["Første møte"]
    evaluated = owner(
        "POST",
        f"/measures/{mid}/evaluations",
        201,
        json={
            "held_on": "2027-06-20",
            "what_works": "Faste møter",
            "what_to_adjust": "Oftere",
            "daily_operation": "Ja",
            "trial_people": "Lærer på 5. trinn",
        },
    )
    assert evaluated["measure"]["status"] == "evaluated" and len(evaluated["evaluations"]) == 1

    # An evaluation round: round 2's tables (still to come) evaluate the world's measure at table 1.
    r2 = f"{c}/rounds/{rnd2['id']}/measures"
    assert mid in {x["id"] for x in owner("GET", r2, 200)["candidates"]}
    chosen = owner("PUT", r2, 200, json={"measure_ids": [mid], "teams": {str(mid): "Lærer på 5. trinn"}})
    assert [(x["id"], x["table"]) for x in chosen["chosen"]] == [(mid, 1)]
    assert owner("GET", f"{c}/rounds/{rnd2['id']}/groups", 200)[0]["measure"]["id"] == mid

    # Preparation of the spare conference (a draft): text, attachments, a point sent beforehand.
    s = f"/conferences/{spare}"
    owner("PUT", f"{s}/preparation", 200, json={"text": "Tenk på ett eksempel fra egen klasse."})
    attached = owner(
        "POST", f"{s}/preparation/attachments", 201, json={"title": "Lenke", "url": "https://example.no"}
    )
    page = owner("GET", f"{s}/preparation", 200)
    assert page["accepts_input"] and [a["id"] for a in page["attachments"]] == [attached["id"]]
    code = owner("GET", s, 200)["conference"]["join_code"]
    sent = world["call"](
        None, "POST", f"/api/v1/prep/{code}/points", json={"uuid": str(uuid.uuid4()), "text": "Før"}
    )
    assert sent.status_code == 201 and owner("GET", f"{s}/preparation", 200)["inputs"] == 1
    assert sent.get_json()["id"] in owner("GET", f"{s}/board", 200)["unclustered"]
    owner("DELETE", f"{s}/preparation/attachments/{attached['id']}", 200)
    assert owner("GET", f"{s}/preparation", 200)["attachments"] == []

    # The end of a conference (the spare one): finish, anonymise, delete.
    owner("POST", f"{s}/finish", 200)
    assert owner("GET", s, 200)["conference"]["status"] == "finished"
    owner("POST", f"{s}/anonymise", 200)
    owner("DELETE", s, 200)
    owner("GET", s, 404)

    # The strategy forum: the installation's school joins a municipality the owner administers; the
    # school sends its measure and a question, the forum postpones one and decides the other, and a
    # municipal conference of the owner's takes the question as a group question.
    from confapp import db
    from confapp.models import Conference, Facilitator, OrganisationKind
    from confapp.services import memberships, organisations

    school = organisations.default()
    muni = organisations.create(OrganisationKind.MUNICIPALITY, "Eksempel kommune")
    organisations.attach_school(muni, school)
    me = db.session.scalar(select(Facilitator).where(Facilitator.email == "eier@example.no"))
    with db.transaction() as s:
        memberships.do_grant(s, muni, me, "administrator")
    sent = owner("POST", f"/measures/{mid}/escalations", 201, json={"text": "Trenger kommunalt vedtak"})
    asked = owner("POST", f"/organisations/{school.id}/escalations", 201, json={"text": "Hvem betaler?"})
    assert [e["id"] for e in owner("GET", f"/measures/{mid}", 200)["escalations"]] == [sent["id"]]
    assert owner("GET", f"/organisations/{school.id}/forum", 200)["sent"][0]["id"] == asked["id"]
    agenda = owner("GET", f"/organisations/{muni.id}/forum", 200)["agenda"]
    assert [e["id"] for e in agenda] == [sent["id"], asked["id"]]
    owner("POST", f"/escalations/{sent['id']}/postpone", 200, json={"reason": "Venter på tall"})
    decided = owner(
        "POST", f"/escalations/{asked['id']}/decision", 200, json={"decision": "Kommunen", "follow_up": "PPT"}
    )
    assert (
        decided["status"] == "decided"
        and owner("GET", f"/escalations/{sent['id']}", 200)["status"] == "postponed"
    )
    municipal = owner("POST", "/conferences", 201, json={"title": "DK2 kommune", "template": "dk2_municipal"})
    organisations.hold_conference(muni, db.get(Conference, municipal["conference"]["id"]))
    group = next(r for r in municipal["rounds"] if r["kind"] == "group")
    owner("POST", f"/escalations/{sent['id']}/question", 200, json={"round_id": group["id"]})
    rounds = owner("GET", f"/conferences/{municipal['conference']['id']}", 200)["rounds"]
    assert next(r for r in rounds if r["id"] == group["id"])["question"] == "Trenger kommunalt vedtak"
    # The experience bank: the school's municipality's bank holds its measure, names shown to the owner.
    bank = owner("GET", f"/organisations/{muni.id}/bank?text=tiltak", 200)
    assert [(m["id"], m["names_shown"]) for m in bank["measures"]] == [(world["measure_id"], True)]

    every = {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        and rule.rule not in PUBLIC
        and not rule.rule.startswith("/api/v1/me/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert every - covered == set(), "a route without an owner step"


def test_the_preparation_page_is_the_same_for_every_caller(world: dict[str, Any]) -> None:
    """The public preparation routes' row: the join code is all they need, whoever calls.

    The world's conference is running, so its preparation page is closed (404) and a point sent
    ahead is refused (409) for everyone alike; a draft with a preparation text answers everyone.
    """
    call, tokens = world["call"], world["tokens"]
    running = call(tokens["facilitator"], "GET", f"/api/v1/conferences/{world['cid']}").get_json()
    spare = call(tokens["facilitator"], "GET", f"/api/v1/conferences/{world['spare']}").get_json()
    call(
        tokens["facilitator"],
        "PUT",
        f"/api/v1/conferences/{world['spare']}/preparation",
        json={"text": "Les"},
    )
    for caller in CALLERS:
        token = tokens[caller]
        code = running["conference"]["join_code"]
        assert call(token, "GET", f"/api/v1/prep/{code}").status_code == 404, caller
        point = {"uuid": str(uuid.uuid4()), "text": "Et punkt"}
        assert call(token, "POST", f"/api/v1/prep/{code}/points", json=point).status_code == 409, caller
        code = spare["conference"]["join_code"]
        page = call(token, "GET", f"/api/v1/prep/{code}")
        assert page.status_code == 200 and page.get_json()["preparation"] == "Les", caller
        assert call(token, "POST", f"/api/v1/prep/{code}/points", json=point).status_code == 201, caller


# --- Roles within the organisation -------------------------------------------------------------------
# The owner (the first account) administers the organisation and runs the conference. Each role is
# invited by the owner (a second administrator too) and accepts with a password, as a person would;
# "coordinator" coordinates the world's measure, "stray_coordinator" none, and "co_facilitator" runs
# this conference with the owner (and, for each destructive call, a fresh one).
ROLE_CALLERS = ["administrator", "facilitator", "steering_group", "coordinator", "stray_coordinator",
                "viewer", "co_facilitator"]  # fmt: skip
ROLE_DESTRUCTIVE = DESTRUCTIVE | {("DELETE", "initiative_id")}  # the world's measure is initiative 1
NO = {404}  # may not even see it: "not found", no hint that it exists
RO = {403}  # may see it, may not change it


@pytest.fixture
def roles(world: dict[str, Any]) -> dict[str, Any]:
    from confapp import db
    from confapp.models import Conference, Facilitator, Measure
    from confapp.services import invitations, memberships

    owner = facilitators.authenticate("eier@example.no", "testpassord-123")
    assert owner is not None
    accounts: dict[str, Facilitator] = {}
    for name in ROLE_CALLERS:
        role = "coordinator" if name == "stray_coordinator" else name
        conf = db.get(Conference, world["cid"]) if role == "co_facilitator" else None
        _inv, token = invitations.create(f"{name}@example.no", role=role, by=owner, conference=conf)
        accounts[name] = invitations.accept_with_password(
            token, name=name.title(), password="testpassord-123", repeated="testpassord-123"
        )

    def fresh() -> int:
        """A new conference of the owner's, run by the co-facilitator too: for one destructive call."""
        made = world["call"](
            world["tokens"]["facilitator"], "POST", "/api/v1/conferences", json={"title": "Ekstra"}
        )
        conf = db.get(Conference, made.get_json()["conference"]["id"])
        _inv, token = invitations.create(
            "co_facilitator@example.no", role="co_facilitator", by=owner, conference=conf
        )
        invitations.accept_as(token, accounts["co_facilitator"])
        return int(conf.id)

    measure = db.get(Measure, world["measure_id"])
    memberships.coordinate(accounts["steering_group"], measure, accounts["coordinator"].id)
    tokens = {name: facilitators.issue_api_token(f) for name, f in accounts.items()}
    return world | {"role_tokens": tokens, "accounts": accounts, "fresh": fresh}


def _role_expectation(role: str, method: str, rule: str) -> Any:
    """What the policy (README, "Roles") gives `role` on one API route: "ok" (let through) or the status."""
    sees_all = role in ("steering_group", "viewer")
    if rule.startswith("/api/v1/organisations/") and rule.endswith("/bank"):
        return NO  # a lone school has no bank; the municipal rows: test_the_experience_bank_times_every_role
    if rule in ("/api/v1/templates", "/api/v1/conferences") and method == "GET":
        return "ok"
    if rule == "/api/v1/conferences":  # POST: start a conference
        return "ok" if role in ("administrator", "facilitator") else RO
    if rule.startswith("/api/v1/conferences/"):
        reads = method == "GET" and not rule.endswith("/phase/undo")
        if role == "co_facilitator":
            return "ok"
        return ("ok" if reads else RO) if sees_all else NO
    if rule == "/api/v1/measures":
        return "ok"
    if rule.startswith("/api/v1/escalations/"):
        return NO  # the world has no escalation; the forum's own rows: test_the_strategy_forum_…
    if rule.startswith("/api/v1/organisations/"):  # the installation's school, with no municipality
        member = role not in ("co_facilitator",)
        if method == "GET":
            return "ok" if role in ("administrator", "facilitator", "steering_group", "viewer") else NO
        return "ok" if role in ("administrator", "facilitator", "steering_group") else (RO if member else NO)
    tail = re.sub(r"^/api/v1/measures/<[^>]*measure_id>", "", rule)
    assert tail != rule, rule
    if role in ("steering_group", "co_facilitator"):
        return "ok"
    sees = role == "viewer" or role == "coordinator"
    if tail == "":
        return "ok" if sees else NO
    if tail == "/escalations":  # to the strategy forum: the school's people, a coordinator their own measure
        return "ok" if role in ("administrator", "facilitator", "coordinator") else (RO if sees else NO)
    if tail in ("/evaluations", "/log"):
        return "ok" if role == "coordinator" else (RO if sees else NO)
    return RO if sees else NO  # status and the coordinators' links: the steering group decides


def test_every_api_route_times_every_role(roles: dict[str, Any]) -> None:
    """Each role × each API route: refused ones with the right status, the others let through (their
    success with real bodies: test_each_role_succeeds_where_allowed)."""
    app: Flask = roles["app"]
    cells = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in PUBLIC or rule.rule.startswith("/api/v1/me/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            path = _concrete(rule.rule, roles)
            last = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"\1", rule.rule.rsplit("/", 1)[-1])
            for role in ROLE_CALLERS:
                expected = _role_expectation(role, method, rule.rule)
                target = path
                if (method, last) in ROLE_DESTRUCTIVE and expected == "ok":  # a fresh conference's
                    target = path.replace(
                        f"/conferences/{roles['cid']}", f"/conferences/{roles['fresh']()}", 1
                    )
                response = roles["call"](roles["role_tokens"][role], method, target, json={})
                status, cells = response.status_code, cells + 1
                assert status < 500, (role, method, path, response.get_data(as_text=True))
                if expected == "ok":
                    found = response.get_json(silent=True)
                    error = (found.get("error") or {}) if isinstance(found, dict) else {}
                    refused = status in (401, 403) or (
                        status == 404 and error.get("message") in _refusals(roles["app"], rule.rule)
                    )
                    assert not refused, (role, method, target, status, error)
                else:
                    assert status in expected, (role, method, target, status, response.get_data(as_text=True))
    assert cells >= len(ROLE_CALLERS) * 45
    print(f"role matrix: {cells} requests")


def _refusals(app: Flask, rule: str) -> set[str]:
    """The policy's own "not found" (as the API words it), not a missing row's (bokmål says "Finner ikke
    tiltaket" for a missing initiative too, so under /conferences/ only the conference's counts)."""
    from flask_babel import gettext

    from confapp.services import memberships

    text = memberships.NO_CONFERENCE if rule.startswith("/api/v1/conferences/") else memberships.NO_MEASURE
    with app.test_request_context():
        return {gettext(text), text}


def test_each_role_succeeds_where_allowed(roles: dict[str, Any]) -> None:
    """Each role's allowed cells do their job (status and effect read back); its refusals change nothing."""
    cid, mid = roles["cid"], roles["measure_id"]

    def as_(role: str, method: str, path: str, status: int, **kw: Any) -> Any:
        response = roles["call"](roles["role_tokens"][role], method, "/api/v1" + path, **kw)
        assert response.status_code == status, (role, method, path, response.get_data()[:300])
        return response.get_json(silent=True)

    # Facilitator and administrator start conferences; the new one is theirs alone.
    for role in ("facilitator", "administrator"):
        made = as_(role, "POST", "/conferences", 201, json={"title": f"DK {role}", "template": "blank"})
        assert made["conference"]["id"] in {c["id"] for c in as_(role, "GET", "/conferences", 200)}
        as_("viewer", "GET", f"/conferences/{made['conference']['id']}", 200)  # the organisation's, to read
    for role in ("steering_group", "coordinator", "viewer"):
        before = len(as_("steering_group", "GET", "/conferences", 200))
        as_(role, "POST", "/conferences", 403, json={"title": "Nei", "template": "blank"})
        assert len(as_("steering_group", "GET", "/conferences", 200)) == before

    # The co-facilitator runs the conference as the owner does.
    as_("co_facilitator", "PATCH", f"/conferences/{cid}", 200, json={"purpose": "Sammen"})
    assert as_("viewer", "GET", f"/conferences/{cid}", 200)["conference"]["purpose"] == "Sammen"
    # Steering group and viewer read everything of the organisation, and change no conference.
    for role in ("steering_group", "viewer"):
        assert as_(role, "GET", f"/conferences/{cid}", 200)["conference"]["id"] == cid
        assert cid in {c["id"] for c in as_(role, "GET", "/conferences", 200)}
        as_(role, "PATCH", f"/conferences/{cid}", 403, json={"purpose": "Endret"})
    assert as_("co_facilitator", "GET", f"/conferences/{cid}", 200)["conference"]["purpose"] == "Sammen"
    for role in ("administrator", "facilitator", "coordinator"):
        as_(role, "GET", f"/conferences/{cid}", 404)
        assert cid not in {c["id"] for c in as_(role, "GET", "/conferences", 200)}

    # Who sees the measure in the list.
    seen = {role: mid in {m["id"] for m in as_(role, "GET", "/measures", 200)} for role in ROLE_CALLERS}
    assert seen == {"administrator": False, "facilitator": False, "steering_group": True, "coordinator": True,
                    "stray_coordinator": False, "viewer": True, "co_facilitator": True}  # fmt: skip

    # The steering group decides; the viewer and the coordinator may not; the status shows who did.
    as_("viewer", "POST", f"/measures/{mid}/status", 403, json={"to": "concretised"})
    as_("coordinator", "POST", f"/measures/{mid}/status", 403, json={"to": "concretised"})
    for to, extra in (
        ("concretised", {}),
        ("decided", {"decided_on": "2027-01-10", "decision_note": "Vedtatt i styringsgruppa"}),
        ("in_trial", {"trial_start": "2027-01-15", "trial_end": "2027-06-15"}),
    ):
        as_("steering_group", "POST", f"/measures/{mid}/status", 200, json={"to": to, **extra})
    detail = as_("viewer", "GET", f"/measures/{mid}", 200)
    assert detail["measure"]["status"] == "in_trial"
    assert [h["actor"] for h in detail["history"]] == ["Steering_Group"] * 3
    link = as_("steering_group", "POST", f"/measures/{mid}/links", 201, json={"holder": "Koordinator"})
    as_("steering_group", "DELETE", f"/measures/{mid}/links/{link['id']}", 200)
    assert as_("viewer", "GET", f"/measures/{mid}", 200)["links"][0]["revoked_at"]

    # The coordinator logs and evaluates their measure; the stray coordinator and the viewer cannot.
    entry = {"client_uuid": str(uuid.uuid4()), "happened_on": "2027-02-01", "done": "Første samling"}
    as_("viewer", "POST", f"/measures/{mid}/log", 403, json=entry)
    as_("stray_coordinator", "POST", f"/measures/{mid}/log", 404, json=entry)
    as_("coordinator", "POST", f"/measures/{mid}/log", 201, json=entry)
    evaluation = {"held_on": "2027-06-20", "what_works": "Faste møter", "what_to_adjust": "Oftere",
                  "daily_operation": "Ja", "trial_people": "Lærer på 5. trinn"}  # fmt: skip
    as_("coordinator", "POST", f"/measures/{mid}/evaluations", 201, json=evaluation)
    detail = as_("steering_group", "GET", f"/measures/{mid}", 200)
    assert [e["done"] for e in detail["log"]] == ["Første samling"]
    assert detail["measure"]["status"] == "evaluated" and len(detail["evaluations"]) == 1
    as_("stray_coordinator", "GET", f"/measures/{mid}", 404)


def test_the_administrators_page_and_roles(roles: dict[str, Any]) -> None:
    """Only administrators open the members page; there they invite (link shown), change a role, revoke."""
    from confapp.services import memberships, organisations

    app: Flask = roles["app"]
    for role in ROLE_CALLERS:
        client = fresh_client(app)
        csrf = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        login = {"email": f"{role}@example.no", "password": "testpassord-123", "csrf_token": csrf}
        assert client.post("/login", data=login).status_code == 302
        assert client.get("/organisation/members").status_code == (200 if role == "administrator" else 403), (
            role
        )
        if role != "administrator":
            assert client.post(
                "/organisation/invitations", data={"email": "x@example.no", "csrf_token": csrf}
            ).status_code in (
                400,
                403,
            )
            continue
        page = client.post(
            "/organisation/invitations", data={"email": "ny@example.no", "role": "viewer", "csrf_token": csrf}
        )
        assert page.status_code == 200
        link = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', page.get_data(as_text=True))
        assert link and "/invitation/" in link.group(1)
        assert "ny@example.no" in client.get("/organisation/members").get_data(as_text=True)
        bad = client.post(
            "/organisation/invitations", data={"email": "ny2@example.no", "role": "sjef", "csrf_token": csrf}
        )
        assert bad.status_code == 400
        org = organisations.default()
        viewer = next(m for m in memberships.members(org) if m.facilitator.email == "viewer@example.no")
        client.post(
            f"/organisation/members/{viewer.id}/role", data={"role": "steering_group", "csrf_token": csrf}
        )
        assert memberships.role_of(viewer.facilitator, org) == "steering_group"
        from confapp.services import invitations

        (open_one,) = [i for i in invitations.open_of(org) if i.email == "ny@example.no"]
        client.post(f"/organisation/invitations/{open_one.id}/revoke", data={"csrf_token": csrf})
        assert client.get(link.group(1)).status_code == 410


def test_every_role_on_the_facilitators_socket(roles: dict[str, Any]) -> None:
    """Only those who run the conference connect as its facilitator; the co-facilitator's events are
    answered as the owner's are (the same row of SOCKET_MATRIX), everyone else is refused at connect."""
    for role in ROLE_CALLERS:
        auth = {"kind": "facilitator", "conference_id": roles["cid"], "token": roles["role_tokens"][role]}
        client = _socket(roles, auth)
        assert client.is_connected() == (role == "co_facilitator"), role
        if role != "co_facilitator":
            continue
        for event, payload in SOCKET_EVENTS.items():
            ack = client.emit(event, payload(roles), callback=True)
            expected = SOCKET_MATRIX["facilitator"][event]
            assert not ack["ok"] and ack["error"]["code"] in expected, (role, event, ack)
        ack = client.emit("sync", {"since": 0}, callback=True)
        assert ack["ok"], ack
        client.disconnect()


def _page_expectation(role: str, method: str, rule: str) -> Any:
    """The same policy on the facilitator's HTML pages: "ok" or the refusal status."""
    sees_all = role in ("steering_group", "viewer")
    if rule.startswith("/organisation/"):
        return "ok" if role == "administrator" else RO
    if rule.startswith("/c/<int:conference_id>"):
        if role == "co_facilitator":
            return "ok"
        reads = method == "GET" and not rule.endswith("/co-facilitators")
        return ("ok" if reads else RO) if sees_all else NO
    tail = re.sub(r"^/measures/<int:measure_id>", "", rule)
    if role in ("steering_group", "co_facilitator"):
        return "ok"
    sees = role in ("viewer", "coordinator")
    if tail in ("", "/dossier.docx"):
        return "ok" if sees else NO
    if tail == "/evaluation":
        return "ok" if role == "coordinator" else (RO if sees else NO)
    if tail == "/escalate":  # to the strategy forum (the school has no municipality here: a flash, 302)
        return "ok" if role in ("administrator", "facilitator", "coordinator") else (RO if sees else NO)
    return RO if sees else NO


def test_every_page_times_every_role(roles: dict[str, Any]) -> None:
    """The facilitator's pages about one conference, one measure or the organisation's people × each role."""
    app: Flask = roles["app"]
    scoped = ("/c/<int:conference_id>", "/measures/<int:measure_id>", "/organisation/")
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("facilitator.") and r.rule.startswith(scoped)
    ]
    cells = 0
    for role in ROLE_CALLERS:
        client = fresh_client(app)
        csrf = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        login = {"email": f"{role}@example.no", "password": "testpassord-123", "csrf_token": csrf}
        assert client.post("/login", data=login).status_code == 302
        for rule in rules:
            path = re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: str({"conference_id": roles["cid"],
                          "measure_id": roles["measure_id"], "initiative_id": roles["measure_id"],
                          "round_id": roles["round"]["id"], "member_id": 1, "invitation_id": 1,
                          "link_id": 1, "attachment_id": 1,
                          "facilitator_id": 999_999}[m.group(1)]), rule.rule)  # fmt: skip
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                expected = _page_expectation(role, method, rule.rule)
                data = {"csrf_token": csrf} if method == "POST" else None
                status = client.open(path, method=method, data=data).status_code
                cells += 1
                assert status < 500, (role, method, path, status)
                if expected == "ok":
                    assert status not in (401, 403, 404), (role, method, path, status)
                else:
                    assert status in expected, (role, method, path, status)
    assert cells >= len(ROLE_CALLERS) * 20
    print(f"page matrix: {cells} requests")


# Which controls each role's pages show (docs: README, "Roles"). The server refuses the rest anyway
# (the matrices above); these say the pages do not offer what would be refused.
CONTROLS = {  # role -> (measure page: edit plan, next step, evaluation, log links; org-wide addresses)
    "steering_group": (False, True, True, True, True),
    "coordinator": (False, False, True, False, False),
    "viewer": (False, False, False, False, True),
    "co_facilitator": (True, True, True, True, False),
}
MEASURE_CONTROLS = ('id="edit-plan"', 'id="next-step"', 'id="evaluation"', 'id="log-links"')


def test_pages_show_only_the_controls_each_role_may_use(roles: dict[str, Any]) -> None:
    """The measure page, the measures list, the dashboard and the conference page, as each role sees them."""
    from confapp import db
    from confapp.models import Measure

    app: Flask = roles["app"]
    with db.transaction():  # a measure in its trial: the step, the evaluation and the links are all on offer
        db.get(Measure, roles["measure_id"]).status = "in_trial"
    for role in ROLE_CALLERS:
        client = fresh_client(app)
        csrf = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        login = {"email": f"{role}@example.no", "password": "testpassord-123", "csrf_token": csrf}
        assert client.post("/login", data=login).status_code == 302
        dashboard = client.get("/").get_data(as_text=True)
        assert ('id="members-link"' in dashboard) == (role == "administrator"), role
        measures_page = client.get("/measures").get_data(as_text=True)
        measure = client.get(f"/measures/{roles['measure_id']}")
        conference = client.get(f"/c/{roles['cid']}")
        if role not in CONTROLS:  # may not read the measure or the conference at all
            assert measure.status_code == 404 and conference.status_code == 404, role
            assert f'/measures/{roles["measure_id"]}"' not in measures_page, role
            assert ('id="public-status-link"' in measures_page) == (role == "administrator"), role
            continue
        *shown, org_wide = CONTROLS[role]
        html = measure.get_data(as_text=True)
        assert [control in html for control in MEASURE_CONTROLS] == shown, role
        assert 'id="escalate-form"' not in html, role  # this school has no municipality, so no forum
        assert ('id="public-status-link"' in measures_page) == org_wide, role
        assert ('id="calendar-feed"' in measures_page) == org_wide, role
        page = conference.get_data(as_text=True)
        runs = role == "co_facilitator"
        assert ('id="finish"' in page, 'id="delete-conference"' in page) == (runs, runs), role
        assert ('id="read-only-notice"' in page) == (role in ("steering_group", "viewer")), role
        if role in ("steering_group", "viewer"):  # the board, the edit form and the plan: no controls either
            assert 'id="read-only-notice"' in client.get(f"/c/{roles['cid']}/board").get_data(as_text=True)
            assert 'name="title"' not in client.get(f"/c/{roles['cid']}/edit").get_data(as_text=True)
            plan = client.get(f"/c/{roles['cid']}/initiatives/{roles['measure_id']}")
            assert plan.status_code == 302 and plan.location.endswith(f"/measures/{roles['measure_id']}")


# --- The experience bank (issue 15, point 4): the municipal roles, a school's people, other schools ---

BANK_READERS = {  # account -> (organisation key, role, reads the bank, sees school A's names)
    "kommune-admin": ("muni", "administrator", True, False),
    "kommune-styring": ("muni", "steering_group", True, False),
    "kommune-leser": ("muni", "viewer", True, False),
    "a-admin": ("a", "administrator", True, True),
    "a-fasilitator": ("a", "facilitator", True, True),
    "a-koordinator": ("a", "coordinator", True, True),
    "a-leser": ("a", "viewer", True, True),
    "b-fasilitator": ("b", "facilitator", True, False),
    "c-admin": ("c", "administrator", False, False),  # a school of another municipality
    "ingen": (None, None, False, False),  # an account of the installation only
}


def test_the_experience_bank_times_every_role(app: Flask) -> None:
    """Every reader × the bank's API route, its search page, a bank measure's page and attaching it:
    the municipality's and its schools' people read (names only within school A), others get 404."""
    from confapp import db
    from confapp.services import board, conferences, initiatives, memberships, organisations, preparation

    orgs = {"muni": organisations.create("municipality", "Fjellvik kommune")}
    for key, name in (("a", "Aspheim skole"), ("b", "Bjørkely skole")):
        orgs[key] = organisations.attach_school(orgs["muni"], organisations.create("school", name))
    other = organisations.create("municipality", "Havbu kommune")
    orgs["c"] = organisations.attach_school(other, organisations.create("school", "Cedervik skole"))
    accounts = {}
    for email, (key, role, _reads, _names) in BANK_READERS.items():
        accounts[email] = facilitators.create(
            email=f"{email}@example.no", name=email, password="testpassord-123"
        )
        if key is not None:
            with db.transaction() as s:
                memberships.do_grant(s, orgs[key], accounts[email], role)
    held = organisations.hold_conference(
        orgs["a"],
        conferences.create_conference(accounts["a-fasilitator"], title="DK1 Aspheim", template="dk1_school"),
    )
    preparation.set_text(held, "Forbered deg.")
    point = preparation.post_input(held, client_uuid=str(uuid.uuid4()), text_="Lesevenner")
    m = initiatives.from_cluster(held, board.create(held, "Lesevenner", [point.id]).id)
    initiatives.update(held, m.id, {"coordinator": "Kari Nordmann"}, version=m.version)
    draft = organisations.hold_conference(
        orgs["b"],
        conferences.create_conference(accounts["b-fasilitator"], title="DK2 Bjørkely", template="dk2_school"),
    )
    client, attached_once = app.test_client(), False
    for email, (_key, _role, reads, names) in BANK_READERS.items():
        token = facilitators.issue_api_token(accounts[email])
        auth = {"Authorization": f"Bearer {token}"}
        for org in ("muni", "a"):  # a school's id opens its municipality's bank
            answer = client.get(f"/api/v1/organisations/{orgs[org].id}/bank", headers=auth)
            assert answer.status_code == (200 if reads else 404), (email, org)
            if reads:
                (line,) = answer.get_json()["measures"]
                assert (line["names_shown"], line["coordinator"] == "Kari Nordmann") == (names, names), email
        pages = fresh_client(app)
        csrf = pages.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        login = {"email": f"{email}@example.no", "password": "testpassord-123", "csrf_token": csrf}
        assert pages.post("/login", data=login).status_code == 302
        bank = f"/organisations/{orgs['muni'].id}/bank"
        assert pages.get(bank).status_code == (200 if reads else 404), email
        page = pages.get(f"{bank}/{m.id}")
        assert page.status_code == (200 if reads else 404), email
        assert ("Kari Nordmann" in page.get_data(as_text=True)) == names, email
        attached = pages.post(f"{bank}/{m.id}/attach", data={"conference_id": draft.id, "csrf_token": csrf})
        assert attached.status_code == (302 if reads else 404), email
        # Only the draft's own facilitator attaches; anyone else's attempt changes nothing.
        attached_once = attached_once or email == "b-fasilitator"
        assert len(preparation.attachments(draft)) == int(attached_once), email
    assert [a.measure_id for a in preparation.attachments(draft)] == [m.id]
    assert "Kari Nordmann" not in str(preparation.page(draft))


# --- The strategy forum: the municipal roles ---------------------------------------------------------
# A municipality with two schools (tests/forum_world.py). The north school's measure is on the forum's
# agenda. Bodies are empty, so who is let through gets "bad input" (400) and nothing changes; the one
# real write (a municipal round takes the question) is the municipality's administrator's, last.
FORUM_CALLERS = ["anonymous", "muni_steering", "muni_viewer", "principal", "north_facilitator",
                 "north_viewer", "coordinator", "south_principal", "muni_admin"]  # fmt: skip
FORUM_MATRIX: dict[str, tuple[int, ...]] = {  # route -> status per caller, in FORUM_CALLERS' order
    "GET /organisations/{muni}/forum":        (401, 200, 200, 404, 404, 404, 404, 404, 200),
    "GET /organisations/{north}/forum":       (401, 200, 200, 200, 200, 200, 404, 404, 200),
    "GET /escalations/{e}":                   (401, 200, 200, 200, 200, 200, 404, 404, 200),
    "POST /escalations/{e}/decision":         (401, 400, 403, 403, 403, 403, 404, 404, 400),
    "POST /escalations/{e}/postpone":         (401, 400, 403, 403, 403, 403, 404, 404, 400),
    "POST /measures/{m}/escalations":         (401, 403, 403, 400, 400, 403, 400, 404, 403),
    "POST /organisations/{north}/escalations": (401, 403, 403, 400, 400, 403, 403, 404, 403),
    "POST /escalations/{e}/question":         (401, 403, 403, 404, 404, 404, 404, 404, 200),
}  # fmt: skip


def test_the_strategy_forum_times_every_municipal_role(app: Flask) -> None:
    from forum_world import make_forum_world

    from confapp.services import forum

    w = make_forum_world()
    e = forum.escalate_measure(w.people["principal"], w.measure, "Trenger kommunal rutine")
    group = forum.question_rounds(w.muni)[0]
    tokens = {key: facilitators.issue_api_token(f) for key, f in w.people.items()} | {"anonymous": None}
    ids = {"muni": w.muni.id, "north": w.north.id, "e": e.id, "m": w.measure.id}
    client = app.test_client()
    for route, statuses in FORUM_MATRIX.items():
        method, path = route.split(" ")
        path = "/api/v1" + path.format(**ids)
        body = {"round_id": group.id} if path.endswith("/question") else {}
        for caller, expected in zip(FORUM_CALLERS, statuses, strict=True):
            headers = {"Authorization": f"Bearer {tokens[caller]}"} if tokens[caller] else {}
            response = client.open(path, method=method, headers=headers, json=body)
            assert response.status_code == expected, (caller, route, response.get_data(as_text=True)[:200])
    assert [x.id for x in forum.agenda(w.muni)] == [e.id] and e.postponements == []
