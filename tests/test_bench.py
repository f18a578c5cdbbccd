"""`confapp bench` end to end, small: 20 phones for 3 s against the app and the bare relay.

A smoke run of the real benchmark (servers and client processes as in a full run): it checks the
figures are there and that nothing was lost or duplicated. Timing is never asserted here; the
numbers live in docs/performance.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import ROOT

LATENCY_FIELDS = {"n", "p50", "p95", "p99", "max"}


def test_bench_smoke_run_writes_complete_figures(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "confapp.bench",
            "--scenario",
            "smoke",
            "--phones",
            "20",
            "--reporters",
            "4",
            "--rate",
            "5",
            "--duration",
            "3",
            "--retry-share",
            "0.5",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, f"bench failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    report = json.loads(out.read_text())
    assert report["machine"]["nproc"] >= 1
    smoke = report["scenarios"]["smoke"]
    (run,) = smoke["runs"]
    assert set(run) == {"app", "baseline"}
    for kind, r in run.items():
        assert r["connect"]["connected"] == r["connect"]["attempted"] == 20, kind
        f = r["figures"]
        assert f["posts_scheduled"] == 15
        assert f["posts_acked_ok"] == 15, (kind, f["post_error_samples"])
        assert f["retried"] > 0
        assert f["retries_returned_same_bullet"] == f["retried"], kind
        assert f["lost"] == {"projector": 0, "members": 0, "total": 0}, kind
        assert f["duplicated"] == {"projector": 0, "members": 0, "total": 0}, kind
        assert f["received_unposted"] == 0
        assert f["events_in_seq_order"]
        for key in ("post_to_projector_ms", "post_to_members_ms", "post_to_ack_ms"):
            assert set(f[key]) == LATENCY_FIELDS and f[key]["n"] > 0, (kind, key)
        assert f["post_to_projector_ms"]["n"] == 15
        proc = r["server_process"]
        for key in ("cpu_pct_of_one_core_during_run", "peak_rss_mb", "rss_idle_mb", "per_phone_kb"):
            assert proc[key] is not None, (kind, key)
        assert r["time_to_join_s"] is not None
    assert run["app"]["join"]["joined"] == 20
    summary = smoke["summary"]
    assert summary["app"]["lost_max"] == summary["app"]["duplicated_max"] == 0
    assert set(summary["app_over_baseline"]) >= {"p50_post_to_projector_ms", "p99_post_to_projector_ms"}
    assert "smoke" in result.stdout and "app/baseline" in result.stdout
