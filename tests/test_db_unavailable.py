"""A locked database is a quick, translated 503 with a log line, not a 500 after 15 s."""

from __future__ import annotations

import logging
import sqlite3
import uuid
from pathlib import Path

import pytest
from flask import Flask
from support import fresh_client

from confapp.services import facilitators


def _db_path(app: Flask) -> Path:
    return Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))


def test_a_locked_database_gives_a_translated_503_and_a_log_line(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    f = facilitators.create(email="d@example.no", name="D", password="et-langt-passord-for-test")
    token = facilitators.issue_api_token(f)
    client = fresh_client(app)
    headers = {"Authorization": f"Bearer {token}"}
    code = client.post("/api/v1/conferences", json={"title": "K"}, headers=headers).get_json()["conference"][
        "join_code"
    ]
    from confapp import db

    db.session.remove()  # the fixture's session must not hold a transaction of its own
    holder = sqlite3.connect(_db_path(app), timeout=1)
    holder.execute("BEGIN EXCLUSIVE")  # another process holding the write lock
    try:
        with caplog.at_level(logging.ERROR, logger="confapp.db"):
            r = client.post(
                "/api/v1/join",
                json={"uuid": str(uuid.uuid4()), "code": code, "name": "Kari", "role": "Lærer"},
            )
    finally:
        holder.rollback()
        holder.close()
    assert r.status_code == 503, r.get_data(as_text=True)
    error = r.get_json()["error"]
    assert error["code"] == "db_unavailable" and error["retry"] is True
    assert "Databasen er opptatt" in error["message"]
    assert r.headers["Retry-After"] == "5"
    assert any("database unavailable" in rec.getMessage() for rec in caplog.records)
    # Once the lock is gone, the same join works: nothing was half-written.
    db.session.remove()
    ok = client.post(
        "/api/v1/join", json={"uuid": str(uuid.uuid4()), "code": code, "name": "Kari", "role": "Lærer"}
    )
    assert ok.status_code == 201


def test_an_immutable_database_file_is_a_503_and_the_server_stays_up(tmp_path: Path) -> None:
    """`chattr +i` under a running server used to end it with SIGBUS (SQLite's mapped WAL index)."""
    import os
    import shutil
    import subprocess

    import requests
    from support import Api, LiveServer, create_facilitator

    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("needs root and chattr (e2fsprogs) to make the database file immutable")
    db_file = tmp_path / "imm.sqlite"
    srv = LiveServer(tmp_path, f"sqlite:///{db_file}").start()
    files = []
    try:
        api = Api(srv.url, create_facilitator(srv))
        code = api.post("/conferences", {"title": "K", "template": "dk1_school"}, expect=201)["conference"][
            "join_code"
        ]
        files = [str(p) for p in tmp_path.glob("imm.sqlite*")]
        if subprocess.run(["chattr", "+i", *files], capture_output=True).returncode != 0:
            pytest.skip("this file system does not support the immutable attribute")
        r = requests.post(
            f"{srv.url}/api/v1/join",
            json={"uuid": str(uuid.uuid4()), "code": code, "name": "Kari", "role": "Lærer"},
            timeout=30,
        )
        assert srv.proc is not None and srv.proc.poll() is None, "the server is still running"
        assert r.status_code == 503 and r.json()["error"]["retry"] is True
        assert "Databasen er opptatt" in r.json()["error"]["message"]
        assert "not writable" in srv.log.read_text()
        subprocess.run(["chattr", "-i", *files], check=True)
        files = []
        again = requests.post(
            f"{srv.url}/api/v1/join",
            json={"uuid": str(uuid.uuid4()), "code": code, "name": "Kari", "role": "Lærer"},
            timeout=30,
        )
        assert again.status_code == 201
    finally:
        if files:
            subprocess.run(["chattr", "-i", *files])
        srv.stop()
