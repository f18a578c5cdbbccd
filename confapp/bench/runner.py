"""Orchestrates one bench: servers as separate processes, client processes, the group round, the figures.

Everything runs on 127.0.0.1 and every phase is bounded in time. The runner itself only uses the
standard library (subprocess, urllib), so it works both from `confapp bench` (a gevent-patched
process) and from `python -m confapp.bench`; the asyncio Socket.IO clients run in their own
processes (`confapp.bench.phones`).
"""

from __future__ import annotations

import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from confapp.bench.stats import ProcStat, machine, mb, median, percentiles, raise_nofile

ROLES = ["Lærer", "Assistent", "Miljøterapeut", "Spesialpedagog", "Helsesykepleier", "Rektor", "PPT-rådgiver"]
TOPICS = [
    "Felles rutiner for overganger mellom trinn",
    "Mer tid til samarbeid med PPT i starten av året",
    "Tydeligere plan for tidlig innsats i lesing",
    "Elevenes stemme i klassemiljøarbeidet",
    "Faste møter mellom helsesykepleier og kontaktlærer",
    "Bedre bruk av assistentenes kompetanse i timene",
]


@dataclass
class Scenario:
    name: str
    phones: int
    reporters: int
    rate: float  # bullets per second, all reporters together
    duration: float  # seconds of posting
    retry_share: float = 0.1
    client_procs: int = 2
    drain: float = 15.0  # seconds after the last post to wait for arrivals
    export_during: bool = False  # the app: after the main window, fetch the Word report while bullets flow
    export_phase: float = 10.0  # seconds of extra posting around that export (not in the main figures)
    seed_bullets: int = 0  # bullets posted through the HTTP API before the phones connect (a fuller report)
    late_joins: int = (
        0  # phones that join mid-round (each is seated: `group.member_added` to that table only)
    )
    connect_concurrency: int = 10  # per client process: phones arrive in a stream, not all at once
    join_concurrency: int = 16


SCENARIOS: dict[str, Scenario] = {
    "small": Scenario(
        "small", phones=500, reporters=20, rate=5.0, duration=30.0, export_during=True, seed_bullets=1300
    ),
    "burst": Scenario("burst", phones=2000, reporters=100, rate=100.0, duration=10.0),
    "smoke": Scenario("smoke", phones=20, reporters=4, rate=5.0, duration=3.0, drain=8.0, client_procs=1),
}


@dataclass
class Options:
    database: str = "sqlite"  # sqlite | postgres
    pg_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    message_queue: str | None = None
    processes: int = 1  # app server processes (phones spread over them, as a sticky proxy would)
    servers: list[str] = field(default_factory=lambda: ["baseline", "app"])
    compression: bool = True  # phones offer permessage-deflate, as every browser does
    # CONFAPP_* settings for both servers (an A/B of a setting on the same code, e.g. WS_NODELAY=false)
    settings: dict[str, str] = field(default_factory=dict)
    workdir: Path | None = None
    phase_timeout: float = 240.0  # any one phase (join, connect, run) must end within this
    verbose: bool = False


