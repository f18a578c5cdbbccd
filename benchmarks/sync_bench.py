"""Server CPU per phone connecting in a hall: the Socket.IO `connect` and `sync` handlers in-process.

Run: .venv/bin/python benchmarks/sync_bench.py [--phones 2000] [--connect 1000] [--repeat 3]
(with PYTHONPATH=<another checkout> it measures that checkout's code: an A/B on one machine).

A conference of `--phones` participants at tables of 20 in a running group round, each table with a
reporter and 10 points. `--connect` of them connect through Flask-SocketIO's test client (the real
handlers, rooms and packet encoding; no WebSocket framing) and ask for their snapshot (`sync` with no
`since`), as each phone does in the join storm of issue 16. Process CPU time per phone, not wall time,
so other load on a shared machine does not count. A benchmark, never a test assertion.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

from bench_app import fresh_app


def one_run(phones: int, connect: int) -> float:
    """Milliseconds of CPU per phone (connect + sync)."""
    from confapp import db
    from confapp.live.realtime import socketio
    from confapp.models import Participant, RoundKind
    from confapp.services import bullets, conferences, facilitators, groups, participants, rounds

    app = fresh_app("sync-bench-", RATELIMIT_ENABLED=False)
    with app.app_context():
        f = facilitators.create(email="b@example.no", name="B", password="et langt passord 123")
        conf = conferences.create_conference(f, title="Salen", template="dk1_school")
        tokens = []
        for n in range(phones):
            _, token = participants.join(conf, client_uuid=uuid.uuid4(), name=f"Deltaker {n}", role="Lærer")
            tokens.append(token)
        rnd = next(r for r in conf.rounds if r.kind == RoundKind.GROUP)
        groups.propose(conf, rnd, group_size=20)
        rounds.start(conf, rnd)
        for grp in rnd.groups:
            leader = db.session.get(Participant, grp.leader_id)
            reporter = next(m.participant for m in grp.memberships if m.participant_id != grp.leader_id)
            groups.set_reporter(conf, grp, reporter.id, by=leader, client_uuid=uuid.uuid4())
            for k in range(10):
                bullets.post_as(
                    conf.id, reporter.id, group_id=grp.id, client_uuid=str(uuid.uuid4()),
                    text_=f"Punkt {k} fra bord {grp.number}", per_minute=10**6,
                )  # fmt: skip
        conf_id = conf.id
        db.session.remove()
    clients = []
    start = time.process_time()
    for token in tokens[:connect]:
        client = socketio.test_client(
            app, auth={"kind": "participant", "token": token, "conference_id": conf_id}
        )
        ack = client.emit("sync", {"since": None}, callback=True)
        assert ack["ok"] and ack["snapshot"]["seat"]["group_id"] is not None, ack
        clients.append(client)
    spent = (time.process_time() - start) * 1000 / connect
    for client in clients:
        client.disconnect()
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--connect", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.phones, args.connect) for _ in range(args.repeat)]
    print(
        f"CPU per phone (connect + sync): median {statistics.median(runs):.3f} ms; runs "
        + ", ".join(f"{r:.3f}" for r in runs)
    )


if __name__ == "__main__":
    main()
