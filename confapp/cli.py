"""The `confapp` command. It maps options onto the app and services and holds no behaviour of its own."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click
from flask import Flask
from flask_babel import force_locale

from confapp import create_app, db
from confapp.bench.command import bench_command
from confapp.clustering.command import cluster_command
from confapp.errors import N_, ServiceError
from confapp.export import measures as measure_export
from confapp.export.serve import initiatives_bytes, measure_document_bytes, overview_bytes, report_bytes
from confapp.export.serve import worker as export_worker
from confapp.grouping.command import plan_groups_command
from confapp.live import wsserver
from confapp.models import Conference, Organisation
from confapp.ops import backup, gc_policy
from confapp.services import facilitators, initiatives
from confapp.web import public_url
from confapp.web.responses import message
from exports.qr import qr_text


def _app(ctx: click.Context) -> Flask:
    obj = ctx.ensure_object(dict)
    if "app" not in obj:
        if obj.get("db"):
            os.environ["CONFAPP_DATABASE_URL"] = obj["db"]
        app = create_app()
        app.config["SERVER_NAME"] = None
        obj["app"] = app
    return obj["app"]  # type: ignore[no-any-return]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_url",
    envvar="CONFAPP_DATABASE_URL",
    metavar="URL",
    help="Database URL (default: a SQLite file in ./instance). Also CONFAPP_DATABASE_URL.",
)
@click.pass_context
def main(ctx: click.Context, db_url: str | None) -> None:
    """Run dialogue conferences: phones, projector, Word reports."""
    ctx.ensure_object(dict)["db"] = db_url


@main.command()
@click.option(
    "--host",
    default="0.0.0.0",
    show_default=True,
    help="Address to listen on (the default: every interface, so phones in the hall reach it).",
)
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Start the web server (gevent + WebSocket) and print the address and QR code for phones."""
    from confapp.live.realtime import socketio

    app = _app(ctx)
    public_url.set_listen_address(app, host, port)
    with app.app_context():
        has_facilitator = facilitators.any_exist()
        db.session.remove()
        export_worker().warm()  # the Word export's child process loads while nobody waits for it
        public = public_url.base()
    url = public.url
    click.echo(f"confapp is running. Phones open {url}/j (or scan):")
    click.echo(qr_text(f"{url}/j", ansi=sys.stdout.isatty()), nl=False)
    if public.loopback_only:
        click.secho(
            f"Warning: {url} only works on this computer; phones cannot reach it. Connect this computer "
            "to the hall's Wi-Fi or a phone's hotspot and restart (without --host 127.0.0.1), "
            "or set CONFAPP_PUBLIC_URL.",
            fg="yellow",
            err=True,
        )
    if has_facilitator:
        click.echo(f"Log in as facilitator at {url}/login")
    else:
        click.echo(
            f"First run: create the facilitator account at {url}/setup (or run `confapp create-facilitator`)."
        )
    click.echo("Stop with Ctrl+C.")
    sys.stdout.flush()
    if app.config.get("SOCKETIO_ASYNC_MODE", "gevent") == "gevent":
        import gevent

        if app.config["GC_THRESHOLDS"]:
            gc.set_threshold(*(int(n) for n in app.config["GC_THRESHOLDS"]))
        if app.config["GC_POLICY"]:
            gc_policy.install(gevent.spawn, gevent.sleep)  # short full collections with a hall connected
    transport = wsserver.configure(
        bool(app.config["WS_NODELAY"]),
        bool(app.config["WS_DEFLATE_TUNED"]),
        int(app.config["WS_DEFLATE_MIN_BYTES"]),
    )
    socketio.run(app, host=host, port=port, log_output=False, allow_unsafe_werkzeug=False, **transport)


@main.command("create-facilitator")
@click.option("--email", prompt=True, help="Login e-mail.")
@click.option("--name", prompt=True, help="Name shown to participants and in reports.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 12 characters, not a common one.",
)
@click.pass_context
def create_facilitator(ctx: click.Context, email: str, name: str, password: str) -> None:
    """Create a facilitator account and print its personal API token."""
    with _app(ctx).app_context():
        try:
            f = facilitators.create(email=email, name=name, password=password)
        except ServiceError as exc:
            raise click.ClickException(str(exc)) from None
        token = facilitators.issue_api_token(f)
    click.echo(f"Facilitator {email} created.")
    click.echo(f"API token (shown once): {token}")


