"""The docs cannot drift: every event, socket event, CLI command and API call they name is real."""

from __future__ import annotations

import dataclasses
import re
import uuid
from pathlib import Path

from flask import Flask
from support import Api, Conference, LiveServer

from confapp.live.events import EVENT_TYPES
from confapp.live.realtime import socketio

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text()
API_DOC = (ROOT / "docs" / "api.md").read_text()
README = (ROOT / "README.md").read_text()


def test_every_event_type_is_documented() -> None:
    """Each event has a row in protocol.md saying who gets it, every field it carries, and when."""
    for event_type, cls in EVENT_TYPES.items():
        row = re.search(rf"^\| `{re.escape(event_type)}` \|(.*)\|[ \t]*$", PROTOCOL, re.M)
        assert row, event_type
        who, fields, when = (cell.strip() for cell in row.group(1).split("|"))
        assert who, event_type
        assert when, event_type
        for field in dataclasses.fields(cls):
            assert f"`{field.name}`" in fields, (event_type, field.name)


def test_every_socket_event_is_documented(app: Flask) -> None:
    handlers = set(socketio.server.handlers["/"]) - {"connect", "disconnect"}
    assert handlers, "handlers are registered"
    for name in handlers:
        assert f"| `{name}` |" in PROTOCOL, name


def test_readme_names_every_cli_command() -> None:
    from confapp.cli import main

    for name in main.commands:
        assert f"confapp {name}" in README, name
    code_block = re.search(r"## Quick start\n\n```sh\n(.*?)```", README, re.S)
    assert code_block and code_block.group(1).strip().splitlines() == ["./scripts/start", "./scripts/test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./scripts/test" in ci


def test_every_call_in_the_api_walkthrough_exists(app: Flask) -> None:
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    calls = re.findall(r"curl -s (.*?)\$BASE(/[\w/{}.-]+)", API_DOC.replace("\\\n", " "))
    assert len(calls) >= 15
    for flags, path in calls:
        method = (
            re.search(r"-X (\w+)", flags)
            or [None, "POST" if " -d " in f" {flags}" or "--data" in flags else "GET"]
        )[1]
        pattern = re.sub(r"\{\w+\}", "{id}", re.sub(r"/\d+", "/{id}", path))  # an id, or e.g. {code}
        matches = [p for p in doc["paths"] if re.sub(r"\{\w+\}", "{id}", p) == "/api/v1" + pattern]
        assert matches, path
        assert any(method.lower() in doc["paths"][m] for m in matches), (method, path)


def test_the_walkthrough_runs_against_a_real_server(server: LiveServer, facilitator_api: Api) -> None:
    conf = Conference(server, facilitator_api, title="Dialogkonferanse 1")
    people = [
        conf.join(f"Deltaker {i}", ["Lærer", "Assistent", "Helsesykepleier", "PPT-rådgiver"][i % 4])
        for i in range(8)
    ]
    r1, p1, r2, p2 = conf.rounds
    groups = conf.propose(r1, 4)
    facilitator_api.post(
        conf.path(f"/rounds/{r1['id']}/groups/move"),
        {"participant_id": groups[0]["members"][0]["id"], "table": 2},
    )
    groups = facilitator_api.get(conf.path(f"/rounds/{r1['id']}/groups"))
    for g in groups:
        facilitator_api.put(conf.path(f"/groups/{g['id']}/leader"), {"participant_id": g["members"][0]["id"]})
    conf.start(r1)
    groups = facilitator_api.get(conf.path(f"/rounds/{r1['id']}/groups"))
    reporters = conf.appoint_reporters(groups)
    cid = str(uuid.uuid4())
    first = conf.post(reporters[groups[0]["id"]], groups[0]["id"], "Faste møter med helsesykepleier", cid)
    again = conf.post(reporters[groups[0]["id"]], groups[0]["id"], "Faste møter med helsesykepleier", cid)
    assert first["id"] == again["id"]
    conf.start(p1)
    facilitator_api.put(conf.path("/focus"), {"group_number": 2})
    facilitator_api.post(conf.path("/projector/page"), {"delta": 1})
    facilitator_api.post(
        conf.path("/notes"), {"uuid": str(uuid.uuid4()), "text": "Mange peker på møtepunkter."}
    )
    second = conf.propose(r2, 4)
    before = {frozenset(m["id"] for m in g["members"]) for g in groups}
    assert not before & {frozenset(m["id"] for m in g["members"]) for g in second}
    conf.start(r2)
    conf.start(p2)
    detail = facilitator_api.post(conf.path("/finish"))
    assert detail["conference"]["status"] == "finished"
    data = facilitator_api.get(conf.path("/report.docx"))
    assert data[:2] == b"PK" and len(people) == 8


def _where_things_are() -> str:
    section = README.split("## Where things are", 1)[1]
    return section.split("\n## ", 1)[0]


def test_the_readme_layout_table_names_every_package_and_only_real_paths() -> None:
    """A newcomer follows the table: each folder of `confapp/` has a row, and every path it names exists."""
    table = _where_things_are()
    first_cells = "\n".join(row.split("|")[1] for row in table.splitlines() if row.count("|") >= 3)
    folders = set(re.findall(r"`([a-z_/]+/)`", first_cells))
    for package in sorted(p for p in (ROOT / "confapp").iterdir() if p.is_dir() and p.name != "__pycache__"):
        assert f"confapp/{package.name}/" in folders, f"no row in 'Where things are' for {package.name}"
    for folder in folders:
        assert (ROOT / folder).is_dir(), folder
    for row in table.splitlines():
        cells = row.split("|")
        if len(cells) < 3 or not cells[1].strip().startswith("`"):
            continue
        bases = re.findall(r"`([a-z_/]+/)`", cells[1])
        for name in re.findall(r"`([a-z_/]+\.(?:py|js))`", cells[2]):
            candidates = [ROOT / name] + [ROOT / base / name for base in bases] + [ROOT / "confapp" / name]
            assert any(c.exists() for c in candidates), (row.split("|")[1].strip(), name)


def test_the_protocol_names_only_files_that_exist() -> None:
    paths = re.findall(r"`((?:confapp|tests|facilitator|participant_ui)/[\w/]+\.(?:py|js))`", PROTOCOL)
    assert paths, "the protocol names its modules"
    for name in set(paths):
        assert (ROOT / name).exists(), name
