"""A locked database is a quick, translated 503 with a log line, not a 500 after 15 s."""

from __future__ import annotations

import logging
import sqlite3
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
            r = client.post("/api/v1/join", json={"code": code, "name": "Kari", "role": "Lærer"})
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
    ok = client.post("/api/v1/join", json={"code": code, "name": "Kari", "role": "Lærer"})
    assert ok.status_code == 201
