"""What a request may carry: size (413), JSON depth (400), CSV field size, and a phone's write rate."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from support import Api, Conference, LiveServer, fresh_client, socket_client

from confapp import create_app
from confapp.errors import ServiceError
from confapp.services import conferences, facilitators
from confapp.services.bullets import POINTS_PER_MINUTE

PASSWORD = "et-langt-passord-for-test"
DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"code": ' + DEEP + "}"


@pytest.fixture
def token(app: Flask) -> str:
    return facilitators.issue_api_token(
        facilitators.create(email="l@example.no", name="L", password=PASSWORD)
    )


def test_an_oversized_json_body_is_413_with_a_message(app: Flask) -> None:
    body = b'{"code": "' + b"A" * (3 * 1024 * 1024) + b'"}'
    r = fresh_client(app).post(
        "/api/v1/join", data=body, content_type="application/json", headers={"Accept-Language": "nb"}
    )
    assert r.status_code == 413
    assert r.get_json()["error"] == {
        "code": "too_large",
        "message": "Det du sendte er for stort: høyst 2 MB.",
    }


def test_the_size_limit_is_a_setting(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CONFAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONFAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'size.sqlite'}")
    monkeypatch.setenv("CONFAPP_SECRET_KEY", "size-test")
    monkeypatch.setenv("CONFAPP_MAX_CONTENT_LENGTH", str(1024 * 1024))
    small = create_app()
    assert small.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    with small.app_context():
        r = fresh_client(small).post(
            "/api/v1/join",
            data=b"{" + b" " * (1024 * 1024 + 1) + b"}",
            content_type="application/json",
            headers={"Accept-Language": "en"},
        )
    assert r.status_code == 413 and "høyst 1 MB" in r.get_json()["error"]["message"]


def test_an_oversized_csv_upload_is_a_translated_413_page(app: Flask) -> None:
    facilitators.create(email="c@example.no", name="C", password=PASSWORD)
    client = fresh_client(app)
    csrf = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": "c@example.no", "password": PASSWORD, "csrf_token": csrf})
    conf = client.post("/api/v1/conferences", json={"title": "K"}, headers={"X-CSRFToken": csrf}).get_json()
    boundary = "confappgrense"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\n'
            "Content-Type: text/csv\r\n\r\nnavn\n"
        ).encode()
        + b"x" * 3_000_000
        + f"\r\n--{boundary}--\r\n".encode()
    )
    r = client.post(  # bytes, not a file tuple: the test client would spool those to a temporary file
        f"/c/{conf['conference']['id']}/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert r.status_code == 413
    assert "Det du sendte er for stort" in r.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "auth"),
    [
        ("/api/v1/join", None),  # no login: the parser is reached by anyone
        ("/api/v1/conferences", "facilitator"),
        ("/api/v1/me/bullets", "phone"),
    ],
)
def test_deeply_nested_json_is_400_not_500(app: Flask, token: str, path: str, auth: str | None) -> None:
    headers = {}
    if auth == "facilitator":
        headers = {"Authorization": f"Bearer {token}"}
    elif auth == "phone":
        client = fresh_client(app)
        bearer = {"Authorization": f"Bearer {token}"}
        conf = client.post("/api/v1/conferences", json={"title": "K"}, headers=bearer)
        code = conf.get_json()["conference"]["join_code"]
        joined = client.post(
            "/api/v1/join", json={"uuid": str(uuid.uuid4()), "code": code, "name": "Kari", "role": "Lærer"}
        ).get_json()
        headers = {"Authorization": f"Bearer {joined['token']}"}
    for body in (DEEP, DEEP_OBJECT):
        r = fresh_client(app).post(path, data=body, content_type="application/json", headers=headers)
        assert r.status_code == 400, (path, r.status_code, r.get_data(as_text=True)[:300])
        assert r.is_json and r.get_json()["error"]["message"]


def test_deeply_nested_json_to_every_json_route_is_never_500(app: Flask, token: str) -> None:
    client = fresh_client(app)
    headers = {"Authorization": f"Bearer {token}"}
    conf = client.post("/api/v1/conferences", json={"title": "K"}, headers=headers).get_json()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule
        for name in (
            "conference_id",
            "round_id",
            "group_id",
            "participant_id",
            "cluster_id",
            "initiative_id",
        ):
            path = path.replace(f"<int(max=9223372036854775807):{name}>", str(conf["conference"]["id"]))
        path = path.replace("<uuid>", str(uuid.uuid4()))
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}:
            r = client.open(
                path, method=method, data=DEEP_OBJECT, content_type="application/json", headers=headers
            )
            r.close()
            assert r.status_code < 500, (method, path, r.status_code)


def test_a_csv_field_over_the_csv_limit_names_the_line(app: Flask, token: str) -> None:
    data = ("navn;rolle\nKari;Lærer\nOla;" + "x" * 140_000 + "\n").encode()
    with pytest.raises(ServiceError) as err:
        conferences.parse_participants_csv(data)
    assert err.value.code == "csv" and err.value.params["line"] == 3
    # Through the import route: a 400 whose message names the line, in the user's language; nobody imported.
    client = fresh_client(app)
    bearer = {"Authorization": f"Bearer {token}", "Accept-Language": "nb"}
    made = client.post("/api/v1/conferences", json={"title": "K"}, headers=bearer).get_json()
    cid = made["conference"]["id"]
    r = client.post(f"/api/v1/conferences/{cid}/participants/import", data=data, headers=bearer)
    assert r.status_code == 400, r.get_data(as_text=True)[:300]
    message = r.get_json()["error"]["message"]
    assert "3" in message and "linje" in message.lower(), message
    assert client.get(f"/api/v1/conferences/{cid}/participants", headers=bearer).get_json() == []


@pytest.fixture
def server(tmp_path) -> LiveServer:  # type: ignore[no-untyped-def]
    srv = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'rate.sqlite'}").start()
    yield srv
    srv.stop()


def test_a_phone_that_posts_too_fast_is_told_to_wait_and_loses_nothing(server: LiveServer) -> None:
    from support import create_facilitator

    conf = Conference(server, Api(server.url, create_facilitator(server)))
    groups, reporters = conf.running_round(people=4, group_size=2)
    assert len(groups) == 2
    gid = groups[0]["id"]
    reporter = reporters[gid]
    sent = [conf.post(reporter, gid, f"Punkt {i}") for i in range(POINTS_PER_MINUTE)]
    phone = conf.phones[reporter]
    r = phone.session.post(
        phone.base + "/me/bullets",
        json={"group_id": gid, "uuid": str(uuid.uuid4()), "text": "Ett for mye"},
        headers={"Accept-Language": "nb"},
        timeout=30,
    )
    assert r.status_code == 429
    error = r.json()["error"]
    assert error["code"] == "too_fast" and error["retry"] is True
    assert "Vent litt" in error["message"]
    # A retry of a point already sent is still answered (the outbox's resend), not refused.
    again = conf.post(reporter, gid, "Punkt 0", client_uuid=sent[0]["uuid"])
    assert again["id"] == sent[0]["id"]
    # The socket path says the same, and marks it for the phone's outbox to keep.
    sock = socket_client(server.url, {"kind": "participant", "token": conf.tokens[reporter]})
    try:
        ack = sock.call(
            "bullet.post", {"group_id": gid, "uuid": str(uuid.uuid4()), "text": "Via socket"}, timeout=10
        )
    finally:
        sock.disconnect()
    assert ack["ok"] is False and ack["error"]["retry"] is True and ack["error"]["code"] == "too_fast"
    # Other tables are not affected, though their phone posts from the same address.
    other_gid = groups[1]["id"]
    posted = conf.post(reporters[other_gid], other_gid, "Et annet bord")
    assert posted["text"] == "Et annet bord"
