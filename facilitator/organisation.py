"""The administrator's page for the organisation's people: members and their roles, invitations to
invite, copy and revoke. A conference's facilitators invite co-facilitators from their own page.

Each view parses the form and calls one service; `memberships.can` decides who may.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WResponse

from confapp import mail
from confapp.errors import ServiceError
from confapp.models import Conference, Organisation
from confapp.services import conferences, invitations, memberships, organisations
from confapp.web.public_url import external_url
from confapp.web.responses import message
from facilitator.accounts import invitation_mail
from facilitator.views import _conf, _me, bp


def _org() -> Organisation:
    """The organisation, if this account administers it; others get the status `require` gives."""
    org = organisations.default()
    try:
        memberships.require(_me(), "organisation.manage", org)
    except ServiceError as exc:
        abort(exc.status)
    return org


def _invite(org: Organisation | None, conference: Conference | None, role: str | None) -> tuple[str, bool]:
    """One invitation: its link to copy, and whether it also went by mail."""
    inv, token = invitations.create(
        request.form.get("email"), role=role, by=_me(), organisation=org, conference=conference
    )
    link = external_url("facilitator.accounts.invitation", token=token)
    mailed = mail.configured() and invitation_mail(inv.email, link, inv.role) is not None
    return link, mailed


def _members_page(org: Organisation, *, link: str | None = None, mailed: bool = False,
                  error: str | None = None) -> tuple[str, int]:  # fmt: skip
    page = render_template(
        "facilitator/members.html",
        org=org,
        members=memberships.members(org),
        invitations=invitations.open_of(org),
        roles=memberships.ROLE_LABELS,
        all_roles=invitations.ROLE_LABELS,
        invite_roles={
            r: label for r, label in invitations.ROLE_LABELS.items() if r != invitations.CO_FACILITATOR
        },
        link=link,
        mailed=mailed,
        error=error,
        me=_me(),
    )
    return page, 400 if error else 200


@bp.get("/organisation/members")
@login_required
def members() -> tuple[str, int]:
    return _members_page(_org())


@bp.post("/organisation/invitations")
@login_required
def invite_member() -> tuple[str, int]:
    """The link is shown here to copy (only now: only its hash is kept), and mailed when SMTP is set."""
    org = _org()
    try:
        link, mailed = _invite(org, None, request.form.get("role"))
    except ServiceError as exc:
        return _members_page(org, error=message(exc))
    return _members_page(org, link=link, mailed=mailed)


@bp.post("/organisation/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(invitation_id: int) -> WResponse:
    org = _org()
    try:
        invitations.revoke_one(_me(), org, invitation_id)
    except ServiceError as exc:
        flash(message(exc), "error")
    else:
        flash(_("The invitation no longer works."), "ok")
    return redirect(url_for("facilitator.members"))


@bp.post("/organisation/members/<int:member_id>/role")
@login_required
def member_role(member_id: int) -> WResponse:
    org = _org()
    try:
        member = memberships.change_role(_me(), org, member_id, request.form.get("role"))
    except ServiceError as exc:
        flash(message(exc), "error")
    else:
        flash(_("%(name)s is now: %(role)s", name=member.facilitator.name,
                role=_(memberships.ROLE_LABELS[member.role])), "ok")  # fmt: skip
    return redirect(url_for("facilitator.members"))


@bp.post("/organisation/members/<int:member_id>/remove")
@login_required
def member_remove(member_id: int) -> WResponse:
    org = _org()
    try:
        memberships.remove(_me(), org, member_id)
    except ServiceError as exc:
        flash(message(exc), "error")
    else:
        flash(_("The member's role has ended."), "ok")
    return redirect(url_for("facilitator.members"))


@bp.route("/c/<int:conference_id>/co-facilitators", methods=["GET", "POST"])
@login_required
def co_facilitators(conference_id: int) -> tuple[str, int]:
    """A conference's facilitators invite a colleague to run it with them."""
    conf = _conf(conference_id)
    if not memberships.can(_me(), "conference.run", conf):
        abort(403)
    link, mailed, error = None, False, None
    if request.method == "POST":
        try:
            link, mailed = _invite(None, conf, invitations.CO_FACILITATOR)
        except ServiceError as exc:
            error = message(exc)
    page = render_template(
        "facilitator/co_facilitators.html", conf=conf, link=link, mailed=mailed, error=error, me=_me()
    )
    return page, 400 if error else 200


@bp.post("/c/<int:conference_id>/co-facilitators/<int:facilitator_id>/remove")
@login_required
def remove_co_facilitator(conference_id: int, facilitator_id: int) -> WResponse:
    """Take a colleague off the conference: their pages and live consoles lose it at once."""
    conf = _conf(conference_id)
    try:
        gone = conferences.remove_facilitator(_me(), conf, facilitator_id)
    except ServiceError as exc:
        flash(message(exc), "error")
    else:
        flash(_("%(name)s no longer runs this conference.", name=gone.name), "ok")
    return redirect(url_for("facilitator.co_facilitators", conference_id=conf.id))


@bp.app_context_processor
def _policy() -> dict[str, object]:
    """Pages show only what the account may do; the routes check again."""
    return {"can": memberships.can, "default_organisation": organisations.default}
