"""Hardening at the HTTP edge: login redirects, CSRF with Bearer headers, caching of token pages, OpenAPI."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from support import fresh_client

from confapp.services import facilitators

PASSWORD = "et-langt-passord-for-test"


def _csrf(client: FlaskClient, path: str = "/login") -> str:
    return client.get(path).get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]


def _logged_in(app: Flask, email: str = "h@example.no") -> tuple[FlaskClient, str]:
    facilitators.create(email=email, name="H", password=PASSWORD)
    client = fresh_client(app)
    token = _csrf(client)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302
    return client, token


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/",
        "/%0a/evil.example/",
        "/%0d/evil.example/",
        "/%5cevil.example/",
        "/\\evil.example/",
        "//evil.example/",
        "https://evil.example/",
        "/%20/evil.example/",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_site(app: Flask, target: str) -> None:
    facilitators.create(email="r@example.no", name="R", password=PASSWORD)
    client = fresh_client(app)
    token = _csrf(client)
    r = client.post(
        "/login?next=" + target, data={"email": "r@example.no", "password": PASSWORD, "csrf_token": token}
    )
    assert r.status_code == 302
    assert r.headers["Location"] == "/", r.headers["Location"]


def test_login_follows_a_relative_next(app: Flask) -> None:
    facilitators.create(email="n@example.no", name="N", password=PASSWORD)
    client = fresh_client(app)
    token = _csrf(client)
    r = client.post(
        "/login?next=/account?x=1", data={"email": "n@example.no", "password": PASSWORD, "csrf_token": token}
    )
    assert r.headers["Location"] == "/account?x=1"


@pytest.mark.parametrize("header", ["Bearer bogus", "Bearer cfa_bogus", "Bearer ", "Basic abc"])
def test_a_bogus_authorization_header_does_not_ride_on_the_session(app: Flask, header: str) -> None:
    client, _token = _logged_in(app)
    r = client.post("/api/v1/conferences", json={"title": "Forged"}, headers={"Authorization": header})
    assert r.status_code == 401, r.get_data(as_text=True)
    assert client.get("/api/v1/conferences").get_json() == [], "nothing was created"


def test_a_real_token_still_works_without_csrf(app: Flask) -> None:
    f = facilitators.create(email="t@example.no", name="T", password=PASSWORD)
    token = facilitators.issue_api_token(f)
    r = fresh_client(app).post(
        "/api/v1/conferences", json={"title": "Med token"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 201


def test_a_phone_with_a_bogus_bearer_is_not_the_cookie_phone(app: Flask) -> None:
    f = facilitators.create(email="p@example.no", name="P", password=PASSWORD)
    api_token = facilitators.issue_api_token(f)
    client = fresh_client(app)
    conf = client.post(
        "/api/v1/conferences", json={"title": "K"}, headers={"Authorization": f"Bearer {api_token}"}
    ).get_json()["conference"]
    joined = client.post(
        "/api/v1/join",
        json={"uuid": str(uuid.uuid4()), "code": conf["join_code"], "name": "Ola", "role": "Lærer"},
    )
    assert joined.status_code == 201
    r = client.get("/api/v1/me/snapshot", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


def test_pages_with_tokens_are_not_stored(app: Flask) -> None:
    client, token = _logged_in(app)
    assert client.get("/account").headers["Cache-Control"] == "no-store"
    assert client.post("/account", data={"csrf_token": token}).headers["Cache-Control"] == "no-store"
    conf = client.post("/api/v1/conferences", json={"title": "K"}, headers={"X-CSRFToken": token}).get_json()
    code = conf["conference"]["join_code"]
    phone = fresh_client(app)
    page = phone.get(f"/j/{code}")
    assert page.headers["Cache-Control"] == "no-store"
    r = phone.post(
        f"/j/{code}",
        data={
            "name": "Kari",
            "role": "Lærer",
            "csrf_token": _csrf(phone, f"/j/{code}"),
            "join_key": str(uuid.uuid4()),
        },
    )
    assert r.status_code == 302 and r.headers["Cache-Control"] == "no-store"
    assert phone.get(f"/m/{code}").headers["Cache-Control"] == "no-store"
    static = phone.get("/static/phone/phone.js")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", ""), "static files stay cacheable"


def test_openapi_names_the_docx_path_parameter(app: Flask) -> None:
    doc = fresh_client(app).get("/api/v1/openapi.json").get_json()
    op = doc["paths"]["/api/v1/conferences/{conference_id}/initiatives/{initiative_id}.docx"]["get"]
    assert sorted(p["name"] for p in op["parameters"] if p["in"] == "path") == [
        "conference_id",
        "initiative_id",
    ]
