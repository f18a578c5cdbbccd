"""The served Word export is built in the server's child process, and survives that child dying."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document
from support import Api, Conference, LiveServer, create_facilitator

from confapp.export.worker import ExportError, ExportFailed, ExportWorker


def _children(pid: int) -> list[tuple[int, str]]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append((int(entry.name), cmdline))
    return out


def _worker_pid(server: LiveServer) -> int:
    assert server.proc is not None
    found = [pid for pid, cmd in _children(server.proc.pid) if "confapp.export.worker" in cmd]
    assert len(found) == 1, _children(server.proc.pid)
    return found[0]


def _wait_until_dead(pid: int, timeout: float = 10) -> None:
    """Until the process is gone or a zombie (dead, not yet reaped by the server)."""
    deadline = time.monotonic() + timeout
    while (state := _state(pid)) not in ("Z", None):
        assert time.monotonic() < deadline, f"process {pid} still {state}"
        time.sleep(0.02)


def _report_text(api: Api, conf: Conference) -> str:
    r = api.session.get(f"{api.base}/conferences/{conf.id}/report.docx", timeout=60)
    assert r.status_code == 200, r.text[:300]
    doc = Document(io.BytesIO(r.content))
    return "\n".join(p.text for p in doc.paragraphs)


def test_the_report_is_built_by_the_servers_export_process(server: LiveServer, facilitator_api: Api) -> None:
    conf = Conference(server, facilitator_api, title="Eksportkonferanse")
    groups, reporters = conf.running_round()
    for g in groups:
        conf.post(reporters[g["id"]], g["id"], f"Forslag fra bord {g['number']}")
    first = _worker_pid(server)  # started with the server, before anyone asked

    text = _report_text(facilitator_api, conf)
    assert "Eksportkonferanse" in text and "Forslag fra bord 1" in text
    assert _worker_pid(server) == first, "the same child built it"

    # The child dies (out of memory, say): the next export starts a new one, and the file still comes.
    os.kill(first, signal.SIGKILL)
    _wait_until_dead(first)
    conf.post(reporters[groups[1]["id"]], groups[1]["id"], "Skrevet etter at eksportprosessen døde")
    text = _report_text(facilitator_api, conf)
    assert "Skrevet etter at eksportprosessen døde" in text
    assert _worker_pid(server) != first


def test_the_export_process_reports_errors_and_goes_on(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'confapp.sqlite'}"
    env = {**os.environ, "CONFAPP_INSTANCE_PATH": str(tmp_path), "CONFAPP_DATABASE_URL": db_url}
    made = subprocess.run(
        [sys.executable, "-m", "confapp", "demo"], env=env, capture_output=True, text=True, timeout=120
    )
    assert made.returncode == 0, made.stderr
    conf_id = int(made.stdout.strip().splitlines()[-1].split(": ")[1])
    worker = ExportWorker(db_url)
    try:
        # A deterministic failure the child reported is not "the child died": the server must not retry it.
        with pytest.raises(ExportError, match="no conference 999999") as failed:
            worker.build({"what": "report", "conference_id": 999999, "lang": "nb"})
        assert not isinstance(failed.value, ExportFailed)
        data = worker.build({"what": "initiatives", "conference_id": conf_id, "lang": "nn"})
        doc = Document(io.BytesIO(data))
        assert any(p.style.name.startswith("Heading") for p in doc.paragraphs)
        assert len(data) > 10_000
    finally:
        worker.stop()


def test_a_worker_that_cannot_start_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    worker = ExportWorker(f"sqlite:///{tmp_path / 'none.sqlite'}")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    worker.warm()  # logged, not raised: the server still starts
    with pytest.raises(ExportFailed, match="could not start the export process"):
        worker.build({"what": "report", "conference_id": 1, "lang": "nb"})


def test_a_hung_export_process_is_killed_and_the_export_reported(tmp_path: Path) -> None:
    """A child that stops answering (SIGSTOP: alive, holding the lock, silent) is killed at the timeout.

    Before, the timeout was declared but never applied: every later export waited on the lock for ever.
    """
    server = LiveServer(
        tmp_path, f"sqlite:///{tmp_path / 'confapp.sqlite'}", env={"CONFAPP_EXPORT_TIMEOUT": "15"}
    ).start()
    try:
        api = Api(server.url, create_facilitator(server))
        conf = Conference(server, api, title="Hengende eksport")
        groups, reporters = conf.running_round()
        conf.post(reporters[groups[0]["id"]], groups[0]["id"], "Et punkt i referatet")
        hung = _worker_pid(server)
        os.kill(hung, signal.SIGSTOP)
        try:
            r = api.session.get(f"{api.base}/conferences/{conf.id}/report.docx", timeout=60)
            assert r.status_code == 503, r.text[:300]
            assert r.json()["error"]["code"] == "export_timeout"
            assert "tok for lang tid" in r.json()["error"]["message"], "in the default language, bokmål"
            assert _state(hung) in ("Z", None), "the hung child was killed"
        finally:
            if _state(hung) not in ("Z", None):
                os.kill(hung, signal.SIGKILL)
        # The lock is free again: the next export gets a new child and the file.
        assert "Et punkt i referatet" in _report_text(api, conf)
        assert _worker_pid(server) != hung
        assert "did not answer in 15 s; killed it" in server.log.read_text()
    finally:
        server.stop()


def _state(pid: int) -> str | None:
    """The process state letter from /proc (Z: killed, not yet reaped), or None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None
