"""UI text the console and projector scripts need, translated on the server (no inline scripts)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from confapp.errors import N_
from confapp.services.measures import STATUS_LABELS

# The console and the board say it when the server closes their connection: a colleague removed this person.
ACCESS_ENDED = N_(
    "You no longer have access to this conference. Ask one of its facilitators if you need it again."
)


def _plural(one: str, other: str) -> dict[str, str]:
    """Both forms of a count for the browser, which picks one by n.

    nb, nn and en all use one form for 1 and another for everything else, so two plain strings do.
    """
    return {"one": one, "other": other}


def _point_count() -> dict[str, str]:
    """ "N points" as true plural forms: bokmål says "1 punkt" but "0 punkter" and "6 punkter"."""
    return _plural(
        ngettext("%(n)s point", "%(n)s points", 1, n="%(n)s"),
        ngettext("%(n)s point", "%(n)s points", 2, n="%(n)s"),
    )


def console_strings() -> dict[str, object]:
    return {
        "online": _("Live"),
        "offline": _("Connection lost – reconnecting…"),
        "group": _("Group round"),
        "plenary": _("Plenary"),
        "pending": _("Not started"),
        "active": _("Running"),
        "done": _("Held"),
        "start": _("Start"),
        "start_round": _("Start this round"),
        "start_plenary": _("Start plenary"),
        "extend": _("+5 min"),
        "finish": _("End the conference"),
        "confirm_finish": _("End the conference? Phones will show that it is over."),
        "finished": _("The conference is finished. Download the report below."),
        "deleted": _("This conference has been deleted, with everything in it."),
        "access_ended": _(ACCESS_ENDED),
        "propose": _("Propose groups"),
        "repropose": _("Propose again"),
        "group_size": _("People per table"),
        "publish": _("Show tables on phones"),
        "published": _("Tables are shown on the phones."),
        "not_published": _("Draft: phones do not see these tables yet."),
        "table": _("Table %(n)s"),
        "leader": _("Group leader"),
        "reporter": _("Reporter"),
        "none": _("– none –"),
        "no_groups": _("No tables yet. Propose groups when people have joined."),
        "unseated": _("Without a table"),
        "points": _point_count(),
        "no_points": _("No points yet."),
        "plenary_point": _("Point for plenary"),
        "focus": _("Show on projector"),
        "prev": _("Previous table"),
        "next": _("Next table"),
        "notes": _("Plenary notes"),
        "write_note": _("Write a note from the plenary"),
        "about_table": _("About table"),
        "whole_plenary": _("The whole plenary"),
        "save_note": _("Save note"),
        "minute_taker": _("Minute-taker (writes notes from a phone)"),
        "participants": _("Participants"),
        "joined": _("%(n)s joined"),
        "imported_waiting": _("%(n)s on the list have not joined yet"),
        "remove": _("Remove"),
        "confirm_remove": _("Remove %(name)s from the conference?"),
        "question": _("Question"),
        "reports_on": _("Reports from: %(title)s"),
        "drag_hint": _(
            "Drag people between tables; whoever you place by hand is pinned "
            "and stays when you propose again."
        ),
        "error": _("Could not save: %(message)s"),
        "nothing_selected": _("Choose an item in the agenda."),
        "strategy": _("How to mix"),
        "strategies": {
            "mixed": _("Mixed roles and units"),
            "by:role": _("Same role together"),
            "by:unit": _("Same unit or school together"),
            "by:grade_team": _("Same grade team together"),
            "by:measure": _("Trial teams at their measure's table"),
            "random": _("Random"),
            "keep": _("Keep the previous tables"),
        },
        "pin": _("Pin to this table (kept when you propose again)"),
        "unpin": _("Unpin"),
        "cards": _("Print table cards"),
        "confirm_anonymise": _(
            "Replace every participant's name with 'Deltaker N' in the database, the event log and all "
            "exports, and clear units and grade teams? The projector gets a new link. Backups taken "
            "before keep the names. This cannot be undone."
        ),
        "confirm_delete_conference": _(
            "Delete this conference and everything in it, its event log included? Backups taken before "
            "still hold it. This cannot be undone."
        ),
        "type_title": _("Type the conference title to confirm: %(title)s"),
        "delete_for_good": _("Delete for good"),
        "anonymise_for_good": _("Anonymise for good"),
        "cancel": _("Cancel"),
        "preview_title": _("Proposed tables"),
        "preview_hint": _(
            "Check the tables below and move people if needed. The phones see them when you start the round."
        ),
        "confirm_start": _("Start the round with these tables"),
        "undo": _("Undo (%(s)s s)"),
        "undo_started": _("“%(title)s” has started. Wrong click?"),
        "undo_finished": _("The conference was ended. Wrong click?"),
        "evaluate_measures": _("Measures this round evaluates"),
        "ordinary_round": _(
            "An ordinary round for now. Tick the measures to evaluate and save: table 1 evaluates the first, "
            "table 2 the second, and so on."
        ),
        "evaluates_n": _(
            "An evaluation round of %(n)s measures: table 1 evaluates the first, table 2 the second, "
            "and so on."
        ),
        "other_measures": _("Other measures (%(n)s)"),
        "save_measures": _("Evaluate the ticked measures"),
        "make_ordinary": _("Make it an ordinary round"),
    }


def projector_strings() -> dict[str, object]:
    return {
        "join": _("Join on your phone"),
        "welcome": _("Welcome"),
        "table": _("Table %(n)s"),
        "no_points": _("No points from this table."),
        "plenary_point": _("Point for plenary"),
        "who_sits_where": _("Who sits where"),
        "notes": _("Plenary notes"),
        "finished": _("Thank you for your contributions!"),
        "points": _point_count(),
        "vote_open": _("Vote on your phone: give your dots to what matters most"),
        "vote_result": _("Result of the vote"),
        "evaluates": _("Evaluates the measure"),
        "status": {key: _(label) for key, label in STATUS_LABELS.items()},
        "deleted": _("This conference has been deleted, with everything in it."),
    }


def board_strings() -> dict[str, object]:
    return {
        "access_ended": _(ACCESS_ENDED),
        "online": _("Live"),
        "offline": _("Connection lost – reconnecting…"),
        "unclustered": _("Not sorted yet"),
        "new_cluster": _("New cluster"),
        "new_cluster_title": _("Name of the new cluster"),
        "create": _("Create"),
        "propose": _("Suggest clusters"),
        "undo": _("Undo last move"),
        "nothing_to_undo": _("Nothing to undo."),
        "all_rounds": _("All rounds"),
        "all_tables": _("All tables"),
        "table": _("Table %(n)s"),
        "move_to": _("Move to…"),
        "suggested": _("Suggested: %(title)s"),
        "accept": _("Accept"),
        "make_initiative": _("Make initiative"),
        "open_initiative": _("Open initiative"),
        "merge_into": _("Merge into…"),
        "split": _("Split off the ticked cards"),
        "split_title": _("Name of the split-off cluster"),
        "delete": _("Remove cluster"),
        "confirm_delete": _("Remove this cluster? Its cards go back to 'Not sorted yet'."),
        "rename": _("Cluster name"),
        "cards": _plural(_("%(n)s card"), _("%(n)s cards")),
        "vote": _("Dot vote"),
        "dots": _("Dots per person"),
        "open_vote": _("Open the vote"),
        "close_vote": _("Close the vote"),
        "vote_open": _("The vote is open: phones can place their dots."),
        "vote_closed": _("The vote is closed. Final tally:"),
        "initiatives": _("Initiatives"),
        "no_initiatives": _("No initiatives yet. Use 'Make initiative' on a cluster."),
        "download_all": _("All initiatives (Word)"),
        "error": _("Could not save: %(message)s"),
        "votes_n": _plural(_("%(n)s dot"), _("%(n)s dots")),
        "round_short": _("Round %(n)s"),
        "before_conference": _("Before the conference"),
        "shown_of": _("%(shown)s of %(n)s shown"),
        "progress": _("%(sorted)s of %(n)s sorted"),
        "all_sorted": _("Every point is in a cluster."),
        "fold": _("Fold %(title)s"),
        "unfold": _("Unfold %(title)s"),
        "more": _("More…"),
        "move_card": _("Move “%(text)s” to…"),
        "no_match": _("No cluster has that name."),
        "new_cluster_with": _("New cluster: %(title)s"),
        "moved": _("Moved to %(title)s: %(text)s"),
        "moved_back": _("Back to not sorted yet: %(text)s"),
        "created": _("Cluster created: %(title)s"),
    }


def initiative_strings() -> dict[str, str]:
    return {
        "saved": _("Saved."),
        "saving": _("Saving…"),
        "error": _("Could not save: %(message)s"),
        "changed_elsewhere": _("Someone else changed this form. Their version is shown now."),
        "online": _("Live"),
        "offline": _("Connection lost – reconnecting…"),
    }