class BenchError(RuntimeError):
    pass


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http(
    method: str, url: str, body: Any = None, token: str | None = None, timeout: float = 60
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            ctype = r.headers.get("Content-Type", "")
            return r.status, json.loads(raw) if ctype.startswith("application/json") else raw
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        raise BenchError(f"{method} {url}: {exc.code} {raw[:300]!r}") from None


# --- servers -------------------------------------------------------------------------------------


class Server:
    """The app (`python -m confapp serve`) or the baseline relay, in its own process on loopback."""

    def __init__(self, kind: str, workdir: Path, options: Options, db_url: str | None = None):
        self.kind = kind
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_url = db_url
        self.options = options
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / f"{kind}-{self.port}.log"
        self.stat: ProcStat | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONFAPP_")}
        env.update(
            {
                "CONFAPP_INSTANCE_PATH": str(self.workdir),
                "CONFAPP_SECRET_KEY": "bench-" + secrets.token_urlsafe(24),
                # Simulated reporters post faster than a person; the check itself still runs on every post.
                "CONFAPP_POINTS_PER_MINUTE": "1000000",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update({f"CONFAPP_{k}": v for k, v in self.options.settings.items()})
        if self.db_url:
            env["CONFAPP_DATABASE_URL"] = self.db_url
        if self.options.message_queue:
            env["CONFAPP_MESSAGE_QUEUE"] = self.options.message_queue
        return env

    def cli(self, *args: str) -> str:
        out = subprocess.run(
            [sys.executable, "-m", "confapp", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.workdir,
        )
        if out.returncode != 0:
            raise BenchError(f"confapp {args[0]} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout

    def start(self) -> Server:
        if self.kind == "app":
            cmd = [sys.executable, "-m", "confapp", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
            probe = self.url + "/login"
        else:
            cmd = [sys.executable, "-m", "confapp.bench.baseline", "--port", str(self.port)]
            probe = self.url + "/socket.io/?EIO=4&transport=polling"
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                cmd, env=self.env(), stdout=out, stderr=subprocess.STDOUT, cwd=self.workdir
            )
        self.stat = ProcStat(self.proc.pid)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"{self.kind} server exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise BenchError(f"{self.kind} server did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


# --- client processes ----------------------------------------------------------------------------


class ClientProc:
    """One `confapp.bench.phones` process, driven by JSON lines."""

    def __init__(self, name: str, workdir: Path):
        self.name = name
        self.errlog = workdir / f"client-{name}.log"
        with self.errlog.open("ab") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "confapp.bench.phones"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        self.stat = ProcStat(self.proc.pid)

    def send(self, cmd: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(cmd) + "\n").encode())
        self.proc.stdin.flush()

    def receive(self, timeout: float) -> dict[str, Any]:
        """Read one answer; kill the process if it does not answer in time (the run fails, bounded)."""
        assert self.proc.stdout is not None
        timer = threading.Timer(timeout, self.proc.kill)
        timer.start()
        try:
            line = self.proc.stdout.readline()
        finally:
            timer.cancel()
        if not line:
            raise BenchError(f"client {self.name} ended:\n{self.errlog.read_text()[-3000:]}")
        out: dict[str, Any] = json.loads(line)
        if "error" in out and len(out) == 1:
            raise BenchError(f"client {self.name}: {out['error']}")
        return out

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send({"cmd": "quit"})
                self.proc.wait(15)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                self.proc.kill()
                self.proc.wait(5)


def ask_all(procs: list[ClientProc], cmds: list[dict[str, Any]], timeout: float) -> list[dict[str, Any]]:
    for proc, cmd in zip(procs, cmds, strict=True):
        proc.send(cmd)
    return [proc.receive(timeout) for proc in procs]


# --- one run -------------------------------------------------------------------------------------


@dataclass
class Layout:
    """Who is who: phones with their table, reporters, the projector's auth."""

    phones: list[dict[str, Any]]  # {"id", "pid", "group_id", "auth"}
    reporters: list[dict[str, Any]]  # {"pid", "group_id"}
    projector_auth: dict[str, Any]
    join: dict[str, Any] | None = None
    setup_s: dict[str, float] = field(default_factory=dict)
    conference: dict[str, Any] = field(default_factory=dict)


def split(items: list[Any], n: int) -> list[list[Any]]:
    return [items[i::n] for i in range(n)]


def create_conference(server: Server) -> tuple[str, str, dict[str, Any]]:
    """A facilitator (by the CLI, as an operator would) and a DK1 conference (by the API).

    Returns the API base, the facilitator's token and the conference detail.
    """
    out = server.cli(
        "create-facilitator", "--email", "bench@example.no", "--name", "Bench", "--password", "bench-passord"
    )
    token = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("API token"))
    api = server.url + "/api/v1"
    _, detail = http(
        "POST", api + "/conferences", {"title": "Benchkonferanse", "template": "dk1_school"}, token
    )
    return api, token, detail


def app_layout(
    server: Server, sc: Scenario, phone_procs: list[ClientProc], timeout: float, urls: list[str]
) -> Layout:
    setup: dict[str, float] = {}
    t = time.perf_counter()
    api, token, detail = create_conference(server)
    conf_id = detail["conference"]["id"]
    code = detail["conference"]["join_code"]
    rnd = next(r for r in detail["rounds"] if r["kind"] == "group")
    setup["create_s"] = time.perf_counter() - t

    people = [{"i": i, "name": f"Deltaker {i + 1}", "role": ROLES[i % len(ROLES)]} for i in range(sc.phones)]
    log(f"app: joining {sc.phones} phones through POST /api/v1/join")
    t = time.perf_counter()
    answers = ask_all(
        phone_procs,
        [
            {
                "cmd": "join",
                "url": urls[k % len(urls)],
                "code": code,
                "people": share,
                "concurrency": sc.join_concurrency,
            }
            for k, share in enumerate(split(people, len(phone_procs)))
        ],
        timeout,
    )
    join_wall = time.perf_counter() - t
    joined = [j for a in answers for j in a["joined"]]
    tokens = {j["pid"]: j["token"] for j in joined}
    join = {
        "attempted": sc.phones,
        "joined": len(joined),
        "errors": sum(a["error_count"] for a in answers),
        "error_samples": [e for a in answers for e in a["errors"]][:5],
        "elapsed_s": round(join_wall, 2),
        "per_second": round(len(joined) / join_wall, 1) if join_wall else None,
        "per_join_ms": percentiles([x for a in answers for x in a["latencies_ms"]]),
    }
    if len(joined) < sc.phones:
        raise BenchError(f"only {len(joined)} of {sc.phones} phones joined: {join['error_samples']}")

    t = time.perf_counter()
    path = f"{api}/conferences/{conf_id}/rounds/{rnd['id']}"
    _, groups = http("POST", path + "/groups/propose", {"groups": sc.reporters}, token, timeout=120)
    setup["propose_s"] = time.perf_counter() - t
    t = time.perf_counter()
    http("POST", path + "/start", {}, token)
    setup["start_s"] = time.perf_counter() - t
    t = time.perf_counter()
    reporters = []
    for g in groups:
        leader = g["leader_id"]
        members = [m["id"] for m in g["members"]]
        reporter = next((m for m in members if m != leader), leader)
        http(
            "PUT",
            f"{api}/me/groups/{g['id']}/reporter",
            {"participant_id": reporter, "uuid": str(uuid.uuid4())},
            tokens[leader],
        )
        reporters.append({"pid": reporter, "group_id": g["id"]})
    setup["appoint_s"] = time.perf_counter() - t
    if sc.seed_bullets:
        t = time.perf_counter()
        seed_bullets(api, reporters, tokens, sc.seed_bullets)
        setup["seed_bullets_s"] = time.perf_counter() - t
    _, detail = http("GET", f"{api}/conferences/{conf_id}", None, token)
    key = detail["projector_url"].rstrip("/").rsplit("/", 1)[1]
    phones = []
    for g in groups:
        for m in g["members"]:
            phones.append(
                {
                    "id": f"p{m['id']}",
                    "pid": m["id"],
                    "group_id": g["id"],
                    "auth": {"kind": "participant", "token": tokens[m["id"]]},
                }
            )
    return Layout(
        phones=phones,
        reporters=reporters,
        projector_auth={"kind": "projector", "key": key},
        join=join,
        setup_s={k: round(v, 2) for k, v in setup.items()},
        conference={"id": conf_id, "token": token, "groups": len(groups), "code": code},
    )


def seed_bullets(api: str, reporters: list[dict[str, Any]], tokens: dict[int, str], n: int) -> None:
    """Earlier points of the round, posted through the API (the Word export then has a real size)."""

    def one(k: int) -> None:
        rep = reporters[k % len(reporters)]
        body = {
            "group_id": rep["group_id"],
            "uuid": str(uuid.uuid4()),
            "text": f"{TOPICS[k % len(TOPICS)]} ({k})",
        }
        http("POST", api + "/me/bullets", body, tokens[rep["pid"]])

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(n)))


def baseline_layout(sc: Scenario) -> Layout:
    phones = []
    reporters = []
    for i in range(sc.phones):
        pid = i + 1
        gid = i % sc.reporters + 1
        phones.append(
            {
                "id": f"p{pid}",
                "pid": pid,
                "group_id": gid,
                "auth": {"kind": "participant", "pid": pid, "group_id": gid},
            }
        )
        if i < sc.reporters:
            reporters.append({"pid": pid, "group_id": gid})
    return Layout(phones=phones, reporters=reporters, projector_auth={"kind": "projector"})


def schedule(
    sc: Scenario, reporters: list[dict[str, Any]], rng: random.Random, extra: float = 0.0
) -> list[dict[str, Any]]:
    """Posts at an even rate: `duration` seconds of the main window, then `extra` seconds (the export)."""
    main = max(1, round(sc.rate * sc.duration))
    total = main + round(sc.rate * extra)
    posts = []
    retries = 0
    for k in range(total):
        rep = reporters[k % len(reporters)]
        retry = None
        if rng.random() < sc.retry_share:
            retry = "race" if retries % 2 == 0 else "after_ack"
            retries += 1
        posts.append(
            {
                "at": k / sc.rate,
                "pid": rep["pid"],
                "group_id": rep["group_id"],
                "uuid": str(uuid.uuid4()),
                "text": f"{TOPICS[k % len(TOPICS)]} (bord {rep['group_id']}, punkt {k + 1})",
                "retry": retry,
                "phase": "main" if k < main else "export",
            }
        )
    return posts


class MultiStat:
    """The figures of several server processes, added up."""

    def __init__(self, stats: list[ProcStat]):
        self.stats = stats

    def _sum(self, name: str) -> Any:
        values = [getattr(st, name)() for st in self.stats]
        return None if any(v is None for v in values) else sum(values)

    def cpu_seconds(self) -> float | None:
        return self._sum("cpu_seconds")  # type: ignore[no-any-return]

    def rss_bytes(self) -> int | None:
        return self._sum("rss_bytes")  # type: ignore[no-any-return]

    def peak_rss_bytes(self) -> int | None:
        return self._sum("peak_rss_bytes")  # type: ignore[no-any-return]

    def threads(self) -> int | None:
        return self._sum("threads")  # type: ignore[no-any-return]


def proc_cpu(procs: list[ProcStat]) -> float:
    return sum(p.cpu_seconds() or 0.0 for p in procs)


def run_once(kind: str, sc: Scenario, options: Options, workdir: Path, seed: int) -> dict[str, Any]:
    """One server (`app` or `baseline`), one scenario: returns the figures of that run."""
    rng = random.Random(seed)
    db_url = None
    pg_name = None
    if kind == "app":
        if options.database == "postgres":
            pg_name = f"confapp_bench_{secrets.token_hex(4)}"
            pg_admin(options.pg_url, f'CREATE DATABASE "{pg_name}"')
            db_url = pg_database_url(options.pg_url, pg_name)
        else:
            db_url = f"sqlite:///{workdir / 'bench.sqlite'}"
    n_servers = options.processes if kind == "app" else 1
    if n_servers > 1 and not options.message_queue:
        raise BenchError("several server processes need --message-queue (e.g. redis://127.0.0.1:6379/0)")
    servers = [Server(kind, workdir, options, db_url) for _ in range(n_servers)]
    server = servers[0]
    procs: list[ClientProc] = []
    projector_proc: ClientProc | None = None
    result: dict[str, Any] = {"server": kind, "scenario": asdict(sc), "machine_before": machine()}
    try:
        for srv in servers:  # one after the other: the first one migrates a fresh database
            srv.start()
        stat = MultiStat([srv.stat for srv in servers if srv.stat is not None])
        result["server_processes"] = n_servers
        n_procs = max(1, min(sc.client_procs, sc.phones))
        procs = [ClientProc(f"{kind}-{i}", workdir) for i in range(n_procs)]
        projector_proc = ClientProc(f"{kind}-projector", workdir)
        if kind == "app":
            layout = app_layout(server, sc, procs, options.phase_timeout, [srv.url for srv in servers])
        else:
            layout = baseline_layout(sc)
        for n, phone in enumerate(layout.phones):  # what a sticky proxy does: each phone keeps one process
            phone["url"] = servers[n % n_servers].url
        time.sleep(0.5)
        rss_idle = stat.rss_bytes()
        result["join"] = layout.join
        result["setup_s"] = layout.setup_s

        # Connect: the projector first (it must see every bullet), then every phone.
        log(f"{kind}: connecting {len(layout.phones)} phones ({n_procs} client processes)")
        projector_proc.send(
            {
                "cmd": "connect",
                "url": server.url,
                "clients": [{"id": "projector", "auth": layout.projector_auth, "projector": True}],
                "compress": options.compression,
            }
        )
        proj = projector_proc.receive(60)
        if proj["connected"] != 1:
            raise BenchError(f"the projector did not connect: {proj['errors']}")
        cpu0 = stat.cpu_seconds() or 0.0
        t = time.perf_counter()
        answers = ask_all(
            procs,
            [
                {
                    "cmd": "connect",
                    "url": server.url,
                    "clients": share,
                    "concurrency": sc.connect_concurrency,
                    "compress": options.compression,
                    "deadline": time.time() + options.phase_timeout,
                }
                for share in split(layout.phones, n_procs)
            ],
            options.phase_timeout + 60,
        )
        connect_wall = time.perf_counter() - t
        connect_cpu = (stat.cpu_seconds() or 0.0) - cpu0
        connected = sum(a["connected"] for a in answers)
        time.sleep(1.0)
        rss_connected = stat.rss_bytes()
        result["connect"] = {
            "attempted": len(layout.phones),
            "connected": connected,
            "failed": len(layout.phones) - connected,
            "gave_up_at_deadline": sum(a.get("timed_out", 0) for a in answers),
            "success_rate": round(connected / len(layout.phones), 4),
            "retried_errors": sum(a["error_count"] for a in answers),
            "compression_offered": options.compression,
            "deflate_negotiated": sum(a.get("deflate", 0) for a in answers) + proj.get("deflate", 0),
            "error_samples": [e for a in answers for e in a["errors"]][:5],
            "elapsed_s": round(connect_wall, 2),
            "per_second": round(connected / connect_wall, 1) if connect_wall else None,
            "connect_and_sync_ms": percentiles([x for a in answers for x in a["connect_ms"]]),
            "server_cpu_s": round(connect_cpu, 2),
        }
        if layout.join:
            result["time_to_join_s"] = round(layout.join["elapsed_s"] + connect_wall, 2)
        else:
            result["time_to_join_s"] = round(connect_wall, 2)

        # The group round.
        exporting = sc.export_during and kind == "app" and bool(layout.conference)
        extra = sc.export_phase if exporting else 0.0
        posts = schedule(sc, layout.reporters, rng, extra)
        t0 = time.time() + 2.0
        deadline = t0 + sc.duration + extra + sc.drain
        log(f"{kind}: posting {len(posts)} bullets over {sc.duration:g} s, {len(layout.reporters)} reporters")
        everyone = [*procs, projector_proc]
        client_stats = [p.stat for p in everyone]
        load_before = machine()["loadavg_1_5_15"]
        cpu_run0 = stat.cpu_seconds() or 0.0
        clients_cpu0 = proc_cpu(client_stats)
        export: dict[str, Any] = {}
        exporter = None
        if exporting:
            exporter = threading.Thread(
                target=_export_during, args=(server, layout, t0 + sc.duration + 1.0, export), daemon=True
            )
            exporter.start()
        late: dict[str, Any] = {}
        if sc.late_joins and kind == "app" and layout.join:
            threading.Thread(
                target=_late_joins, args=(server, layout, sc, t0 + sc.duration / 3, late), daemon=True
            ).start()
        cmd = {"cmd": "run", "t0": t0, "deadline": deadline, "posts": posts}
        run_answers = ask_all(everyone, [cmd] * len(everyone), deadline - time.time() + 60)
        wall = time.time() - t0
        cpu_run = (stat.cpu_seconds() or 0.0) - cpu_run0
        clients_cpu = proc_cpu(client_stats) - clients_cpu0
        if exporter is not None:
            exporter.join(timeout=60)
        result["figures"] = figures(posts, layout, run_answers)
        resyncs = [ms for a in run_answers for ms in a.get("resync_ms", [])]
        result["resyncs"] = {
            "late_joins": late,
            "full_resyncs": len(resyncs),
            "failed": sum(a.get("resync_failures", 0) for a in run_answers),
            "resync_ms": percentiles(resyncs),
        }
        if export:
            result["export"] = export_window(export, posts, run_answers)
        result["server_process"] = {
            "cpu_s_during_run": round(cpu_run, 2),
            "cpu_pct_of_one_core_during_run": round(100 * cpu_run / wall, 1) if wall else None,
            "cpu_ms_per_point": round(1000 * cpu_run / result["figures"]["posts_acked_ok"], 2)
            if result["figures"]["posts_acked_ok"]
            else None,
            "rss_idle_mb": mb(rss_idle),
            "rss_connected_mb": mb(rss_connected),
            "peak_rss_mb": mb(stat.peak_rss_bytes()),
            "per_phone_kb": round((rss_connected - rss_idle) / 1024 / connected, 1)
            if rss_connected and rss_idle and connected
            else None,
            "threads": stat.threads(),
        }
        result["client_processes"] = {
            "count": len(everyone),
            "cpu_pct_of_one_core_during_run": round(100 * clients_cpu / wall, 1) if wall else None,
        }
        result["load_during"] = {"before": load_before, "after": machine()["loadavg_1_5_15"]}
        return result
    finally:
        for p in procs:
            p.close()
        if projector_proc is not None:
            projector_proc.close()
        for srv in servers:
            srv.stop()
        if pg_name:
            try:
                pg_admin(options.pg_url, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            except Exception as exc:  # noqa: BLE001 - reported, the run's figures stand
                log(f"could not drop {pg_name}: {exc}")


def _export_during(server: Server, layout: Layout, at: float, out: dict[str, Any]) -> None:
    """Fetch the Word report while bullets flow (the app must keep the event loop free).

    A probe meanwhile opens an Engine.IO session (what a reconnecting phone does first) every 25 ms,
    from 1 s before the export until 1 s after it: its response times show whether the loop stalled.
    """
    delay = at - 1.0 - time.time()
    if delay > 0:
        time.sleep(delay)
    probes: list[tuple[float, float]] = []
    stop = threading.Event()

    def probe() -> None:
        url = f"{server.url}/socket.io/?EIO=4&transport=polling"
        while not stop.is_set():
            t = time.time()
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    r.read()
                probes.append((t, (time.time() - t) * 1000))
            except (urllib.error.URLError, OSError):
                probes.append((t, 10_000.0))
            time.sleep(0.025)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    time.sleep(max(0.0, at - time.time()))
    url = f"{server.url}/api/v1/conferences/{layout.conference['id']}/report.docx"
    start = time.time()
    try:
        _, body = http("GET", url, None, layout.conference["token"], timeout=120)
        out["bytes"] = len(body)
    except BenchError as exc:
        out["error"] = str(exc)[:300]
    out["start"] = start
    out["end"] = time.time()
    time.sleep(1.0)
    stop.set()
    prober.join(timeout=15)
    out["probe_ms_during_export"] = percentiles([ms for t, ms in probes if start <= t <= out["end"]])
    out["probe_ms_before_export"] = percentiles([ms for t, ms in probes if t < start])


def _late_joins(server: Server, layout: Layout, sc: Scenario, at: float, out: dict[str, Any]) -> None:
    """Latecomers join while the round runs, one every 2 s (each is seated at a table at once)."""
    delay = at - time.time()
    if delay > 0:
        time.sleep(delay)
    times = []
    for n in range(sc.late_joins):
        start = time.time()
        body = {
            "code": layout.conference["code"],
            "name": f"Sen deltaker {n + 1}",
            "role": ROLES[n % len(ROLES)],
            "uuid": str(uuid.uuid4()),
        }
        try:
            http("POST", server.url + "/api/v1/join", body, timeout=60)
            times.append(round((time.time() - start) * 1000, 1))
        except BenchError as exc:
            out["error"] = str(exc)[:300]
        time.sleep(2.0)
    out["join_ms"] = times


def figures(posts: list[dict[str, Any]], layout: Layout, answers: list[dict[str, Any]]) -> dict[str, Any]:
    """Latencies, losses and duplicates from what the reporters sent and what every client got."""
    sent = {r["uuid"]: r for a in answers for r in a["posts"]}
    ok = {u: r for u, r in sent.items() if r.get("ok")}
    main = {p["uuid"] for p in posts if p.get("phase", "main") == "main"}
    everyone = {cid: c for a in answers for cid, c in a["clients"].items()}
    # Loss is counted on phones that were connected all through the round. A phone that was never
    # connected, or dropped (a real one reconnects and resyncs, these do not), is reported apart.
    clients = {
        cid: c
        for cid, c in everyone.items()
        if c.get("connected_at_start", True) and c["connected"] and not c["disconnects"]
    }
    got: dict[tuple[str, str], tuple[float, int]] = {}
    for a in answers:
        for cid, uid, t, count in a["receipts"]:
            got[(cid, uid)] = (t, count)
    group_members: dict[int, list[str]] = {}
    for cid, c in clients.items():
        if not c["projector"] and c["group_id"] is not None:
            group_members.setdefault(c["group_id"], []).append(cid)

    proj_lat, member_lat = [], []
    by_second: dict[int, list[float]] = {}  # post→projector by the second of the round it was posted in
    start = min((r["t_post"] for u, r in ok.items() if u in main), default=0.0)
    lost_proj = lost_members = dup_proj = dup_members = 0
    for uid, rec in ok.items():
        for cid in ["projector", *group_members.get(rec["group_id"], [])]:
            if cid not in clients:
                continue
            hit = got.get((cid, uid))
            if hit is None:
                if cid == "projector":
                    lost_proj += 1
                else:
                    lost_members += 1
                continue
            t, count = hit
            latency = (t - rec["t_post"]) * 1000
            if cid == "projector":
                if uid in main:
                    proj_lat.append(latency)
                    by_second.setdefault(int(rec["t_post"] - start), []).append(latency)
                dup_proj += count - 1
            else:
                if uid in main:
                    member_lat.append(latency)
                dup_members += count - 1
    stray = sum(1 for (cid, uid) in got if uid not in ok)
    retried = [r for r in sent.values() if r.get("retry")]
    return {
        "posts_scheduled": len(posts),
        "posts_acked_ok": len(ok),
        "posts_failed": len(sent) - len(ok) + (len(posts) - len(sent)),
        "post_error_samples": [r.get("error") for r in sent.values() if not r.get("ok")][:5],
        "retried": len(retried),
        "retries_returned_same_bullet": sum(1 for r in retried if r.get("retry_same_bullet")),
        "latency_window": "main" if len(main) < len(posts) else "all",
        "post_to_ack_ms": percentiles(
            [(r["t_ack"] - r["t_post"]) * 1000 for u, r in ok.items() if "t_ack" in r and u in main]
        ),
        "post_to_projector_ms": percentiles(proj_lat),
        "post_to_members_ms": percentiles(member_lat),
        "post_to_projector_ms_by_second": {
            str(sec): {k: v for k, v in percentiles(vals).items() if k in ("n", "p50", "max")}
            for sec, vals in sorted(by_second.items())
        },
        "lost": {"projector": lost_proj, "members": lost_members, "total": lost_proj + lost_members},
        "duplicated": {"projector": dup_proj, "members": dup_members, "total": dup_proj + dup_members},
        "received_unposted": stray,
        "clients_counted": len(clients),
        "projector_counted": "projector" in clients,
        "clients_not_connected_at_start": sum(
            1 for c in everyone.values() if not c.get("connected_at_start", True)
        ),
        "clients_dropped_during_run": sum(
            1
            for c in everyone.values()
            if c.get("connected_at_start", True) and (c["disconnects"] or not c["connected"])
        ),
        "events_in_seq_order": all(c["seq_in_order"] for c in clients.values()),
        "projector_events_in_seq_order": bool(everyone.get("projector", {}).get("seq_in_order")),
    }


def export_window(
    export: dict[str, Any], posts: list[dict[str, Any]], answers: list[dict[str, Any]]
) -> dict[str, Any]:
    """The Word export's duration, and the projector latency of bullets posted while it was built."""
    out: dict[str, Any] = {
        k: v for k, v in export.items() if k in ("bytes", "error") or k.startswith("probe")
    }
    if "start" not in export:
        return out
    out["export_s"] = round(export["end"] - export["start"], 3)
    phase = {p["uuid"] for p in posts if p.get("phase") == "export"}
    sent = {r["uuid"]: r for a in answers for r in a["posts"] if r.get("ok") and r["uuid"] in phase}
    arrival = {uid: t for a in answers for cid, uid, t, _ in a["receipts"] if cid == "projector"}
    during, outside = [], []
    for uid, rec in sent.items():
        if uid not in arrival:
            continue
        latency = (arrival[uid] - rec["t_post"]) * 1000
        (during if export["start"] <= rec["t_post"] <= export["end"] else outside).append(latency)
    out["post_to_projector_ms_during_export"] = percentiles(during)
    out["post_to_projector_ms_rest_of_export_phase"] = percentiles(outside)
    return out


# --- PostgreSQL (optional) -----------------------------------------------------------------------


def pg_admin(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def pg_database_url(admin_url: str, name: str) -> str:
    base = admin_url.rsplit("/", 1)[0]
    return base.replace("postgresql://", "postgresql+psycopg://", 1) + "/" + name


# --- several runs, medians, ratios ---------------------------------------------------------------

SUMMARY_KEYS = {
    "p50_post_to_projector_ms": ("figures", "post_to_projector_ms", "p50"),
    "p95_post_to_projector_ms": ("figures", "post_to_projector_ms", "p95"),
    "p99_post_to_projector_ms": ("figures", "post_to_projector_ms", "p99"),
    "max_post_to_projector_ms": ("figures", "post_to_projector_ms", "max"),
    "p50_post_to_members_ms": ("figures", "post_to_members_ms", "p50"),
    "p99_post_to_members_ms": ("figures", "post_to_members_ms", "p99"),
    "max_post_to_members_ms": ("figures", "post_to_members_ms", "max"),
    "p99_post_to_ack_ms": ("figures", "post_to_ack_ms", "p99"),
    "connected": ("connect", "connected"),
    "connect_elapsed_s": ("connect", "elapsed_s"),
    "time_to_join_s": ("time_to_join_s",),
    "lost_total": ("figures", "lost", "total"),
    "clients_counted": ("figures", "clients_counted"),
    "clients_dropped_during_run": ("figures", "clients_dropped_during_run"),
    "duplicated_total": ("figures", "duplicated", "total"),
    "server_cpu_pct_during_run": ("server_process", "cpu_pct_of_one_core_during_run"),
    "server_cpu_ms_per_point": ("server_process", "cpu_ms_per_point"),
    "deflate_negotiated": ("connect", "deflate_negotiated"),
    "client_cpu_pct_during_run": ("client_processes", "cpu_pct_of_one_core_during_run"),
    "rss_idle_mb": ("server_process", "rss_idle_mb"),
    "peak_rss_mb": ("server_process", "peak_rss_mb"),
    "per_phone_kb": ("server_process", "per_phone_kb"),
    "export_s": ("export", "export_s"),
    "full_resyncs": ("resyncs", "full_resyncs"),
    "p99_resync_ms": ("resyncs", "resync_ms", "p99"),
    "p99_during_export_ms": ("export", "post_to_projector_ms_during_export", "p99"),
    "max_during_export_ms": ("export", "post_to_projector_ms_during_export", "max"),
    "probe_max_during_export_ms": ("export", "probe_ms_during_export", "max"),
    "probe_p50_before_export_ms": ("export", "probe_ms_before_export", "p50"),
}


def dig(d: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def summarise(runs: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("app", "baseline"):
        mine = [r[kind] for r in runs if kind in r]
        if not mine:
            continue
        out[kind] = {name: median([dig(r, path) for r in mine]) for name, path in SUMMARY_KEYS.items()}
        out[kind]["lost_max"] = max(dig(r, ("figures", "lost", "total")) or 0 for r in mine)
        out[kind]["duplicated_max"] = max(dig(r, ("figures", "duplicated", "total")) or 0 for r in mine)
        out[kind]["projector_seq_in_order_every_run"] = all(
            dig(r, ("figures", "projector_events_in_seq_order")) for r in mine
        )
        out[kind]["runs"] = len(mine)
    if "app" in out and "baseline" in out:
        ratios = {}
        for name in (
            "p50_post_to_projector_ms",
            "p99_post_to_projector_ms",
            "p99_post_to_members_ms",
            "server_cpu_pct_during_run",
            "server_cpu_ms_per_point",
            "p99_post_to_ack_ms",
            "per_phone_kb",
            "connect_elapsed_s",
        ):
            a, b = out["app"].get(name), out["baseline"].get(name)
            ratios[name] = round(a / b, 2) if a is not None and b else None
        out["app_over_baseline"] = ratios
    return out


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def run_bench(
    scenarios: list[Scenario], runs: int, options: Options, json_path: Path | None = None
) -> dict[str, Any]:
    if threading.current_thread() is threading.main_thread():
        # A run stopped with SIGTERM (or by `timeout`) still stops its servers and client processes.
        signal.signal(signal.SIGTERM, _terminate)
    soft, hard = raise_nofile(max(65536, 4 * max(s.phones for s in scenarios)))
    need = 2 * max(s.phones for s in scenarios) + 200
    report: dict[str, Any] = {
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "nofile_limit": [soft, hard],
        "options": {
            "database": options.database,
            "message_queue": options.message_queue,
            "processes": options.processes,
            "compression": options.compression,
            "settings": options.settings,
            "runs": runs,
        },
        "scenarios": {},
    }
    if soft < need:
        log(f"warning: open-file limit {soft} is below the {need} this run needs")
    root = Path(options.workdir or tempfile.mkdtemp(prefix="confapp-bench-"))
    try:
        for sc in scenarios:
            runs_out: list[dict[str, Any]] = []
            for n in range(runs):
                one: dict[str, Any] = {}
                for kind in options.servers:
                    workdir = root / f"{sc.name}-{n + 1}-{kind}"
                    workdir.mkdir(parents=True, exist_ok=True)
                    log(f"scenario {sc.name}, run {n + 1}/{runs}: {kind}")
                    one[kind] = run_once(kind, sc, options, workdir, seed=n)
                    print_run(sc, kind, one[kind])
                runs_out.append(one)
                report["scenarios"][sc.name] = {"runs": runs_out, "summary": summarise(runs_out)}
                if json_path:
                    json_path.write_text(json.dumps(report, indent=1, ensure_ascii=False))
            print_summary(sc, report["scenarios"][sc.name]["summary"])
        report["machine_after"] = machine()
        if json_path:
            json_path.write_text(json.dumps(report, indent=1, ensure_ascii=False))
        return report
    finally:
        if options.workdir is None and not options.verbose:
            shutil.rmtree(root, ignore_errors=True)


def print_run(sc: Scenario, kind: str, r: dict[str, Any]) -> None:
    f = r["figures"]
    p, m = f["post_to_projector_ms"], f["post_to_members_ms"]
    s = r["server_process"]
    c = r["connect"]
    print(
        f"{sc.name:>6} {kind:>8}: connected {c['connected']}/{c['attempted']} in {c['elapsed_s']} s"
        f" | projector p50/p95/p99/max {p['p50']}/{p['p95']}/{p['p99']}/{p['max']} ms"
        f" | members p50/p99 {m['p50']}/{m['p99']} ms"
        f" | ack p99 {f['post_to_ack_ms']['p99']} ms"
        f" | lost {f['lost']['total']} dup {f['duplicated']['total']}"
        f" | deflate {c['deflate_negotiated']}/{c['connected'] + 1}"
        f" | projector in seq order {f['projector_events_in_seq_order']}"
        f" | server CPU {s['cpu_pct_of_one_core_during_run']}% ({s['cpu_ms_per_point']} ms/point)"
        f" peak RSS {s['peak_rss_mb']} MB"
        f" ({s['per_phone_kb']} KB/phone)",
        flush=True,
    )


def print_summary(sc: Scenario, summary: dict[str, Any]) -> None:
    runs = summary.get("app", summary.get("baseline", {})).get("runs")
    print(f"== {sc.name}: medians over {runs} runs", flush=True)
    for kind in ("app", "baseline"):
        if kind in summary:
            s = summary[kind]
            print(
                f"   {kind:>8}: p50/p99 projector"
                f" {s['p50_post_to_projector_ms']}/{s['p99_post_to_projector_ms']} ms,"
                f" p99 members {s['p99_post_to_members_ms']} ms, lost(max) {s['lost_max']},"
                f" dup(max) {s['duplicated_max']}, CPU {s['server_cpu_pct_during_run']}%,"
                f" {s['per_phone_kb']} KB/phone, time to join {s['time_to_join_s']} s",
                flush=True,
            )
    if "app_over_baseline" in summary:
        print(f"   app/baseline: {summary['app_over_baseline']}", flush=True)


def scenario_from(name: str, **overrides: Any) -> Scenario:
    base = SCENARIOS[name]
    values = asdict(base)
    values.update({k: v for k, v in overrides.items() if v is not None})
    sc = Scenario(**values)
    sc.reporters = max(1, min(sc.reporters, sc.phones // 2 or 1))
    sc.client_procs = max(1, sc.client_procs)
    if sc.rate <= 0 or sc.duration <= 0 or not math.isfinite(sc.rate):
        raise BenchError("--rate and --duration must be positive")
    return sc
