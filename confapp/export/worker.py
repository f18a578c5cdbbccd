"""Word exports built in a child process, so a live conference never waits for one.

Gathering 1,500 bullets and building the document took the server's event loop (and, in a thread,
the GIL) for up to 217 ms at a time: every phone's point waited behind it (docs/performance.md). The
server now hands the child one line — what to build, for which conference — and reads the finished
file back through a pipe (gevent's cooperative subprocess), so the loop only copies bytes.

The child is this module run as `python -m confapp.export.worker`: its own app on the same database,
without the Socket.IO message queue. One child per server process, started at the first export (or by
`warm`), restarted if it dies; one export at a time (a second request waits for the first).

Three ways a request can end badly, told apart because they call for different answers:
- the child could not be reached or died mid-answer (`ExportFailed`): the server builds the file itself;
- the child answered with an error (`ExportError`): building it again in the server would fail the same way;
- the child did not answer within `EXPORT_TIMEOUT` seconds (`ExportTimedOut`): it is killed, so it no longer
  holds the lock every later export waits on, and the export is reported as failed.
"""

from __future__ import annotations

import json
import logging
import os
import select
import struct
import subprocess
import sys
import threading
import time
from typing import IO, Any

log = logging.getLogger(__name__)

HEADER = struct.Struct("!cI")  # b"K" (a file follows) or b"E" (an error message follows), then its length
TIMEOUT = 120.0  # seconds; CONFAPP_EXPORT_TIMEOUT. The largest report measured takes 0.6 s.


class ExportFailed(RuntimeError):
    """The child could not be started or died before answering: the server may build the file itself."""


class ExportError(RuntimeError):
    """The child answered with an error: a second attempt in the server would fail the same way."""


class ExportTimedOut(ExportError):
    """The child did not answer in time and was killed."""


class ExportWorker:
    """The server's handle on its child process."""

    def __init__(self, database_url: str, timeout: float = TIMEOUT):
        # Configured like the server (CONFAPP_* from the environment), on the database the server
        # resolved, without the message queue (it never emits) and without migrating (the server did).
        self.env = {k: v for k, v in os.environ.items() if k != "CONFAPP_MESSAGE_QUEUE"}
        self.env.update(CONFAPP_DATABASE_URL=database_url, CONFAPP_AUTO_MIGRATE="false")
        self.proc: subprocess.Popen[bytes] | None = None
        self.timeout = timeout
        self.lock = _lock()

    def warm(self) -> None:
        """Start the child now, so the first export does not wait for it (a failure waits for that export)."""
        with self.lock:
            try:
                self._ensure()
            except OSError:
                log.exception("could not start the export process; exports will be built in the server")

    def build(self, request: dict[str, Any]) -> bytes:
        with self.lock:
            try:
                proc = self._ensure()
            except OSError as exc:
                raise ExportFailed(f"could not start the export process: {exc}") from exc
            assert proc.stdin is not None and proc.stdout is not None
            deadline = time.monotonic() + self.timeout
            try:
                proc.stdin.write(json.dumps(request).encode() + b"\n")
                proc.stdin.flush()
                kind, size = HEADER.unpack(_read_exactly(proc.stdout, HEADER.size, deadline))
                body = _read_exactly(proc.stdout, size, deadline)
            except TimeoutError as exc:
                log.error(
                    "the export process did not answer in %.0f s; killed it (%s)", self.timeout, request
                )
                self.stop()
                raise ExportTimedOut(f"the export process did not answer in {self.timeout:.0f} s") from exc
            except (OSError, ValueError, struct.error) as exc:
                self.stop()
                raise ExportFailed(f"the export process stopped: {exc}") from exc
        if kind != b"K":
            raise ExportError(body.decode("utf-8", "replace"))
        return body

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            for pipe in (self.proc.stdin, self.proc.stdout):
                if pipe is not None:
                    pipe.close()
            self.proc = None

    def _ensure(self) -> subprocess.Popen[bytes]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "confapp.export.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=self.env,
            )
        return self.proc


def _lock() -> Any:
    """A lock that makes a waiting greenlet yield under gevent, and a thread lock elsewhere."""
    try:
        from gevent import monkey
        from gevent.lock import Semaphore
    except ImportError:  # pragma: no cover - gevent is a dependency
        return threading.Lock()
    return Semaphore() if monkey.is_module_patched("socket") else threading.Lock()


def _read_exactly(stream: IO[bytes], n: int, deadline: float | None = None) -> bytes:
    """Read n bytes from the child, or raise TimeoutError at the deadline.

    `select` waits cooperatively under gevent (it is monkey-patched), so a slow child holds up only the
    greenlet that asked. Reading the raw descriptor keeps the buffered stream from blocking past it.
    """
    chunks, left = [], n
    fd = stream.fileno()
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError("no answer from the export process")
        chunk = os.read(fd, left)
        if not chunk:
            raise EOFError("the export process closed its output")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _answer(out: IO[bytes], kind: bytes, body: bytes) -> None:
    out.write(HEADER.pack(kind, len(body)) + body)
    out.flush()


def main() -> None:
    from confapp import create_app, db
    from confapp.export.build import build_inline

    # The pipe carries only our frames: anything else printed goes to stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    app = create_app()
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            with app.app_context():
                try:
                    data = build_inline(request)
                finally:
                    db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported to the server, which logs it
            log.exception("export failed")
            _answer(out, b"E", f"{type(exc).__name__}: {exc}".encode())
            continue
        _answer(out, b"K", data)


if __name__ == "__main__":
    main()
