"""A load-generating client process: many simulated phones (python-socketio's asyncio client).

Run by the bench runner as `python -m confapp.bench.phones`; it reads one JSON command per line on
stdin and answers each with one JSON line on stdout (logs go to stderr):

- `join`: join phones through `POST /api/v1/join` (aiohttp, bounded concurrency); answers tokens.
- `connect`: open one Socket.IO connection per client (websocket transport), `sync` each; answers
  how many connected and how long each took.
- `run`: reporters post their share of the schedule (each post with its UUID, some retried with the
  same UUID); every client records when each `bullet.posted` arrives. Ends when every expected
  bullet has arrived or at the deadline, and answers posts and receipts.
- `quit`: disconnect and exit.

Every wait is bounded, and the only address used is the server URL the runner gives (loopback).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sys
import time
import uuid
from typing import Any

import aiohttp
import socketio

from confapp.bench.stats import raise_nofile

CALL_TIMEOUT = 15.0
# As confapp/static/js/live.js: after these events a phone asks for a full snapshot again.
RESYNC_ON = {"phase.changed", "groups.published", "vote.opened", "vote.closed"}
RESYNC_SPREAD_S = 2.0  # phone.js: `resyncSpreadMs`


def log(*args: Any) -> None:
    print("[phones]", *args, file=sys.stderr, flush=True)


class Phone:
    """One simulated client: a phone (participant) or the projector."""

    def __init__(self, spec: dict[str, Any], http: aiohttp.ClientSession, compress: bool = True):
        self.id: str = spec["id"]
        self.auth: dict[str, Any] = spec["auth"]
        self.group_id: int | None = spec.get("group_id")
        self.pid: int | None = spec.get("pid")
        self.projector: bool = spec.get("projector", False)
        # Browsers offer permessage-deflate on every WebSocket; aiohttp only does when asked.
        extra = {"compress": 15} if compress else {}
        self.sio = socketio.AsyncClient(
            reconnection=False, http_session=http, websocket_extra_options=extra
        )
        self.deflate = False  # whether the server accepted permessage-deflate
        self.first: dict[str, float] = {}  # bullet uuid -> first arrival (wall clock, s)
        self.counts: dict[str, int] = {}
        self.seqs: list[int] = []
        self.other_events = 0
        self.connected = False
        self.sio.on("event", self._on_event)
        self.sio.on("disconnect", self._on_disconnect)
        self.disconnects = 0
        self.done = asyncio.Event()
        self.expected: set[str] = set()
        self.resync_ms: list[float] = []
        self.resync_failures = 0

    async def _on_event(self, ev: Any) -> None:
        now = time.time()
        if not isinstance(ev, dict):
            return
        if isinstance(ev.get("seq"), int):
            self.seqs.append(ev["seq"])
        if ev.get("type") != "bullet.posted":
            self.other_events += 1
            if ev.get("type") in RESYNC_ON:
                asyncio.ensure_future(self._resync())
            return
        uid = ev["data"]["bullet"]["uuid"]
        self.counts[uid] = self.counts.get(uid, 0) + 1
        if uid not in self.first:
            self.first[uid] = now
            if self.expected and self.expected.issubset(self.first.keys()):
                self.done.set()

    async def _resync(self) -> None:
        await asyncio.sleep(random.uniform(0, RESYNC_SPREAD_S))
        start = time.perf_counter()
        try:
            ack = await self.sio.call("sync", {"since": None}, timeout=CALL_TIMEOUT)
            if isinstance(ack, dict) and ack.get("ok"):
                self.resync_ms.append((time.perf_counter() - start) * 1000)
                return
        except Exception:  # noqa: BLE001 - counted
            pass
        self.resync_failures += 1

    async def _on_disconnect(self, *args: Any) -> None:
        if self.connected:
            self.disconnects += 1
        self.connected = False

    async def connect(self, url: str) -> float:
        start = time.perf_counter()
        await self.sio.connect(url, auth=self.auth, transports=["websocket"], wait_timeout=CALL_TIMEOUT)
        self.deflate = bool(getattr(self.sio.eio.ws, "compress", 0))
        ack = await self.sio.call("sync", {"since": None}, timeout=CALL_TIMEOUT)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"sync refused: {ack}")
        self.connected = True
        return time.perf_counter() - start


class Worker:
    def __init__(self) -> None:
        self.http: aiohttp.ClientSession | None = None
        self.phones: dict[str, Phone] = {}

    async def session(self) -> aiohttp.ClientSession:
        if self.http is None:
            connector = aiohttp.TCPConnector(limit=0, force_close=False)
            self.http = aiohttp.ClientSession(connector=connector)
        return self.http

    async def join(self, cmd: dict[str, Any]) -> dict[str, Any]:
        http = await self.session()
        sem = asyncio.Semaphore(cmd.get("concurrency", 16))
        url = cmd["url"].rstrip("/") + "/api/v1/join"
        joined: list[dict[str, Any]] = []
        latencies: list[float] = []
        errors: list[str] = []

        async def one(item: dict[str, Any]) -> None:
            # One key for every attempt: a retry after a lost answer is the same join.
            body = {
                "code": cmd["code"],
                "name": item["name"],
                "role": item["role"],
                "uuid": str(uuid.uuid4()),
            }
            async with sem:
                for _attempt in range(3):
                    start = time.perf_counter()
                    try:
                        async with http.post(url, json=body, timeout=aiohttp.ClientTimeout(total=30)) as r:
                            data = await r.json(content_type=None)
                            if r.status != 201:
                                errors.append(f"{r.status}: {str(data)[:200]}")
                                return
                    except (TimeoutError, aiohttp.ClientError) as exc:
                        errors.append(repr(exc))
                        continue
                    latencies.append((time.perf_counter() - start) * 1000)
                    joined.append({"i": item["i"], "pid": data["participant"]["id"], "token": data["token"]})
                    return

        start = time.perf_counter()
        await asyncio.gather(*(one(item) for item in cmd["people"]))
        return {
            "joined": joined,
            "errors": errors[:20],
            "error_count": len(errors),
            "latencies_ms": latencies,
            "elapsed_s": time.perf_counter() - start,
        }

    async def connect(self, cmd: dict[str, Any]) -> dict[str, Any]:
        http = await self.session()
        sem = asyncio.Semaphore(cmd.get("concurrency", 50))
        times: list[float] = []
        errors: list[str] = []

        async def one(spec: dict[str, Any]) -> None:
            phone = Phone(spec, http, compress=cmd.get("compress", True))
            self.phones[phone.id] = phone
            async with sem:
                for attempt in range(3):
                    try:
                        times.append(await phone.connect(spec.get("url") or cmd["url"]) * 1000)
                        return
                    except Exception as exc:  # noqa: BLE001 - any failure counts, and is retried
                        errors.append(f"{phone.id}: {exc!r}")
                        with contextlib.suppress(Exception):
                            await phone.sio.disconnect()
                        await asyncio.sleep(0.5 * (attempt + 1))

        start = time.perf_counter()
        tasks = [asyncio.ensure_future(one(spec)) for spec in cmd["clients"]]
        _, pending = await asyncio.wait(tasks, timeout=max(1.0, cmd.get("deadline", 1e18) - time.time()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for phone in self.phones.values():
            if not phone.connected and phone.sio.connected:
                with contextlib.suppress(Exception):
                    await phone.sio.disconnect()
        ok = sum(1 for p in self.phones.values() if p.connected)
        return {
            "deflate": sum(1 for p in self.phones.values() if p.connected and p.deflate),
            "timed_out": len(pending),
            "connected": ok,
            "failed": len(self.phones) - ok,
            "errors": errors[:20],
            "error_count": len(errors),
            "connect_ms": times,
            "elapsed_s": time.perf_counter() - start,
        }

    async def run(self, cmd: dict[str, Any]) -> dict[str, Any]:
        """Post this worker's share of the schedule; collect arrivals until done or the deadline."""
        t0: float = cmd["t0"]
        schedule: list[dict[str, Any]] = cmd["posts"]
        deadline: float = cmd["deadline"]
        by_pid = {p.pid: p for p in self.phones.values() if p.pid is not None}
        at_start = {p.id: p.connected for p in self.phones.values()}
        for phone in self.phones.values():
            if phone.projector:
                phone.expected = {p["uuid"] for p in schedule}
            else:
                phone.expected = {p["uuid"] for p in schedule if p["group_id"] == phone.group_id}
            if not phone.expected or not phone.connected or phone.expected.issubset(phone.first.keys()):
                phone.done.set()
        mine = [p for p in schedule if p["pid"] in by_pid]
        results: list[dict[str, Any]] = []

        async def post(item: dict[str, Any]) -> None:
            phone = by_pid[item["pid"]]
            delay = t0 + item["at"] - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            payload = {"group_id": item["group_id"], "uuid": item["uuid"], "text": item["text"]}
            rec: dict[str, Any] = {"uuid": item["uuid"], "group_id": item["group_id"], "retry": item["retry"]}
            rec["t_post"] = time.time()
            first = asyncio.ensure_future(phone.sio.call("bullet.post", payload, timeout=CALL_TIMEOUT))
            second = None
            if item["retry"] == "race":
                # The phone's outbox resends before the first ack came back (a lost ack).
                await asyncio.sleep(0.02)
                second = asyncio.ensure_future(phone.sio.call("bullet.post", payload, timeout=CALL_TIMEOUT))
            try:
                ack = await first
                rec["t_ack"] = time.time()
                rec["ok"] = bool(isinstance(ack, dict) and ack.get("ok"))
                if not rec["ok"]:
                    rec["error"] = str(ack)[:200]
                bullet_id = ack.get("bullet", {}).get("id") if rec["ok"] else None
                if item["retry"] == "after_ack":
                    second = asyncio.ensure_future(
                        phone.sio.call("bullet.post", payload, timeout=CALL_TIMEOUT)
                    )
                if second is not None:
                    again = await second
                    same = isinstance(again, dict) and again.get("ok") and again["bullet"]["id"] == bullet_id
                    rec["retry_same_bullet"] = bool(same)
            except Exception as exc:  # noqa: BLE001 - a timeout or a dropped connection is a failed post
                rec["ok"] = False
                rec["error"] = repr(exc)
            results.append(rec)

        posting = asyncio.gather(*(post(item) for item in mine))
        waiting = asyncio.gather(*(p.done.wait() for p in self.phones.values()))
        try:
            await asyncio.wait_for(posting, timeout=max(1.0, deadline - time.time()))
        except TimeoutError:
            log("posting did not finish before the deadline")
        try:
            await asyncio.wait_for(waiting, timeout=max(0.1, deadline - time.time()))
        except TimeoutError:
            log("not every expected bullet arrived before the deadline")
        receipts = []
        for phone in self.phones.values():
            for uid, t in phone.first.items():
                receipts.append([phone.id, uid, t, phone.counts[uid]])
        return {
            "posts": results,
            "receipts": receipts,
            "resync_ms": [ms for p in self.phones.values() for ms in p.resync_ms],
            "resync_failures": sum(p.resync_failures for p in self.phones.values()),
            "clients": {
                p.id: {
                    "group_id": p.group_id,
                    "projector": p.projector,
                    "connected_at_start": at_start[p.id],
                    "connected": p.connected,
                    "disconnects": p.disconnects,
                    "seq_in_order": p.seqs == sorted(set(p.seqs)),
                    "other_events": p.other_events,
                }
                for p in self.phones.values()
            },
        }

    async def quit(self) -> None:
        await asyncio.gather(
            *(p.sio.disconnect() for p in self.phones.values() if p.sio.connected), return_exceptions=True
        )
        if self.http is not None:
            await self.http.close()


async def main() -> None:
    raise_nofile()
    worker = Worker()
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        cmd = json.loads(line)
        name = cmd.get("cmd")
        if name == "quit":
            await worker.quit()
            print(json.dumps({"ok": True}), flush=True)
            break
        try:
            if name == "join":
                out = await worker.join(cmd)
            elif name == "connect":
                out = await worker.connect(cmd)
            elif name == "run":
                out = await worker.run(cmd)
            else:
                out = {"error": f"unknown command {name!r}"}
        except Exception as exc:  # noqa: BLE001 - reported to the runner, which fails the run
            out = {"error": repr(exc)}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    random.seed()
    asyncio.run(main())
