"""The app the in-process benchmarks measure: a fresh SQLite file in a temporary instance folder.

Shared by `write_path_bench.py`, `join_bench.py` and `sync_bench.py`; run them as scripts from the
repository (`.venv/bin/python benchmarks/<name>.py`), which puts this folder on `sys.path`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask


def fresh_app(prefix: str, **config: Any) -> Flask:
    """`create_app` on a new SQLite file, threading async mode (no gevent in a benchmark process)."""
    from confapp import create_app

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["CONFAPP_INSTANCE_PATH"] = str(tmp)
    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
            "SECRET_KEY": "bench",
            "SOCKETIO_ASYNC_MODE": "threading",
            **config,
        }
    )