@main.command()
@click.option(
    "--base-url",
    help="Where the server is reached (default: CONFAPP_PUBLIC_URL, else the LAN address, port 5000).",
)
@click.option(
    "--unclustered", is_flag=True, help="Stop after the last plenary: no clusters, vote or initiatives."
)
@click.option(
    "--series",
    is_flag=True,
    help="A school's series: DK1 with three measures that were decided and tried out with log entries, "
    "DK2 whose evaluation round gave each a table, then evaluated and decided on (daily operation, adjusted, "
    "stopped). Prints 'measure: <id>' lines.",
)
@click.option(
    "--municipality",
    is_flag=True,
    help="A school owner with three schools, each with its DK1 and measures in different states (the school "
    "owner's overview). Prints 'school: <id>' lines and last 'organisation: <id>' (the municipality).",
)
@click.pass_context
def demo(
    ctx: click.Context, base_url: str | None, unclustered: bool, series: bool, municipality: bool
) -> None:
    """Fill the database with a finished demo conference (24 participants, two rounds)."""
    from confapp.demo import make_demo
    from confapp.demo_municipality import make_municipality
    from confapp.demo_series import make_series

    app = _app(ctx)
    measure_ids: list[int] = []
    organisation_lines: list[str] = []
    with app.app_context():
        if municipality:
            owner = make_municipality()
            result = owner.demo
            organisation_lines = [f"school: {i}" for i in owner.school_ids]
            organisation_lines.append(f"organisation: {owner.municipality_id}")
        elif series:
            made = make_series()
            result, measure_ids = made.demo, made.measure_ids
        else:
            result = make_demo(cluster=not unclustered)
        if not base_url:
            public_url.set_listen_address(app, "0.0.0.0", 5000)  # as `confapp serve` would
            base_url = public_url.base().url
    click.echo(f"Facilitator login: {base_url}/login  e-mail: {result.email}  password: {result.password}")
    click.echo(f"Join URL (phones): {base_url}/j/{result.join_code}")
    click.echo(f"Projector: {base_url}/p/{result.projector_key}")
    for measure_id in measure_ids:
        click.echo(f"measure: {measure_id}")
    click.echo(f"conference: {result.conference_id}")
    for line in organisation_lines:  # the municipality last, for scripts reading the last line
        click.echo(line)


@main.command()
@click.argument("organisation", type=int)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the Word file (.docx).",
)
@click.option("--year", type=int, help="The year of the conference plan (default: this year).")
@click.option(
    "--lang",
    type=click.Choice(["nb", "nn", "en"]),
    default="nb",
    show_default=True,
    help="Language of the document.",
)
@click.pass_context
def overview(ctx: click.Context, organisation: int, out: Path, year: int | None, lang: str) -> None:
    """Write the school owner's overview of ORGANISATION (a municipality's schools, or one school) as Word."""
    with _app(ctx).app_context():
        org = db.session.get(Organisation, organisation)
        if org is None:
            raise click.ClickException(f"No organisation with id {organisation}.")
        data = overview_bytes(org, year or measure_export.today().year, lang)
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data)} bytes).")


@main.command()
@click.argument("conference", type=int)
@click.option(
    "--what",
    type=click.Choice(["report", "initiatives", "status", "dossier", "annual", "calendar"]),
    default="report",
    show_default=True,
    help="The conference report, the initiative forms; or for the conference's organisation: the steering "
    "group's status report, one measure's dossier (--measure), the annual calendar (årshjul, Word) or "
    "the calendar feed (.ics).",
)
@click.option("--measure", "measure_id", type=int, help="With --what dossier: the measure's id.")
@click.option(
    "--each",
    is_flag=True,
    help="With --what initiatives: one .docx per initiative, written next to --out (-1, -2 …).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the file (.docx; .ics for --what calendar).",
)
@click.option(
    "--lang",
    type=click.Choice(["nb", "nn", "en"]),
    default="nb",
    show_default=True,
    help="Language of the document's headings.",
)
@click.pass_context
def export(
    ctx: click.Context, conference: int, what: str, measure_id: int | None, each: bool, out: Path, lang: str
) -> None:
    """Write a conference's document (CONFERENCE is the id `confapp demo` prints)."""
    with _app(ctx).app_context():
        conf = db.session.get(Conference, conference)
        if conf is None:
            raise click.ClickException(f"No conference with id {conference}.")
        if what in measure_export.WHATS:
            files = {out: _measure_document(conf, what, measure_id, lang)}
        elif what == "report":
            files = {out: report_bytes(conf, lang)}
        else:
            made = initiatives.of_conference(conf)
            if not made:
                raise click.ClickException(f"Conference {conference} has no initiatives yet.")
            if each:
                files = {
                    out.with_name(f"{out.stem}-{n}{out.suffix or '.docx'}"): initiatives_bytes(conf, i, lang)
                    for n, i in enumerate(made, start=1)
                }
            else:
                files = {out: initiatives_bytes(conf, None, lang)}
    for path, data in files.items():
        path.write_bytes(data)
        click.echo(f"Wrote {path} ({len(data)} bytes).")


