"""The board, the dot vote and the initiative forms through the API (in-process, real SQLite file)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask

from confapp.services import facilitators

POINTS = [
    "Rutine for fravær fra første dag", "Ringe hjem ved fravær første dag",
    "Felles fraværsrutine for alle trinn", "Faste møter med helsesykepleier",
    "Helsesykepleier på foreldremøter", "HS bør være mer synlig i skolen",
    "PPT inn i klasserommet", "PPT-rådgiver bør observere i timene",
]  # fmt: skip


class Api:
    def __init__(self, app: Flask, token: str | None = None) -> None:
        self.client = app.test_client()
        self.client.set_cookie("confapp_lang", "en")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __call__(self, method: str, path: str, expect: int = 200, **kw: Any) -> Any:
        r = self.client.open("/api/v1" + path, method=method, headers=self.headers, **kw)
        assert r.status_code == expect, (method, path, r.status_code, r.get_data(as_text=True))
        return r.get_json() if r.is_json else r.data


@pytest.fixture
def setup(app: Flask) -> dict[str, Any]:
    f = facilitators.create(email="a@example.no", name="A", password="testpassord-123")
    api = Api(app, facilitators.issue_api_token(f))
    detail = api("POST", "/conferences", 201, json={"title": "K", "template": "dk1_school"})
    cid, code = detail["conference"]["id"], detail["conference"]["join_code"]
    phones = []
    for i in range(4):
        out = Api(app)(
            "POST",
            "/join",
            201,
            json={"uuid": str(uuid.uuid4()), "code": code, "name": f"P{i}", "role": "Lærer"},
        )
        phones.append(Api(app, out["token"]))
    rnd = detail["rounds"][0]
    groups = api("POST", f"/conferences/{cid}/rounds/{rnd['id']}/groups/propose", json={"groups": 1})
    api("POST", f"/conferences/{cid}/rounds/{rnd['id']}/start")
    leader = groups[0]["leader_id"]
    reporter = next(p for p in phones if p("GET", "/me/snapshot")["me"]["id"] == leader)
    ids = [
        reporter(
            "POST",
            "/me/bullets",
            201,
            json={"group_id": groups[0]["id"], "uuid": str(uuid.uuid4()), "text": t},
        )["id"]
        for t in POINTS
    ]
    return {"api": api, "cid": cid, "ids": ids, "phones": phones}


def test_board_create_move_merge_split_undo(setup: dict[str, Any]) -> None:
    api, cid, ids = setup["api"], setup["cid"], setup["ids"]
    base = f"/conferences/{cid}"
    a = api("POST", f"{base}/clusters", 201, json={"title": "Fravær", "bullet_ids": ids[:2]})
    b = api("POST", f"{base}/clusters", 201, json={"title": "Helse", "bullet_ids": ids[3:5]})
    board = api("POST", f"{base}/board/move", json={"bullet_id": ids[2], "cluster_id": a["id"]})
    assert next(c for c in board["clusters"] if c["id"] == a["id"])["bullet_ids"] == ids[:3]
    assert api("POST", f"{base}/board/undo")["undone"] is True
    assert ids[2] in api("GET", f"{base}/board")["unclustered"]
    merged = api("POST", f"{base}/clusters/{b['id']}/merge", json={"into": a["id"]})
    assert sorted(merged["bullet_ids"]) == sorted(ids[:2] + ids[3:5])
    assert [c["id"] for c in api("GET", f"{base}/board")["clusters"]] == [a["id"]]
    split = api(
        "POST", f"{base}/clusters/{a['id']}/split", 201, json={"bullet_ids": ids[3:5], "title": "Helse"}
    )
    assert split["bullet_ids"] == ids[3:5]
    api("PATCH", f"{base}/clusters/{split['id']}", json={"title": "Helsesykepleier"})
    assert api("POST", f"{base}/clusters/{a['id']}/split", 400, json={"bullet_ids": ids[6:7], "title": "X"})
    assert api("POST", f"{base}/clusters", 400, json={"title": " "})["error"]["code"] == "empty"
    assert api("POST", f"{base}/board/move", 404, json={"bullet_id": 99999, "cluster_id": a["id"]})
    api("DELETE", f"{base}/clusters/{split['id']}")
    assert set(ids[3:5]) <= set(api("GET", f"{base}/board")["unclustered"])


def test_suggestions_and_cold_start(setup: dict[str, Any]) -> None:
    api, cid, ids = setup["api"], setup["cid"], setup["ids"]
    base = f"/conferences/{cid}"
    made = api("POST", f"{base}/board/propose", 201)
    assert made and all(len(c["bullet_ids"]) >= 2 for c in made)
    for c in made:
        api("DELETE", f"{base}/clusters/{c['id']}")
    fravaer = api("POST", f"{base}/clusters", 201, json={"title": "Fravær", "bullet_ids": ids[:1]})
    helse = api("POST", f"{base}/clusters", 201, json={"title": "Helse", "bullet_ids": ids[3:4]})
    ppt = api("POST", f"{base}/clusters", 201, json={"title": "PPT", "bullet_ids": ids[6:7]})
    hints = api("GET", f"{base}/board/suggestions")
    best = {int(k): v[0]["cluster_id"] for k, v in hints.items()}
    assert best[ids[1]] == fravaer["id"] and best[ids[2]] == fravaer["id"]
    assert best[ids[4]] == helse["id"] and best[ids[5]] == helse["id"], "HS = helsesykepleier"
    assert best[ids[7]] == ppt["id"]


def test_dot_vote_limits_idempotent_dots_and_stored_tally(setup: dict[str, Any]) -> None:
    api, cid, ids, phones = setup["api"], setup["cid"], setup["ids"], setup["phones"]
    base = f"/conferences/{cid}"
    assert api("POST", f"{base}/votes", 400, json={"dots": 2})["error"]["code"] == "no_clusters"
    a = api("POST", f"{base}/clusters", 201, json={"title": "Fravær", "bullet_ids": ids[:3]})
    b = api("POST", f"{base}/clusters", 201, json={"title": "Helse", "bullet_ids": ids[3:6]})
    assert api("POST", f"{base}/votes", 400, json={"dots": 0})["error"]["code"] == "invalid"
    api("POST", f"{base}/votes", 201, json={"dots": 2})
    assert api("POST", f"{base}/votes", 409, json={"dots": 2})["error"]["code"] == "vote_open"
    dot = str(uuid.uuid4())
    first = phones[0]("POST", "/me/votes/dots", json={"cluster_id": a["id"], "uuid": dot})
    again = phones[0]("POST", "/me/votes/dots", json={"cluster_id": a["id"], "uuid": dot})
    assert first == again == {"my_dots": {str(a["id"]): 1}}
    phones[0]("POST", "/me/votes/dots", json={"cluster_id": b["id"], "uuid": str(uuid.uuid4())})
    over = phones[0]("POST", "/me/votes/dots", 409, json={"cluster_id": b["id"], "uuid": str(uuid.uuid4())})
    assert over["error"]["code"] == "no_dots_left"
    phones[0]("POST", "/me/votes/retract", json={"cluster_id": b["id"], "uuid": str(uuid.uuid4())})
    phones[0]("POST", "/me/votes/dots", json={"cluster_id": a["id"], "uuid": str(uuid.uuid4())})
    for phone in phones[1:]:
        phone("POST", "/me/votes/dots", json={"cluster_id": b["id"], "uuid": str(uuid.uuid4())})
    assert api("GET", f"{base}/votes/current")["tally"] == {str(a["id"]): 2, str(b["id"]): 3}
    closed = api("POST", f"{base}/votes/close")
    assert closed["final_tally"] == {
        str(a["id"]): {"title": "Fravær", "dots": 2},
        str(b["id"]): {"title": "Helse", "dots": 3},
    }
    late = phones[1]("POST", "/me/votes/dots", 409, json={"cluster_id": a["id"], "uuid": str(uuid.uuid4())})
    assert late["error"]["code"] == "vote_closed"
    assert phones[1]("GET", "/me/snapshot")["vote"]["final_tally"] == closed["final_tally"]


def test_initiative_form_warnings_versions_and_word(setup: dict[str, Any]) -> None:
    api, cid, ids = setup["api"], setup["cid"], setup["ids"]
    base = f"/conferences/{cid}"
    c = api("POST", f"{base}/clusters", 201, json={"title": "Fast møtepunkt", "bullet_ids": ids[3:6]})
    view = api("POST", f"{base}/clusters/{c['id']}/initiative", 201)
    ini = view["initiative"]
    assert ini["title"] == "Fast møtepunkt" and ini["source_bullet_ids"] == ids[3:6]
    assert "Faste møter med helsesykepleier" in ini["content"]
    assert any("steering group" in w for w in view["warnings"])
    path = f"{base}/initiatives/{ini['id']}"
    saved = api(
        "PATCH",
        path,
        json={
            "version": ini["version"],
            "coordinator": "Trinnleder",
            "coordinator_is_grade_team_leader": True,
            "main_arena": "grade_team",
        },
    )
    assert saved["initiative"]["version"] == ini["version"] + 1
    assert any("grade-team leader" in w for w in saved["warnings"])
    # A second editor who started from the old version is told, and nothing of theirs is written.
    stale = api("PATCH", path, 409, json={"version": ini["version"], "coordinator": "Noen andre"})
    assert stale["error"]["code"] == "stale"
    assert api("GET", path)["initiative"]["coordinator"] == "Trinnleder"
    for body, code in [
        ({"main_arena": "kantina"}, "invalid"),
        ({"pyramid_level": "top"}, "invalid"),
        ({"lasting": "yes"}, "invalid"),
        ({"title": ""}, "empty"),
        ({"secret": 1}, "invalid"),
        ({"goal": "x" * 4001}, "too_long"),
    ]:
        out = api("PATCH", path, 400, json={"version": saved["initiative"]["version"], **body})
        assert out["error"]["code"] == code, body
    data = api("GET", f"{base}/initiatives.docx")
    one = api("GET", f"{path}.docx")
    assert data[:2] == b"PK" and one[:2] == b"PK"
    api("DELETE", path)
    assert api("GET", f"{base}/initiatives") == []
