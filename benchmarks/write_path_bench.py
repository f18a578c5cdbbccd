"""CPU per `bullets.post` in-process on SQLite: the write path alone, without sockets or fan-out.

Run: .venv/bin/python benchmarks/write_path_bench.py [--posts 2000] [--repeat 3]
(with PYTHONPATH=<another checkout> it measures that checkout's code: an A/B on one machine).

20 tables of 6 in a running group round; the reporters post in turn, 10 % of the posts are sent
again with the same UUID, and 1,000 earlier points are in the conference. Process CPU time, not
wall time, so other load on a shared machine does not count. A benchmark, never a test assertion.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid

from bench_app import fresh_app


def one_run(posts: int, seed: int) -> float:
    """Milliseconds of CPU per post (a new point or a retry)."""
    from confapp import db
    from confapp.models import Participant, RoundKind
    from confapp.services import bullets, conferences, facilitators, groups, participants, rounds

    app = fresh_app("write-path-")
    rng = random.Random(seed)
    with app.app_context():
        f = facilitators.create(email="b@example.no", name="B", password="et langt passord 123")
        conf = conferences.create_conference(f, title="Skrivebane", template="dk1_school")
        for n in range(120):
            participants.join(conf, client_uuid=uuid.uuid4(), name=f"Deltaker {n}", role="Lærer")
        rnd = next(r for r in conf.rounds if r.kind == RoundKind.GROUP)
        groups.propose(conf, rnd, group_size=6)
        rounds.start(conf, rnd)
        writers = []
        for grp in rnd.groups:
            leader = db.session.get(Participant, grp.leader_id)
            reporter = next(m.participant for m in grp.memberships if m.participant_id != grp.leader_id)
            groups.set_reporter(conf, grp, reporter.id, by=leader, client_uuid=uuid.uuid4())
            writers.append((reporter.id, grp.id))
        conf_id = conf.id

        def post(k: int, cid: str) -> None:
            from confapp.models import Conference

            db.session.remove()  # every socket event gets a fresh session, as in the server
            pid, gid = writers[k % len(writers)]
            if hasattr(bullets, "post_as"):  # what the socket handler calls now: no ORM loads
                bullets.post_as(
                    conf_id, pid, group_id=gid, client_uuid=cid, text_=f"Punkt {k}", per_minute=10**6
                )
                return
            c = db.session.get(Conference, conf_id)  # before: as `socket_handlers._context` did
            p = db.session.get(Participant, pid)
            bullets.post(c, p, group_id=gid, client_uuid=cid, text_=f"Punkt {k}", per_minute=10**6)

        for k in range(1000):
            post(k, str(uuid.uuid4()))
        start = time.process_time()
        for k in range(posts):
            cid = str(uuid.uuid4())
            post(k, cid)
            if rng.random() < 0.1:
                post(k, cid)
        return (time.process_time() - start) * 1000 / posts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.posts, seed) for seed in range(args.repeat)]
    print(
        f"CPU per post: median {statistics.median(runs):.3f} ms; runs " + ", ".join(f"{r:.3f}" for r in runs)
    )


if __name__ == "__main__":
    main()
