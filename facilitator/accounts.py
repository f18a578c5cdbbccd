"""Getting into an account without the password at hand: forgotten password (and Feide login).

A nested blueprint of `facilitator`; each view parses the form and calls one service.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.base_client import OAuthError
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WResponse

from confapp import mail, oidc
from confapp.auth import log_in
from confapp.errors import ServiceError
from confapp.services import external_logins, invitations, password_resets
from confapp.web.limits import limited, limiter
from confapp.web.public_url import external_url
from confapp.web.responses import message

bp = Blueprint("accounts", __name__)

# Every request for a link may send a mail: a few per address asked for, and per client, an hour.
reset_limits = [
    limiter.limit("30 per hour", methods=["POST"], scope="reset-client"),
    limiter.limit(
        "5 per hour",
        key_func=lambda: (request.form.get("email") or "").strip().lower()[:254],
        methods=["POST"],
        scope="reset-account",
    ),
]


def reset_mail(to: str, link: str) -> None:
    """The mail with the link, in the language of the page that asked for it."""
    minutes = int(password_resets.LIFETIME.total_seconds() // 60)
    body = _(
        "Someone (hopefully you) asked to set a new password for confapp.\n\n"
        "Open this link within %(minutes)d minutes to choose a new password:\n%(link)s\n\n"
        "The link works once. If you did not ask for it, ignore this mail: your password stays as it is.",
        minutes=minutes,
        link=link,
    )
    mail.send(to=to, subject=_("A new password for confapp"), body=body)


@bp.route("/login/forgot", methods=["GET", "POST"])
@limited(reset_limits)
def forgot() -> str:
    """The same answer whether or not the address has an account; the mail goes out in the background."""
    sent = False
    if request.method == "POST":
        found = password_resets.request_link(request.form.get("email"))
        if found is not None and mail.configured():
            f, token = found
            reset_mail(f.email, external_url("facilitator.accounts.reset", token=token))
        sent = True
    return render_template("facilitator/forgot.html", sent=sent, mails=mail.configured())


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> str | WResponse | tuple[str, int]:
    try:
        password_resets.check(token)
    except ServiceError as exc:
        return render_template("facilitator/reset.html", dead=message(exc), error=None), 410
    error = None
    if request.method == "POST":
        try:
            password_resets.complete(
                token, new=request.form.get("new_password"), repeated=request.form.get("new_password2")
            )
        except ServiceError as exc:
            error = message(exc)
        else:
            flash(_("Your new password is set, and every earlier login has ended. Log in with it."), "ok")
            return redirect(url_for("facilitator.login"))
    page = render_template("facilitator/reset.html", dead=None, error=error)
    return (page, 400) if error else page


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str) -> str | WResponse | tuple[str, int]:
    """Accept an invitation: choose a name and a password (or log in with Feide, when offered)."""
    try:
        inv = invitations.check(token)
    except ServiceError as exc:
        return render_template("facilitator/invitation.html", dead=message(exc), inv=None, error=None), 410
    error = None
    if invitations.account_exists(inv):  # a colleague with an account: accept logged in as it
        return _accept_existing(token, inv)
    if request.method == "POST":
        try:
            f = invitations.accept_with_password(
                token,
                name=request.form.get("name"),
                password=request.form.get("password"),
                repeated=request.form.get("password2"),
            )
        except ServiceError as exc:
            error = message(exc)
        else:
            log_in(f)
            flash(_("Welcome! Your account is ready."), "ok")
            return redirect(url_for("facilitator.dashboard"))
    page = render_template(
        "facilitator/invitation.html",
        dead=None,
        inv=inv,
        error=error,
        form=request.form,
        existing=False,
        role=_(invitations.ROLE_LABELS[inv.role]),
    )
    return (page, 400) if error else page


def _accept_existing(token: str, inv: Any) -> str | WResponse | tuple[str, int]:
    error = None
    if request.method == "POST" and current_user.is_authenticated:
        try:
            invitations.accept_as(token, current_user._get_current_object())  # type: ignore[attr-defined]
        except ServiceError as exc:
            error = message(exc)
        else:
            flash(_("The invitation is accepted."), "ok")
            return redirect(url_for("facilitator.dashboard"))
    page = render_template(
        "facilitator/invitation.html",
        dead=None,
        inv=inv,
        error=error,
        form={},
        existing=True,
        role=_(invitations.ROLE_LABELS[inv.role]),
    )
    return (page, 400) if error else page


def invitation_mail(to: str, link: str, role: str = "facilitator") -> Any:
    """The invitation by mail (when SMTP is configured); returns the sending handle, or None."""
    days = invitations.LIFETIME.days
    body = _(
        "You are invited to confapp, the tool for dialogue conferences, as: %(role)s.\n\n"
        "Open this link within %(days)d days to accept:\n%(link)s\n\n"
        "The link works once.",
        role=_(invitations.ROLE_LABELS.get(role, role)),
        days=days,
        link=link,
    )
    return mail.send(to=to, subject=_("Your invitation to confapp"), body=body)


@bp.get("/login/oidc")
def oidc_login() -> WResponse | tuple[str, int]:
    """Off to the provider (Feide): code flow with PKCE, `state`, and a nonce kept in the session."""
    if not oidc.configured():
        abort(404)
    redirect_uri = external_url("facilitator.accounts.oidc_callback")
    try:
        return oidc.client().authorize_redirect(redirect_uri, nonce=oidc.new_nonce())  # type: ignore[no-any-return]
    except OSError as exc:  # discovery failed: the provider is down or unreachable
        current_app.logger.warning("OpenID provider unreachable: %s", exc)
        return _login_page(
            _("Feide could not be reached. Try again in a moment, or log in with your password.")
        )


@bp.get("/login/oidc/callback")
def oidc_callback() -> WResponse | tuple[str, int]:
    """Back from the provider: the code is exchanged, the ID token checked, the account found (or not)."""
    if not oidc.configured():
        abort(404)
    nonce = oidc.take_nonce()
    client = oidc.client()
    try:
        if request.args.get("error"):
            raise ServiceError("oidc_refused", oidc.REFUSED)
        token = client.authorize_access_token()
        metadata = client.load_server_metadata()
        claims = oidc.verify_id_token(
            token.get("id_token"),
            keys=oidc.key_set(client.fetch_jwk_set()),
            issuer=str(current_app.config["OIDC_ISSUER"]).rstrip("/"),
            client_id=client.client_id,
            nonce=nonce,
        )
        if "email" not in claims and metadata.get("userinfo_endpoint"):
            extra = client.userinfo(token=token)
            if extra.get("sub") == claims["sub"]:  # OIDC Core 5.3.2: only the same subject's claims
                claims = {**extra, **claims}
        f = external_logins.account_for(
            issuer=claims["iss"],
            subject=claims["sub"],
            email=claims.get("email"),
            email_verified=claims.get("email_verified"),
            name=claims.get("name"),
        )
    except (OAuthError, OSError) as exc:  # also the provider's token or key endpoint unreachable
        current_app.logger.warning("OpenID Connect login failed: %s", exc)
        return _login_page(oidc.REFUSED)
    except ServiceError as exc:
        return _login_page(message(exc))
    log_in(f)
    return redirect(url_for("facilitator.dashboard"))


def _login_page(error: str) -> tuple[str, int]:
    return render_template("facilitator/login.html", error=error, form={}), 403
