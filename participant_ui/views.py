"""Phone pages. Light on purpose: they load on a venue's Wi-Fi; everything live comes over the socket."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WResponse

from confapp.auth import participant_cookie
from confapp.errors import ServiceError
from confapp.models import Conference, Participant
from confapp.services import bullets, groups, participants, preparation
from confapp.services.conferences import normalise_join_code
from confapp.web.limits import join_limits, limited
from confapp.web.public_url import external_url, is_https
from confapp.web.responses import message
from participant_ui.strings import name_count_forms, phone_strings

bp = Blueprint(
    "participant",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/phone",
)

COOKIE_MAX_AGE = 14 * 24 * 3600  # a conference day plus the follow-up weeks

ROLE_SUGGESTIONS = [
    "Lærer",
    "Assistent",
    "Miljøterapeut",
    "Sosiallærer",
    "Helsesykepleier",
    "PPT-rådgiver",
    "Barnevernspedagog",
    "Rektor",
    "Avdelingsleder",
    "Inspektør",
    "Spesialpedagog",
    "Skoleeier",
    "Annet",
]


@bp.after_request
def _no_store(response: Response) -> Response:
    """Phone pages carry the phone's identity (its cookie is set here): no cache may keep them."""
    if request.endpoint != "participant.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def _current(conf: Conference):  # type: ignore[no-untyped-def]
    p = participants.by_token(request.cookies.get(participant_cookie(conf)))
    return p if p is not None and p.conference_id == conf.id else None


@bp.get("/j")
def enter_code() -> str | WResponse:
    code = request.args.get("code", "").strip()
    if code:
        return redirect(url_for("participant.join", code=code))
    return render_template("participant/enter_code.html")


@bp.route("/j/<code>", methods=["GET", "POST"])
@limited(join_limits)
def join(code: str) -> str | WResponse | tuple[str, int]:
    try:
        conf = participants.conference_by_code(code)
    except ServiceError as exc:
        return render_template("participant/enter_code.html", error=message(exc), code=code), 404
    if _current(conf) is not None:
        return redirect(url_for("participant.phone", code=conf.join_code))
    if request.method == "GET" and "join" not in request.args and preparation.is_open(conf):
        return _prep_page(conf)
    error = None
    if request.method == "POST":
        try:
            p, token = participants.join(
                conf,
                client_uuid=request.form.get("join_key"),
                name=request.form.get("name"),
                role=request.form.get("role"),
                claim_id=request.form.get("claim_id") or None,
            )
        except ServiceError as exc:
            error = message(exc)
        else:
            response = redirect(url_for("participant.phone", code=conf.join_code))
            response.set_cookie(
                participant_cookie(conf),
                token,
                max_age=COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=is_https(),
            )
            return response
    query = request.args.get("q", "").strip()[:80]
    return render_template(
        "participant/join.html",
        conf=conf,
        has_names=bool(participants.joinable_names(conf)),
        names=participants.joinable_names(conf, query),
        query=query,
        count_forms=name_count_forms(),
        roles=ROLE_SUGGESTIONS,
        error=error,
        form=request.form,
        # One key per rendered page: submitting this page twice is one join (services/idempotency.py).
        # A failed submit keeps its key, since nothing was written under it.
        join_key=request.form.get("join_key") or str(uuid.uuid4()),
    ), (400 if error else 200)


def _prep_page(
    conf: Conference, error: str | None = None, text: str = "", key: str | None = None
) -> tuple[str, int]:
    """Before the start: what to read and think about, a box for one's own points, how to join on the day.

    Each rendered form carries a new UUID (kept after a failed send, since nothing was written under it):
    sending the same form twice is one point (services/preparation.py).
    """
    page = render_template(
        "participant/prepare.html",
        conf=conf,
        prep=preparation.page(conf),
        join_url=external_url("participant.join", code=conf.join_code),
        point_max=bullets.BULLET_MAX,
        new_uuid=key or str(uuid.uuid4()),
        error=error,
        text=text,
    )
    return page, (400 if error else 200)


