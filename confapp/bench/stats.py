"""Small numeric and process helpers for the bench: percentiles, CPU and memory read from /proc.

Linux `/proc` is read directly, so the bench needs no extra dependency; on another system the
process figures are reported as null.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import statistics
from pathlib import Path
from typing import Any

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = resource.getpagesize()


def percentiles(values: list[float]) -> dict[str, float | int | None]:
    """n, p50, p95, p99 and max (nearest-rank), in the unit of `values`."""
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)

    def rank(p: float) -> float:
        k = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
        return ordered[k]

    return {
        "n": len(ordered),
        "p50": round(rank(50), 2),
        "p95": round(rank(95), 2),
        "p99": round(rank(99), 2),
        "max": round(ordered[-1], 2),
    }


def median(values: list[float | None]) -> float | None:
    real = [v for v in values if v is not None]
    return round(statistics.median(real), 3) if real else None


def raise_nofile(want: int = 65536) -> tuple[int, int]:
    """Raise this process's open-file limit towards `want` (children inherit it); returns (soft, hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


class ProcStat:
    """CPU seconds and memory of one process (by pid), from /proc."""

    def __init__(self, pid: int):
        self.pid = pid
        self.base = Path(f"/proc/{pid}")

    def available(self) -> bool:
        return self.base.exists()

    def cpu_seconds(self) -> float | None:
        try:
            fields = (self.base / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        # fields[0] is the state (field 3); utime and stime are fields 14 and 15.
        return (int(fields[11]) + int(fields[12])) / _TICKS

    def _status(self, key: str) -> int | None:
        try:
            for line in (self.base / "status").read_text().splitlines():
                if line.startswith(key + ":"):
                    parts = line.split()
                    return int(parts[1]) * (1024 if parts[-1] == "kB" else 1)
        except OSError:
            return None
        return None

    def rss_bytes(self) -> int | None:
        return self._status("VmRSS")

    def peak_rss_bytes(self) -> int | None:
        return self._status("VmHWM")

    def threads(self) -> int | None:
        return self._status("Threads")


def machine() -> dict[str, Any]:
    """Facts about the machine a run was made on."""
    info: dict[str, Any] = {"nproc": os.cpu_count()}
    try:
        info["loadavg_1_5_15"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        info["loadavg_1_5_15"] = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["mem_total_mb"] = int(line.split()[1]) // 1024
                break
    except OSError:
        pass
    return info


def mb(n: int | None) -> float | None:
    return round(n / 1024 / 1024, 1) if n is not None else None
