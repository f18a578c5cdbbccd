"""UI text the phone's script needs, translated on the server (no inline scripts: CSP)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import ngettext

from confapp.services.evaluation import QUESTIONS as EVALUATION_QUESTIONS
from confapp.services.measures import STATUS_LABELS


def _forms(make: Callable[[int], str]) -> dict[str, str]:
    """Both plural forms of a message for the script, with `%(n)s` left in for it to fill.

    bokmål, nynorsk and English share one rule (`one` for n == 1, else `other`); `plural()` in
    confapp/static/js/live.js applies it. A language with other rules needs more forms here.
    """
    return {"one": make(1), "other": make(2)}


def name_count_forms() -> dict[str, str]:
    """The join page's "N names match", for join.js's filter-as-you-type."""
    return _forms(lambda k: ngettext("%(n)s name matches", "%(n)s names match", k, n="%(n)s"))


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
        "waiting_to_send": _forms(
            lambda k: ngettext(
                "%(n)s point waiting to be sent", "%(n)s points waiting to be sent", k, n="%(n)s"
            )
        ),
        "not_reporter": _("The reporter writes the table's points. You see them here as they come."),
        "plenary": _("Plenary"),
        "now_reporting": _("Now reporting: table %(n)s"),
        "notes": _("Plenary notes"),
        "write_note": _("Write a note"),
        "finished": _("The conference is finished. Thank you for your contribution!"),
        "removed": _("You have been removed from this conference."),
        "deleted": _("This conference has been deleted, with everything in it."),
        "rejected": _("Not saved: %(message)s"),
        "chars": _("%(n)s / %(max)s"),
        "too_long": _(
            "Too long to send: %(n)s characters, at most %(max)s. "
            "Shorten it, or split it into several points."
        ),
        "no_table": _("You have no table in this round yet. Tell the facilitator."),
        "finding_table": _("The tables are ready. Finding yours …"),
        "next_up": _("Next up"),
        "pupil_hint": _("Tip: write so that no pupil can be recognised."),
        "pupil_warning": _(
            "This point may name a pupil. Notes from the conference must not identify anyone: "
            "consider writing it without the name."
        ),
        "vote": _("Vote: what matters most?"),
        "dots_left": _forms(
            lambda k: ngettext(
                "You have %(n)s of %(max)s dot left.",
                "You have %(n)s of %(max)s dots left.",
                k,
                n="%(n)s",
                max="%(max)s",
            )
        ),
        "cast": _("Give a dot"),
        "retract": _("Take a dot back"),
        "vote_closed": _("The vote is closed. The result:"),
        "dots_n": _forms(lambda k: ngettext("%(n)s dot", "%(n)s dots", k, n="%(n)s")),
        "cluster_points": _forms(lambda k: ngettext("%(n)s point", "%(n)s points", k, n="%(n)s")),
        "outcomes": _("What became of our points"),
        "outcomes_hint": _("These development measures grew from points written at your tables."),
        "status": {key: _(label) for key, label in STATUS_LABELS.items()},
        "evaluate_measure": _("Your table evaluates"),
        "evaluation_questions": _("Discuss and write points on"),
        "questions": {field: _(label) for field, label in EVALUATION_QUESTIONS},
        "the_plan": _("The measure's plan"),
        "plan_goal": _("Goal"),
        "plan_content": _("What the measure consists of"),
        "plan_coordinator": _("Coordinator"),
        "plan_participants": _("Who takes part in the trial"),
        "plan_timeframe": _("Time frame and progress plan"),
        "log_entries": _forms(
            lambda k: ngettext(
                "The coordinator's log (%(n)s entry, the latest first)",
                "The coordinator's log (%(n)s entries, the latest first)",
                k,
                n="%(n)s",
            )
        ),
        "no_log": _("Nothing logged yet."),
    }
