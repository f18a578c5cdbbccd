"""Fixtures: an in-process app for service tests, and real server processes for everything live."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from support import ARGS, ARTIFACTS, CHROMIUM, Api, LiveServer, create_facilitator, migrated_sqlite


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    srv = LiveServer(tmp_path, f"sqlite:///{migrated_sqlite(tmp_path / 'confapp.sqlite')}").start()
    yield srv
    srv.stop()


@pytest.fixture
def facilitator_api(server: LiveServer) -> Api:
    return Api(server.url, create_facilitator(server))


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """An in-process app on a fresh SQLite file, for service and view tests."""
    monkeypatch.setenv("CONFAPP_INSTANCE_PATH", str(tmp_path))
    from confapp import create_app

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{migrated_sqlite(tmp_path / 'unit.sqlite')}",
            "SECRET_KEY": "unit-test",
            "SOCKETIO_ASYNC_MODE": "threading",
            "TESTING": True,
        }
    )
    with app.app_context():
        yield app


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (scripts/test installs it from the distribution)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
