"""The baseline: a bare python-socketio server in the app's async mode that only relays the messages.

Run as its own process: `python -m confapp.bench.baseline --port P`. It is built like the app's
server (gevent monkey-patching first, python-socketio with `async_mode="gevent"` and
simple-websocket, gevent's pywsgi server, the same ping settings and buffer size, the same packet
class and the same transport settings from `confapp.live.wsserver`, switched by the same
`CONFAPP_WS_*` variables), and speaks the same messages the bench uses: `connect` with an `auth`
object, `sync` (joins the rooms), and `bullet.post` (acked, relayed as an `event` to the table's room
and the staff room). There is no database, no Flask and no app logic beyond an in-memory UUID set, so
a repeated post is not relayed twice. Its figures are the limit of this stack on this machine.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

import socketio  # noqa: E402
from gevent import pywsgi  # noqa: E402

from confapp.live import wsserver  # noqa: E402

CONF_ID = 1


def make_server() -> socketio.Server:
    sio = socketio.Server(
        async_mode="gevent",
        ping_interval=20,
        ping_timeout=20,
        max_http_buffer_size=64 * 1024,
        serializer=wsserver.JsonPacket,
    )
    state: dict[str, Any] = {"seq": 0, "bullets": {}}

    @sio.on("connect")
    def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
        auth = auth if isinstance(auth, dict) else {}
        kind = auth.get("kind")
        if kind not in ("participant", "projector"):
            return False
        sio.save_session(sid, {"kind": kind, "group_id": auth.get("group_id"), "pid": auth.get("pid")})
        return True

    @sio.on("sync")
    def sync(sid: str, data: Any = None) -> dict[str, Any]:
        ident = sio.get_session(sid)
        sio.enter_room(sid, f"conf:{CONF_ID}")
        if ident["kind"] == "projector":
            sio.enter_room(sid, f"conf:{CONF_ID}:staff")
        elif ident["group_id"] is not None:
            sio.enter_room(sid, f"conf:{CONF_ID}:group:{ident['group_id']}")
        return {"ok": True, "snapshot": {"seq": state["seq"]}}

    @sio.on("bullet.post")
    def post(sid: str, data: Any = None) -> dict[str, Any]:
        data = data if isinstance(data, dict) else {}
        ident = sio.get_session(sid)
        uid = str(data.get("uuid"))
        existing = state["bullets"].get(uid)
        if existing is not None:
            return {"ok": True, "bullet": existing}
        now = dt.datetime.now(dt.UTC).isoformat()
        bullet = {
            "id": len(state["bullets"]) + 1,
            "uuid": uid,
            "round_id": 1,
            "group_id": data.get("group_id"),
            "text": str(data.get("text", ""))[:280],
            "is_plenary_point": False,
            "author_id": ident.get("pid"),
            "created_at": now,
            "updated_at": now,
        }
        state["bullets"][uid] = bullet
        state["seq"] += 1
        event = {
            "conference_id": CONF_ID,
            "seq": state["seq"],
            "type": "bullet.posted",
            "data": {"bullet": bullet},
        }
        sio.emit(
            "event",
            event,
            to=[f"conf:{CONF_ID}:group:{bullet['group_id']}", f"conf:{CONF_ID}:staff"],
        )
        return {"ok": True, "bullet": bullet}

    return sio


def _env(name: str, default: Any) -> Any:
    """The app's transport settings (`CONFAPP_WS_*`, JSON as Flask reads them), so both run alike."""
    raw = os.environ.get(f"CONFAPP_{name}")
    return default if raw is None else json.loads(raw)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Bare python-socketio relay (the bench's baseline).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    sio = make_server()
    app = socketio.WSGIApp(sio)
    transport = wsserver.configure(
        _env("WS_NODELAY", True), _env("WS_DEFLATE_TUNED", True), _env("WS_DEFLATE_MIN_BYTES", 1024)
    )
    server = pywsgi.WSGIServer((args.host, args.port), app, log=None, **transport)
    print(f"baseline relay is running at http://{args.host}:{args.port}", flush=True)
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
