"""Backups while the server runs, restore, and a facilitator anonymising or deleting a conference."""

from __future__ import annotations

import io
import sqlite3
import uuid
from pathlib import Path

from docx import Document
from support import Api, Conference, LiveServer

from confapp.services.names import skeleton


def _running(server: LiveServer, api: Api) -> tuple[Conference, list[dict]]:
    conf = Conference(server, api)
    for i in range(4):
        conf.join(f"Navn Navnesen {i}", "Lærer")
    rnd = conf.group_round(1)
    groups = conf.propose(rnd, 2)
    conf.start(rnd)
    reporters = conf.appoint_reporters(groups)
    posted = [
        conf.post(reporters[g["id"]], g["id"], f"Punkt {n} ved bord {g['number']}")
        for g in groups
        for n in range(5)
    ]
    return conf, posted


def test_backup_while_running_and_restore_finds_every_bullet(
    server: LiveServer, facilitator_api: Api, tmp_path: Path
) -> None:
    conf, posted = _running(server, facilitator_api)
    backup = tmp_path / "backup.sqlite"
    out = server.cli("backup", str(backup))  # the server keeps running meanwhile
    assert f"({len(posted)} bullets)" in out
    assert "keeps everything" in out and "30 days" in out  # backups are outside anonymise and delete
    # More points after the backup are not in it; everything before is.
    g = conf.path()
    assert facilitator_api.get(g)["conference"]["status"] == "running"
    restored = tmp_path / "restored.sqlite"
    target = LiveServer(tmp_path, f"sqlite:///{restored}")
    assert "Restored" in target.cli("restore", str(backup))
    with sqlite3.connect(restored) as db:
        uuids = {row[0] for row in db.execute("select client_uuid from bullets")}
        texts = {row[0] for row in db.execute("select text from bullets")}
    assert uuids == {b["uuid"] for b in posted}
    assert texts == {b["text"] for b in posted}
    (tmp_path / "not-a-db.sqlite").write_text("hei")
    result = target.cli_result("restore", str(tmp_path / "not-a-db.sqlite"))
    assert result.returncode != 0 and "not a" in result.stderr


def test_anonymise_removes_names_from_database_and_exports(server: LiveServer, facilitator_api: Api) -> None:
    conf, posted = _running(server, facilitator_api)
    facilitator_api.post(conf.path("/anonymise"), expect=409)  # still running
    facilitator_api.call("DELETE", conf.path(), expect=409)
    facilitator_api.post(conf.path("/finish"))
    out = facilitator_api.post(conf.path("/anonymise"))
    assert out == {"anonymised": 4}
    names = [p["name"] for p in facilitator_api.get(conf.path("/participants"))]
    assert names == ["Deltaker 1", "Deltaker 2", "Deltaker 3", "Deltaker 4"]
    doc = Document(io.BytesIO(facilitator_api.get(conf.path("/report.docx"))))
    everything = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "Navnesen" not in everything and "Deltaker 1" in everything
    assert "Punkt 0 ved bord 1" in everything
    with sqlite3.connect(server.db_url.removeprefix("sqlite:///")) as db:
        rows = db.execute("select name_key from participants where conference_id = ?", (conf.id,))
        keys = sorted(key for (key,) in rows)
    assert keys == sorted(skeleton(n) for n in names)  # the new names' look-alike keys, no old one
    phone = next(iter(conf.phones.values()))
    phone.call("GET", "/me/snapshot", expect=401)  # their tokens no longer work
    facilitator_api.call("DELETE", conf.path())
    facilitator_api.get(conf.path(), expect=404)
    with sqlite3.connect(server.db_url.removeprefix("sqlite:///")) as db:
        assert db.execute("select count(*) from bullets").fetchone()[0] == 0
        assert db.execute("select count(*) from participants").fetchone()[0] == 0
        assert db.execute("select count(*) from events").fetchone()[0] == 0
    assert uuid.UUID(posted[0]["uuid"])
