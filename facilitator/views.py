"""Facilitator pages. Each view parses the form, calls one service, and redirects or renders."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WResponse

from confapp import db
from confapp.auth import current_session_id, log_in, log_out
from confapp.errors import ServiceError
from confapp.export.serve import report_response
from confapp.models import Conference, Facilitator
from confapp.services import (
    access,
    conferences,
    evaluation,
    facilitators,
    initiatives,
    login_sessions,
    measures,
    memberships,
    preparation,
)
from confapp.services.agenda_templates import TEMPLATES
from confapp.web.limits import limited, login_limits
from confapp.web.proxies import from_this_computer
from confapp.web.public_url import base as public_base
from confapp.web.public_url import external_url
from confapp.web.responses import message
from confapp.web.safe_urls import safe_next
from confapp.web.templating import current_lang
from exports.qr import qr_svg_bytes
from facilitator.strings import board_strings, console_strings, initiative_strings, projector_strings

bp = Blueprint(
    "facilitator",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/facilitator",
)


def _me() -> Facilitator:
    return current_user._get_current_object()  # type: ignore[attr-defined, no-any-return]


def _conf(conference_id: int) -> Conference:
    try:
        action = "conference.view" if request.method == "GET" else "conference.run"
        return access.conference_for(_me(), conference_id, action)
    except ServiceError as exc:  # "not found" to strangers, "forbidden" to those who may only read
        abort(exc.status)


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> str | WResponse | tuple[str, int]:
    """First run: the first facilitator account is created in the browser, on this computer only.

    The server listens on the hall's network, so anyone there could otherwise claim a fresh install.
    """
    if facilitators.any_exist():
        return redirect(url_for("facilitator.login"))
    if not from_this_computer():
        return render_template("facilitator/setup_local_only.html"), 403
    error = None
    if request.method == "POST":
        if request.form.get("password") != request.form.get("password2"):
            error = _("The passwords do not match.")
        else:
            try:
                f = facilitators.create(
                    email=request.form.get("email"),
                    name=request.form.get("name"),
                    password=request.form.get("password"),
                )
            except ServiceError as exc:
                error = message(exc)
            else:
                log_in(f)
                return redirect(url_for("facilitator.dashboard"))
    return render_template("facilitator/setup.html", error=error, form=request.form)


@bp.route("/login", methods=["GET", "POST"])
@limited(login_limits)
def login() -> str | WResponse | tuple[str, int]:
    if not facilitators.any_exist():
        return redirect(url_for("facilitator.setup"))
    if request.method == "POST":
        f = facilitators.authenticate(request.form.get("email", ""), request.form.get("password", ""))
        if f is None:
            return render_template(
                "facilitator/login.html", error=_("Wrong e-mail or password."), form=request.form
            ), 401
        log_in(f)
        return redirect(safe_next(request.args.get("next")) or url_for("facilitator.dashboard"))
    return render_template("facilitator/login.html", error=None, form={})


@bp.post("/logout")
def logout() -> WResponse:
    """Ends this browser's login for real (a copied cookie stops working too); other devices stay in."""
    log_out()
    return redirect(url_for("facilitator.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Response:
    """Issue a personal API token; it is shown once and only its hash is kept."""
    token = facilitators.issue_api_token(_me()) if request.method == "POST" else None
    return _account_page(token=token)


def _account_page(token: str | None = None, error: str | None = None, status: int = 200) -> Response:
    me, this = _me(), current_session_id() or ""
    logins = [(row, login_sessions.is_current(row, this)) for row in login_sessions.of(me)]
    response = make_response(
        render_template(
            "facilitator/account.html",
            token=token,
            has_token=bool(me.api_token_hash),
            error=error,
            logins=logins,
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"  # the token must not stay in a cache or history
    return response


@bp.post("/account/password")
@login_required
def change_password() -> Response | WResponse:
    """A new password ends every other login of the account; this browser stays logged in."""
    try:
        facilitators.change_password(
            _me(),
            current=request.form.get("current_password"),
            new=request.form.get("new_password"),
            repeated=request.form.get("new_password2"),
            keep_session=current_session_id(),
        )
    except ServiceError as exc:
        return _account_page(error=message(exc), status=400)
    flash(_("Password changed. You are logged out everywhere else."), "ok")
    return redirect(url_for("facilitator.account"))


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere() -> WResponse:
    log_out(everywhere=True)
    flash(_("You are logged out on every device."), "ok")
    return redirect(url_for("facilitator.login"))


@bp.get("/")
def dashboard() -> str | WResponse:
    if not current_user.is_authenticated:
        return redirect(url_for("facilitator.login" if facilitators.any_exist() else "facilitator.setup"))
    return render_template(
        "facilitator/dashboard.html",
        conferences=memberships.visible_conferences(_me()),
        templates=TEMPLATES,
    )


@bp.route("/c/new", methods=["GET", "POST"])
@login_required
def new_conference() -> str | WResponse | tuple[str, int]:
    if request.method == "POST":
        form = request.form
        try:
            conf = evaluation.create_conference(
                _me(),
                # The measures' boxes are on the form whenever it offers some; none ticked: none evaluated.
                form.getlist("measure_id") if form.get("measures_offered") else None,
                title=form.get("title"),
                level=form.get("level") or None,
                template=form.get("template", "blank"),
                held_on=form.get("held_on"),
            )
        except ServiceError as exc:
            return _new_page(error=message(exc), form=form), 400
        flash(_("Conference created. Check the purpose and the agenda."), "ok")
        return redirect(url_for("facilitator.edit_conference", conference_id=conf.id))
    return _new_page(error=None, form=None)


def _new_page(error: str | None, form: Any) -> str:
    offered = evaluation.offered(_me())
    ticked = {int(i) for i in form.getlist("measure_id") if i.isdigit()} if form else {m.id for m in offered}
    return render_template(
        "facilitator/new.html",
        templates=TEMPLATES,
        error=error,
        form=form or {},
        offered=[(m, _(measures.STATUS_LABELS[m.status]), m.id in ticked) for m in offered],
        evaluating=" ".join(key for key, t in TEMPLATES.items() if t.evaluates),
    )


def _agenda_from_form(form: Any) -> list[dict[str, Any]]:
    items = []
    for kind, title, question, minutes in zip(
        form.getlist("kind"),
        form.getlist("round_title"),
        form.getlist("question"),
        form.getlist("minutes"),
        strict=False,
    ):
        if not (title.strip() or question.strip()) or kind not in ("group", "plenary"):
            continue
        items.append({"kind": kind, "title": title, "question": question, "minutes": minutes or None})
    return items


@bp.route("/c/<int:conference_id>/edit", methods=["GET", "POST"])
@login_required
def edit_conference(conference_id: int) -> str | WResponse | tuple[str, int]:
    conf = _conf(conference_id)
    if (page := _read_only(conf)) is not None:  # a POST was refused by `_conf` already
        return page
    locked = any(r.state != "pending" or r.groups for r in conf.rounds)
    if request.method == "POST":
        fields: dict[str, Any] = {
            "title": request.form.get("title"),
            "purpose": request.form.get("purpose"),
            "level": request.form.get("level"),
            "held_on": request.form.get("held_on"),
            "preparation": request.form.get("preparation", conf.preparation),
        }
        if not locked:
            fields["agenda"] = _agenda_from_form(request.form)
        try:
            conferences.update_conference(conf, **fields)
        except ServiceError as exc:
            db.session.rollback()
            return _edit_page(conf, locked, error=message(exc)), 400
        flash(_("Saved."), "ok")
        return redirect(url_for("facilitator.console", conference_id=conf.id))
    return _edit_page(conf, locked)


def _edit_page(conf: Conference, locked: bool, error: str | None = None) -> str:
    return render_template(
        "facilitator/edit.html",
        conf=conf,
        locked=locked,
        error=error,
        warnings=[] if error else [message(w) for w in conferences.agenda_warnings(conf)],
        attachments=[preparation.view(a) for a in preparation.attachments(conf)],
        measures=preparation.attachable_measures(_me(), conf),
        prep_open=preparation.is_open(conf),
    )


@bp.post("/c/<int:conference_id>/prep/attachments")
@login_required
def add_prep_attachment(conference_id: int) -> WResponse:
    conf = _conf(conference_id)
    form = request.form
    try:
        preparation.add_attachment(
            conf,
            _me(),
            title=form.get("title"),
            body=form.get("body"),
            url=form.get("url"),
            measure_id=form.get("measure_id") or None,
        )
    except ServiceError as exc:
        flash(_("Nothing was attached. %(problem)s", problem=message(exc)), "error")
    else:
        flash(_("Attached to the preparation page."), "ok")
    return redirect(url_for("facilitator.edit_conference", conference_id=conf.id) + "#preparation")


@bp.post("/c/<int:conference_id>/prep/attachments/<int:attachment_id>/delete")
@login_required
def remove_prep_attachment(conference_id: int, attachment_id: int) -> WResponse:
    conf = _conf(conference_id)
    try:
        preparation.remove_attachment(conf, attachment_id)
    except ServiceError as exc:
        flash(message(exc), "error")
    else:
        flash(_("Removed from the preparation page."), "ok")
    return redirect(url_for("facilitator.edit_conference", conference_id=conf.id) + "#preparation")


@bp.post("/c/<int:conference_id>/import")
@login_required
def import_participants(conference_id: int) -> WResponse:
    conf = _conf(conference_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV file first."), "error")
    else:
        try:
            people = conferences.import_participants(conf, upload.read())
        except ServiceError as exc:
            flash(_("Nothing was imported. %(problem)s", problem=message(exc)), "error")
        else:
            flash(_("%(n)d participants imported.", n=len(people)), "ok")
    return redirect(url_for("facilitator.console", conference_id=conf.id))


def _read_only(conf: Conference) -> str | None:
    """The conference's page for someone who may read it but not run it (steering group, viewer): what it
    is and its report, without the console's controls, which the server would refuse them anyway."""
    if memberships.can(_me(), "conference.run", conf):
        return None
    return render_template("facilitator/conference_read.html", conf=conf)


@bp.get("/c/<int:conference_id>")
@login_required
def console(conference_id: int) -> str:
    conf = _conf(conference_id)
    if (page := _read_only(conf)) is not None:
        return page
    return render_template(
        "facilitator/console.html",
        conf=conf,
        strings=console_strings(),
        join_url=external_url("participant.join", code=conf.join_code),
        loopback_only=public_base().loopback_only,
    )


@bp.get("/c/<int:conference_id>/board")
@login_required
def board(conference_id: int) -> str:
    """The clustering board: bullets into clusters, suggestions, dot vote, 'make initiative'."""
    conf = _conf(conference_id)
    if (page := _read_only(conf)) is not None:
        return page
    return render_template("facilitator/board.html", conf=conf, strings=board_strings())


@bp.get("/c/<int:conference_id>/initiatives/<int:initiative_id>")
@login_required
def initiative(conference_id: int, initiative_id: int) -> str | WResponse:
    conf = _conf(conference_id)
    try:
        item = initiatives.get(conf, initiative_id)
    except ServiceError:
        abort(404)
    if not memberships.can(_me(), "conference.run", conf):  # readers read the plan on the measure's page
        return redirect(url_for("facilitator.measure", measure_id=item.id))
    return render_template(
        "facilitator/initiative.html",
        conf=conf,
        initiative=item,
        status_label=measures.STATUS_LABELS[item.status],
        rounds={r.id: r.title for r in conf.rounds},
        tables={g.id: g.number for r in conf.rounds for g in r.groups},
        strings=initiative_strings(),
    )


@bp.get("/c/<int:conference_id>/qr")
@login_required
def poster(conference_id: int) -> str:
    conf = _conf(conference_id)
    return render_template(
        "facilitator/poster.html",
        conf=conf,
        join_url=external_url("participant.join", code=conf.join_code),
        enter_url=external_url("participant.enter_code"),
        loopback_only=public_base().loopback_only,
    )


@bp.get("/c/<int:conference_id>/rounds/<int:round_id>/cards")
@login_required
def table_cards(conference_id: int, round_id: int) -> str:
    """One printable page per table, for halls where half the people have no phone at hand."""
    conf = _conf(conference_id)
    try:
        rnd = access.round_in(conf, round_id)
    except ServiceError:
        abort(404)
    return render_template(
        "facilitator/cards.html",
        conf=conf,
        rnd=rnd,
        join_url=external_url("participant.join", code=conf.join_code),
    )


@bp.get("/qr/<code>.svg")
def qr(code: str) -> Response:
    """The join QR code (public: it only encodes the public join URL)."""
    conf = db.session.scalar(select(Conference).where(Conference.join_code == code))
    if conf is None:
        abort(404)
    svg = qr_svg_bytes(external_url("participant.join", code=conf.join_code))
    # no-cache: the address in it follows the network (a switch to a phone hotspot gives a new code)
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-cache"})


@bp.get("/c/<int:conference_id>/report.docx")
@login_required
def report(conference_id: int) -> Response | WResponse:
    try:
        return report_response(_conf(conference_id), lang=current_lang())
    except ServiceError as exc:  # the export took too long or failed: say so on the console
        flash(message(exc), "error")
        return redirect(url_for("facilitator.console", conference_id=conference_id))


@bp.get("/p/<key>")
def projector(key: str) -> str | tuple[str, int]:
    """The big screen: read-only, reached by an unguessable key rather than a login."""
    conf = db.session.scalar(select(Conference).where(Conference.projector_key == key))
    if conf is None:
        # A deleted conference leaves no trace to tell it from a wrong link: the message says both.
        return render_template(
            "error.html",
            title=_("No conference here"),
            message=_(
                "This screen's link leads to no conference: it has been deleted, "
                "or the link was replaced. Ask the facilitator for the projector link."
            ),
        ), 404
    return render_template(
        "facilitator/projector.html",
        conf=conf,
        strings=projector_strings(),
        join_url=external_url("participant.join", code=conf.join_code),
        page_seconds=current_app.config["PROJECTOR_PAGE_SECONDS"],
    )