def _measure_document(conf: Conference, what: str, measure_id: int | None, lang: str) -> bytes:
    """One of the organisation's measure documents; a wrong measure is told in the chosen language."""
    org = measure_export.organisation_of(conf)
    request: dict[str, object] = {"what": what, "organisation_id": org.id, "lang": lang}
    with force_locale(lang):
        try:
            if what == "dossier":
                if measure_id is None:
                    raise ServiceError("invalid", N_("Say which measure with --measure ID."))
                request["measure_id"] = measure_export.measure_of(org, measure_id).id
        except ServiceError as exc:
            raise click.ClickException(message(exc)) from None
    return measure_document_bytes(request)


@main.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup_command(ctx: click.Context, out: Path) -> None:
    """Write a consistent copy of the database to OUT (safe while the server runs).

    The copy keeps everything, also what is anonymised or deleted later: delete it after at most 30 days.
    """
    try:
        click.echo(backup.backup(_database_url(ctx), out))
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(backup.RETENTION_NOTE)


@main.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.pass_context
def restore_command(ctx: click.Context, source: Path) -> None:
    """Replace the database with the backup SOURCE (stop the server first, start it after)."""
    try:
        click.echo(backup.restore(_database_url(ctx), source))
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None


def _database_url(ctx: click.Context) -> str:
    return str(_app(ctx).config["DATABASE_URL"])


main.add_command(plan_groups_command)
main.add_command(bench_command)
main.add_command(cluster_command)


@main.command("reset-link")
@click.argument("email")
@click.option(
    "--base-url",
    help="Where the server is reached (default: CONFAPP_PUBLIC_URL, else the LAN address, port 5000).",
)
@click.pass_context
def reset_link(ctx: click.Context, email: str, base_url: str | None) -> None:
    """Print a one-time link that sets a new password for EMAIL (for servers that send no e-mail)."""
    from flask import url_for

    from confapp.services import password_resets

    app = _app(ctx)
    with app.app_context():
        found = password_resets.request_link(email)
        if found is None:
            raise click.ClickException(f"No facilitator account has the e-mail {email}.")
        if not base_url:
            public_url.set_listen_address(app, "0.0.0.0", 5000)  # as `confapp serve` would
            base_url = public_url.base().url
        with app.test_request_context():
            path = url_for("facilitator.accounts.reset", token=found[1])
    minutes = int(password_resets.LIFETIME.total_seconds() // 60)
    click.echo(f"Open within {minutes} minutes, once: {base_url.rstrip('/')}{path}")


@main.command()
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(
        ["administrator", "facilitator", "steering_group", "coordinator", "viewer", "co_facilitator"]
    ),
    default="facilitator",
    show_default=True,
    help="The role in the organisation (README, Roles), or co_facilitator of the --conference.",
)
@click.option("--organisation", type=int, help="The organisation's id (default: the installation's).")
@click.option("--conference", type=int, help="For --role co_facilitator: the conference's id.")
@click.option("--revoke", is_flag=True, help="Revoke the open invitations for EMAIL instead.")
@click.option(
    "--base-url",
    help="Where the server is reached (default: CONFAPP_PUBLIC_URL, else the LAN address, port 5000).",
)
@click.pass_context
def invite(
    ctx: click.Context,
    email: str,
    role: str,
    organisation: int | None,
    conference: int | None,
    revoke: bool,
    base_url: str | None,
) -> None:
    """Invite EMAIL with a role: print the link, and mail it when SMTP is configured."""
    from flask import url_for

    from confapp import mail
    from confapp.services import invitations
    from facilitator.accounts import invitation_mail

    app = _app(ctx)
    with app.app_context():
        if revoke:
            click.echo(f"Revoked {invitations.revoke(email)} open invitation(s) for {email}.")
            return
        from confapp.models import Conference, Organisation

        org = db.session.get(Organisation, organisation) if organisation is not None else None
        conf = db.session.get(Conference, conference) if conference is not None else None
        if organisation is not None and org is None:
            raise click.ClickException(f"No organisation with id {organisation}.")
        if conference is not None and conf is None:
            raise click.ClickException(f"No conference with id {conference}.")
        try:
            _inv, token = invitations.create(email, role=role, organisation=org, conference=conf)
        except ServiceError as exc:
            raise click.ClickException(str(exc)) from None
        if not base_url:
            public_url.set_listen_address(app, "0.0.0.0", 5000)  # as `confapp serve` would
            base_url = public_url.base().url
        with app.test_request_context():
            link = base_url.rstrip("/") + url_for("facilitator.accounts.invitation", token=token)
            sending = invitation_mail(email, link, role) if mail.configured() else None
        click.echo(
            f"Invitation for {email} ({role}), valid for {invitations.LIFETIME.days} days, once: {link}"
        )
        if sending is not None:
            sending.join(60)  # the mail goes in the background; let it leave before the command ends
            click.echo("The link was also mailed to that address (see the server log if it does not arrive).")
