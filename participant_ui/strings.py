"""UI text the phone's script needs, translated on the server (no inline scripts: CSP)."""

from __future__ import annotations

from flask_babel import gettext as _


def phone_strings() -> dict[str, object]:
    return {
        "online": _("Connected"),
        "offline": _("No connection – your points are kept on this phone and sent when the network is back."),
        "waiting": _("Welcome, %(name)s! Wait for the facilitator to start."),
        "your_table": _("You are at table %(n)s"),
        "with": _("with"),
        "leader": _("group leader"),
        "reporter": _("reporter"),
        "you": _("you"),
        "choose_reporter": _("Choose the reporter for your table"),
        "set_reporter": _("Appoint reporter"),
        "question": _("Question"),
        "time_left": _("Time left"),
        "points": _("The table's points"),
        "no_points": _("No points yet."),
        "write_point": _("Write a short point"),
        "send": _("Send"),
        "edit": _("Edit"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "delete": _("Delete"),
        "confirm_delete": _("Delete this point?"),
        "mark": _("Point for plenary"),
        "unmark": _("Remove plenary mark"),
        "plenary_point": _("Point for plenary"),
        "waiting_to_send": _("%(n)s points waiting to be sent"),
        "one_waiting": _("1 point waiting to be sent"),
        "not_reporter": _("The reporter writes the table's points. You see them here as they come."),
        "plenary": _("Plenary"),
        "now_reporting": _("Now reporting: table %(n)s"),
        "notes": _("Plenary notes"),
        "write_note": _("Write a note"),
        "finished": _("The conference is finished. Thank you for your contribution!"),
        "removed": _("You have been removed from this conference."),
        "rejected": _("Not saved: %(message)s"),
        "chars": _("%(n)s of %(max)s characters"),
        "too_long": _("Too long: at most %(max)s characters."),
        "no_table": _("You have no table in this round yet. Tell the facilitator."),
        "finding_table": _("The tables are ready. Finding yours …"),
        "next_up": _("Next up"),
        "pupil_hint": _("Tip: write so that no pupil can be recognised."),
        "pupil_warning": _(
            "This point may name a pupil. Notes from the conference must not identify anyone: "
            "consider writing it without the name."
        ),
        "vote": _("Vote: what matters most?"),
        "dots_left": _("You have %(n)s of %(max)s dots left."),
        "cast": _("Give a dot"),
        "retract": _("Take a dot back"),
        "vote_closed": _("The vote is closed. The result:"),
        "dots_n": _("%(n)s dots"),
        "outcomes": _("What became of our points"),
        "outcomes_hint": _("These development measures grew from points written at your tables."),
        "status": {
            "draft": _("Draft"),
            "proposed": _("Proposed to the steering group"),
            "decided": _("Decided"),
        },
    }
