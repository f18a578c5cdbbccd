"""The JSON API in-process: preparing a conference, bad input, access, and the OpenAPI document."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from confapp.services import facilitators


class Client:
    def __init__(self, client: FlaskClient, token: str | None) -> None:
        client.set_cookie("confapp_lang", "en")  # messages asserted below are the English msgids
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __call__(self, method: str, path: str, expect: int, **kw: Any) -> Any:
        r = self.client.open("/api/v1" + path, method=method, headers=self.headers, **kw)
        assert r.status_code == expect, (method, path, r.status_code, r.get_data(as_text=True))
        return r.get_json() if r.is_json else r.data


@pytest.fixture
def api(app: Flask) -> Client:
    f = facilitators.create(email="a@example.no", name="Ordstyrer A", password="testpassord-123")
    return Client(app.test_client(), facilitators.issue_api_token(f))


@pytest.fixture
def other_api(app: Flask) -> Client:
    f = facilitators.create(email="b@example.no", name="Ordstyrer B", password="testpassord-123")
    return Client(app.test_client(), facilitators.issue_api_token(f))


@pytest.mark.parametrize(
    "template",
    ["dk1_municipal", "dk1_school", "dk2_municipal", "dk2_school", "dk3_municipal", "dk3_school", "closing"],
)
def test_templates_prefill_purpose_and_two_group_rounds(api: Client, template: str) -> None:
    detail = api("POST", "/conferences", 201, json={"title": "Konferanse", "template": template})
    assert detail["conference"]["purpose"]
    kinds = [r["kind"] for r in detail["rounds"]]
    assert kinds == ["group", "plenary", "group", "plenary"]
    assert all(r["question"] for r in detail["rounds"] if r["kind"] == "group")
    assert detail["warnings"] == []
    assert detail["conference"]["level"] == (
        "municipal" if "municipal" in template or template == "closing" else "school"
    )


def test_agenda_with_one_group_round_warns(api: Client) -> None:
    detail = api(
        "POST",
        "/conferences",
        201,
        json={
            "title": "Kort møte",
            "template": "blank",
            "agenda": [
                {"kind": "group", "title": "Runde", "question": "Hva nå?", "minutes": 30},
                {"kind": "plenary", "title": "Plenum"},
            ],
        },
    )
    assert (
        len(detail["warnings"]) == 1
        and "two group rounds" in detail["warnings"][0]
        or "to gruppe" in detail["warnings"][0]
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"title": ""}, "empty"),
        ({"title": "x" * 201}, "too_long"),
        ({"title": "Ok", "template": "nope"}, "invalid"),
        ({"title": "Ok", "level": "county"}, "invalid"),
        ({"title": "Ok", "held_on": "22.11.2026"}, "invalid"),
        ({"title": "Ok", "agenda": [{"kind": "lunch"}]}, "invalid"),
        ({"title": "Ok", "agenda": [{"kind": "group", "title": "R"}]}, "empty"),
        ({"title": "Ok", "agenda": [{"kind": "plenary", "minutes": 0}]}, "invalid"),
        ({"title": "Ok", "agenda": "not a list"}, "invalid"),
        ({"title": 5}, "invalid"),
    ],
)
def test_bad_conference_input_is_refused_and_nothing_created(api: Client, body: dict, code: str) -> None:
    out = api("POST", "/conferences", 400, json=body)
    assert out["error"]["code"] == code and out["error"]["message"]
    assert api("GET", "/conferences", 200) == []


def test_non_json_body_is_a_clear_400(api: Client) -> None:
    out = api("POST", "/conferences", 400, data="title=x", content_type="text/plain")
    assert out["error"]["code"] == "invalid"


CSV_OK = "navn;rolle;enhet;trinn\nAda Berg;Lærer;Eksempel skole;5.–7.\nBo Dahl;Helsesykepleier;;\n".encode()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"navn,rolle\nAda,Laerer\n,Assistent\n", "Line 3"),
        (b"rolle,enhet\nLaerer,Skole\n", "Line 1"),
        ("navn,rolle\nAda,Laerer\nBø,Lærer\n".encode("latin-1"), "Line 3"),
        (b"navn,rolle\nAda,L\x00aerer\n", "NUL"),
        (b"navn,rolle\nAda,Laerer,ekstra,mer\n", "Line 2"),
        (b"", "empty"),
        (b"navn,rolle\n", "no participants"),
        ("navn,rolle\n" + "x" * 81 + ",Lærer\n", "Line 2"),
    ],
)
def test_bad_csv_names_the_line_and_imports_nothing(api: Client, data: bytes | str, fragment: str) -> None:
    conf = api("POST", "/conferences", 201, json={"title": "K", "template": "dk1_school"})["conference"]
    raw = data.encode() if isinstance(data, str) else data
    out = api(
        "POST", f"/conferences/{conf['id']}/participants/import", 400, data=raw, content_type="text/csv"
    )
    assert fragment.lower() in out["error"]["message"].lower() or fragment in out["error"]["message"]
    assert api("GET", f"/conferences/{conf['id']}/participants", 200) == []


def test_csv_import_then_phones_claim_their_names(api: Client, app: Flask) -> None:
    conf = api("POST", "/conferences", 201, json={"title": "K", "template": "dk1_school"})["conference"]
    people = api(
        "POST", f"/conferences/{conf['id']}/participants/import", 201, data=CSV_OK, content_type="text/csv"
    )
    assert [(p["name"], p["role"], p["unit"], p["grade_team"]) for p in people] == [
        ("Ada Berg", "Lærer", "Eksempel skole", "5.–7."),
        ("Bo Dahl", "Helsesykepleier", "", ""),
    ]
    phone = Client(app.test_client(), None)
    joined = phone(
        "POST",
        "/join",
        201,
        json={"uuid": str(uuid.uuid4()), "code": conf["join_code"].lower(), "claim_id": people[0]["id"]},
    )
    assert joined["participant"]["name"] == "Ada Berg" and joined["participant"]["joined"]
    again = phone(
        "POST",
        "/join",
        409,
        json={"uuid": str(uuid.uuid4()), "code": conf["join_code"], "claim_id": people[0]["id"]},
    )
    assert again["error"]["code"] == "taken"


def test_join_refuses_unknown_code_empty_name_and_closed_conference(api: Client, app: Flask) -> None:
    conf = api("POST", "/conferences", 201, json={"title": "K", "template": "dk1_school"})["conference"]
    phone = Client(app.test_client(), None)
    assert (
        phone("POST", "/join", 404, json={"code": "QQQQQQ", "name": "A"})["error"]["code"] == "unknown_code"
    )
    assert (
        phone(
            "POST", "/join", 400, json={"uuid": str(uuid.uuid4()), "code": conf["join_code"], "name": "  "}
        )["error"]["code"]
        == "empty"
    )
    api("PATCH", f"/conferences/{conf['id']}", 200, json={"joins_open": False})
    assert (
        phone("POST", "/join", 403, json={"uuid": str(uuid.uuid4()), "code": conf["join_code"], "name": "A"})[
            "error"
        ]["code"]
        == "closed"
    )
    assert api("GET", f"/conferences/{conf['id']}/participants", 200) == []


def test_conferences_are_private_to_their_facilitators(api: Client, other_api: Client, app: Flask) -> None:
    conf = api("POST", "/conferences", 201, json={"title": "Min", "template": "dk1_school"})["conference"]
    assert other_api("GET", "/conferences", 200) == []
    other_api("GET", f"/conferences/{conf['id']}", 404)
    other_api("POST", f"/conferences/{conf['id']}/finish", 404)
    anonymous = Client(app.test_client(), None)
    anonymous("GET", "/conferences", 401)
    anonymous("GET", f"/conferences/{conf['id']}", 401)
    Client(app.test_client(), "cfa_wrong")("GET", "/conferences", 401)


def test_browser_session_needs_the_csrf_header(app: Flask) -> None:
    facilitators.create(email="c@example.no", name="C", password="testpassord-123")
    client = app.test_client()
    page = client.get("/login")
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post(
        "/login", data={"email": "c@example.no", "password": "testpassord-123", "csrf_token": token}
    )
    assert r.status_code == 302
    r = client.post("/api/v1/conferences", json={"title": "X"})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "csrf"
    r = client.post("/api/v1/conferences", json={"title": "X"}, headers={"X-CSRFToken": token})
    assert r.status_code == 201


def test_openapi_documents_every_api_route(app: Flask) -> None:
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi_json":
            continue
        path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)
    for ops in doc["paths"].values():
        for op in ops.values():
            assert op["summary"] and op["operationId"] and "responses" in op


def test_console_issues_a_personal_api_token_shown_once(app: Flask) -> None:
    facilitators.create(email="d@example.no", name="D", password="testpassord-123")
    client = app.test_client()
    token = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": "d@example.no", "password": "testpassord-123", "csrf_token": token})
    page = client.post("/account", data={"csrf_token": token}).get_data(as_text=True)
    api_token = page.split('<code id="api-token">')[1].split("</code>")[0]
    assert api_token.startswith("cfa_")
    assert api_token not in client.get("/account").get_data(as_text=True), "shown once"
    assert Client(app.test_client(), api_token)("GET", "/conferences", 200) == []
    newer = client.post("/account", data={"csrf_token": token}).get_data(as_text=True)
    assert newer.split('<code id="api-token">')[1].split("</code>")[0] != api_token
    Client(app.test_client(), api_token)("GET", "/conferences", 401)


def test_served_qr_code_scans_to_the_join_url(api: Client, app: Flask, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from support import decode_qr

    detail = api("POST", "/conferences", 201, json={"title": "QR", "template": "dk1_school"})
    code = detail["conference"]["join_code"]
    svg = app.test_client().get(f"/qr/{code}.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert decode_qr(svg.data, tmp_path) == detail["join_url"]
    assert app.test_client().get("/qr/NOPE00.svg").status_code == 404


def test_someone_who_leaves_is_taken_off_the_planned_tables_which_stay_even(api: Client, app: Flask) -> None:
    conf = api("POST", "/conferences", 201, json={"title": "K", "template": "dk1_school"})
    cid, code = conf["conference"]["id"], conf["conference"]["join_code"]
    rnd = conf["rounds"][0]
    phone = Client(app.test_client(), None)
    ids = [
        phone(
            "POST",
            "/join",
            201,
            json={
                "uuid": str(uuid.uuid4()),
                "code": code,
                "name": f"P{i}",
                "role": ["Lærer", "Assistent"][i % 2],
            },
        )["participant"]["id"]
        for i in range(9)
    ]
    planned = api("POST", f"/conferences/{cid}/rounds/{rnd['id']}/groups/propose", 200, json={"groups": 3})
    assert sorted(len(g["members"]) for g in planned) == [3, 3, 3]
    leaving = planned[0]["members"][0]["id"]
    other = planned[1]["members"][0]["id"]
    api("DELETE", f"/conferences/{cid}/participants/{leaving}", 200)
    api("DELETE", f"/conferences/{cid}/participants/{other}", 200)
    after = api("GET", f"/conferences/{cid}/rounds/{rnd['id']}/groups", 200)
    seated = [m["id"] for g in after for m in g["members"]]
    assert leaving not in seated and other not in seated and len(seated) == 7 == len(ids) - 2
    sizes = sorted(len(g["members"]) for g in after)
    assert sizes[-1] - sizes[0] <= 1