@bp.post("/j/<code>/prep")
@limited(join_limits)
def send_prep_point(code: str) -> tuple[str, int] | WResponse:
    """A participant's own point before the conference: no name, no account, one UUID per form."""
    try:
        conf = participants.conference_by_code(code)
    except ServiceError as exc:
        return render_template("participant/enter_code.html", error=message(exc), code=code), 404
    form = request.form
    try:
        preparation.post_input(
            conf,
            client_uuid=form.get("uuid"),
            text_=form.get("text"),
            per_minute=current_app.config.get("PREP_POINTS_PER_MINUTE", preparation.INPUTS_PER_MINUTE),
        )
    except ServiceError as exc:
        if exc.code == "started":  # the conference began meanwhile: the link now joins it
            flash(message(exc), "error")
            return redirect(url_for("participant.join", code=conf.join_code), code=303)
        return _prep_page(conf, error=message(exc), text=form.get("text", ""), key=form.get("uuid"))
    flash(_("Thank you. Your point will be on the facilitator's board, without your name."), "ok")
    return redirect(url_for("participant.join", code=conf.join_code), code=303)


def _phone_owner(code: str) -> tuple[Conference, Participant] | WResponse:
    """This phone's conference and person, or where to send a phone that has neither."""
    try:
        conf = participants.conference_by_code(code)
    except ServiceError:
        return redirect(url_for("participant.enter_code"))
    me = _current(conf)
    if me is None:
        return redirect(url_for("participant.join", code=conf.join_code))
    return conf, me


@bp.get("/m/<code>")
def phone(code: str) -> tuple[str, int] | WResponse:
    if not participants.code_exists(normalise_join_code(code)):
        # A phone's link to a conference that is gone (deleted, or a mistyped link): say so, not a bare 404.
        return render_template(
            "error.html",
            title=_("No conference here"),
            message=_(
                "This link leads to no conference: it has been deleted, or the link is wrong. "
                "If you have a code from the screen, enter it again."
            ),
            back=url_for("participant.enter_code"),
        ), 404
    owner = _phone_owner(code)
    return owner if not isinstance(owner, tuple) else _phone_page(*owner)


def _phone_page(
    conf: Conference, me: Participant, error: str | None = None, text: str = ""
) -> tuple[str, int]:
    # Drawn with the phone's table (and, for its reporter, a working form): on a slow link the
    # socket is seconds away, and the form posts even without JavaScript.
    table = groups.my_table(conf, me)
    page = render_template(
        "participant/phone.html",
        conf=conf,
        me=me,
        table=table,
        can_write=table is not None and bullets.may_write(table, me),
        new_uuid=str(uuid.uuid4()),
        error=error,
        text=text,
        strings=phone_strings(),
    )
    return page, (400 if error else 200)


@bp.post("/m/<code>/points")
def post_point(code: str) -> tuple[str, int] | WResponse:
    """The phone page's form before (or without) JavaScript: same service, same UUID idempotency."""
    owner = _phone_owner(code)
    if not isinstance(owner, tuple):
        return owner
    conf, me = owner
    form = request.form
    try:
        bullets.post(
            conf,
            me,
            group_id=form.get("group_id"),
            client_uuid=form.get("uuid"),
            text_=form.get("text"),
            per_minute=current_app.config["POINTS_PER_MINUTE"],
        )
    except ServiceError as exc:
        return _phone_page(conf, me, error=message(exc), text=form.get("text", ""))
    flash(_("Your point was sent."), "ok")
    return redirect(url_for("participant.phone", code=conf.join_code), code=303)


@bp.post("/m/<code>/not-me")
def not_me(code: str) -> WResponse:
    """The phone says "this isn't me" about a name claimed from the list: free it, forget this phone.

    The cookie goes in every case: either the name is released, or it is no longer this phone's anyway.
    """
    conf = participants.conference_by_code(code)
    try:
        released = participants.release_claim(
            conf, request.form.get("participant_id"), request.cookies.get(participant_cookie(conf))
        )
    except ServiceError as exc:
        flash(message(exc), "error")
    else:
        flash(_("%(name)s is free again. Choose your own name.", name=released.display_name), "ok")
    response = redirect(url_for("participant.join", code=conf.join_code), code=303)
    response.delete_cookie(participant_cookie(conf))
    return response


@bp.post("/m/<code>/leave")
def leave(code: str) -> Response | WResponse:
    """Forget this phone's identity (a shared phone handed to the next person)."""
    conf = participants.conference_by_code(code)
    response = redirect(url_for("participant.join", code=conf.join_code))
    response.delete_cookie(participant_cookie(conf))
    return response


__all__ = ["bp", "_"]
