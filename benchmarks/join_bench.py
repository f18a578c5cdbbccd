"""CPU for a join storm in-process on SQLite: N phones join one conference by name (issue 16).

Run: .venv/bin/python benchmarks/join_bench.py [--joins 2000] [--repeat 3]
(with PYTHONPATH=<another checkout> it measures that checkout's code: an A/B on one machine).

Each phone types a new name and calls `participants.join` with a fresh session, as a request does;
no round is running, so nobody is seated. Every join checks its name against everyone already in the
hall, so the time per join grows with the hall when that check reads every name. Process CPU time,
not wall time, so other load on a shared machine does not count. A benchmark, never a test assertion.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

from bench_app import fresh_app


def one_run(joins: int) -> float:
    """Seconds of CPU for `joins` joins, the first into an empty hall."""
    from confapp import db
    from confapp.models import Conference
    from confapp.services import conferences, facilitators, participants

    app = fresh_app("join-bench-")
    with app.app_context():
        f = facilitators.create(email="b@example.no", name="B", password="et langt passord 123")
        conf_id = conferences.create_conference(f, title="Innrykk", template="dk1_school").id
        start = time.process_time()
        for k in range(joins):
            db.session.remove()  # every request gets a fresh session, as in the server
            conf = db.session.get(Conference, conf_id)
            assert conf is not None
            participants.join(conf, client_uuid=uuid.uuid4(), name=f"Deltaker {k}", role="Lærer")
        return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--joins", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.joins) for _ in range(args.repeat)]
    print(
        f"CPU for {args.joins} joins: median {statistics.median(runs):.2f} s; runs "
        + ", ".join(f"{r:.2f}" for r in runs)
    )


if __name__ == "__main__":
    main()
