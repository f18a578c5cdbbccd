"""`confapp bench`: how fast is the real server with N phones, against a bare Socket.IO relay?

Only click is imported at module level, so the CLI loads without the bench's client libraries;
the run needs python-socketio's asyncio client and aiohttp (the `test` extra).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("bench")
@click.option(
    "--scenario",
    type=click.Choice(["small", "burst", "pages", "projector", "all", "smoke"]),
    default="small",
    show_default=True,
    help="small: 500 phones, 20 reporters, 5 bullets/s for 30 s (with a Word export mid-run). "
    "burst: 2,000 phones, 100 reporters, 100 bullets/s for 10 s. pages: the phone pages' bytes and "
    "time to usable in Chromium on Slow 3G, Fast 3G and unthrottled. projector: 300 points on the "
    "projector in Chromium, the time from a new one's message to the painted frame. all: every one "
    "of these. smoke: 20 phones for 3 s.",
)
@click.option("--phones", type=int, help="Phones (overrides the scenario).")
@click.option("--reporters", type=int, help="Reporters, one per table (overrides the scenario).")
@click.option("--rate", type=float, help="Bullets per second, all reporters together.")
@click.option("--duration", type=float, help="Seconds of posting.")
@click.option("--retry-share", type=float, help="Share of posts sent twice with the same UUID (default 0.1).")
@click.option(
    "--seed-bullets",
    type=int,
    help="Bullets posted through the API before the phones connect (small: 1,300, so the Word "
    "export mid-run has about 1,500).",
)
@click.option(
    "--late-joins",
    type=int,
    help="Phones that join while the round runs, one every 2 s (each is seated at once: a "
    "group.member_added to that table).",
)
@click.option("--client-procs", type=int, help="Client processes for the phones (default 2).")
@click.option(
    "--runs", type=int, default=1, show_default=True, help="Runs per scenario; medians are reported."
)
@click.option(
    "--server",
    "servers",
    type=click.Choice(["both", "app", "baseline"]),
    default="both",
    show_default=True,
    help="Measure the app, the bare relay, or both side by side (ratios need both).",
)
@click.option(
    "--database",
    type=click.Choice(["sqlite", "postgres"]),
    default="sqlite",
    show_default=True,
    help="The app's database: a fresh SQLite file, or a fresh PostgreSQL database (dropped afterwards).",
)
@click.option(
    "--pg-url",
    default="postgresql://postgres@127.0.0.1:5432/postgres",
    show_default=True,
    help="PostgreSQL maintenance database used to create and drop the bench database.",
)
@click.option(
    "--message-queue", metavar="URL", help="Run the app with CONFAPP_MESSAGE_QUEUE=URL (e.g. Redis)."
)
@click.option(
    "--processes",
    type=int,
    default=1,
    show_default=True,
    help="App server processes; phones are spread over them as a sticky proxy would "
    "(needs --message-queue; --database postgres is the tested pairing).",
)
@click.option(
    "--connect-timeout",
    type=float,
    default=240.0,
    show_default=True,
    help="Seconds the join and connect phases may take; phones not connected by then count as failed.",
)
@click.option(
    "--compression",
    type=click.Choice(["on", "off"]),
    default="on",
    show_default=True,
    help="on: phones offer permessage-deflate, as every browser does; off: plain WebSocket frames.",
)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="A CONFAPP_NAME setting for both servers, e.g. --set WS_NODELAY=false (A/B on the same code).",
)
@click.option("--export/--no-export", "export", default=None, help="Fetch the Word report mid-run.")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every figure (each run and the medians) to this JSON file.",
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep server and client logs (and the SQLite file) in this folder.",
)
def bench_command(
    scenario: str,
    phones: int | None,
    reporters: int | None,
    rate: float | None,
    duration: float | None,
    retry_share: float | None,
    seed_bullets: int | None,
    late_joins: int | None,
    client_procs: int | None,
    runs: int,
    servers: str,
    database: str,
    pg_url: str,
    message_queue: str | None,
    processes: int,
    connect_timeout: float,
    compression: str,
    settings: tuple[str, ...],
    export: bool | None,
    json_path: Path | None,
    keep: Path | None,
) -> None:
    """Start the server on 127.0.0.1, connect simulated phones, run a group round and measure it.

    Prints and writes (--json) connect success, time to join, post→projector and post→table
    latency p50/p95/p99/max, bullets lost and duplicated, server CPU and peak RSS, each beside a
    bare python-socketio relay in the same async mode. Every phase is bounded in time.
    """
    try:
        import aiohttp  # noqa: F401
        import socketio  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise click.ClickException(
            f"the bench needs the Socket.IO asyncio client and aiohttp ({exc}); "
            "install them with: pip install -e '.[test]'"
        ) from None
    from confapp.bench import runner

    chosen = ["small", "burst", "pages", "projector"] if scenario == "all" else [scenario]
    browser_scenarios = [n for n in chosen if n in ("pages", "projector")]
    names = [n for n in chosen if n not in browser_scenarios]
    try:
        scenarios = [
            runner.scenario_from(
                name,
                phones=phones,
                reporters=reporters,
                rate=rate,
                duration=duration,
                retry_share=retry_share,
                seed_bullets=seed_bullets,
                late_joins=late_joins,
                client_procs=client_procs,
                export_during=export,
            )
            for name in names
        ]
    except runner.BenchError as exc:
        raise click.ClickException(str(exc)) from None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    options = runner.Options(
        database=database,
        pg_url=pg_url,
        message_queue=message_queue,
        servers=["baseline", "app"] if servers == "both" else [servers],
        workdir=keep.resolve() if keep else None,
        phase_timeout=connect_timeout,
        processes=max(1, processes),
        compression=compression == "on",
        settings=dict(item.split("=", 1) for item in settings if "=" in item),
    )
    try:
        report = runner.run_bench(scenarios, max(1, runs), options, json_path) if scenarios else None
        if browser_scenarios:
            from confapp.bench.pages import run_browser_scenarios

            run_browser_scenarios(browser_scenarios, max(1, runs), options, json_path, report)
    except runner.BenchError as exc:
        raise click.ClickException(str(exc)) from None
    if json_path:
        click.echo(f"Wrote {json_path}")


if __name__ == "__main__":
    bench_command(prog_name="confapp bench")
