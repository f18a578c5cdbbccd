"""The next conference evaluates, in a real browser against a real server: DK1's points became two
measures in trial; DK2's first group round is an evaluation round grouped "by measure", so each trial
team sits at its measure's table; the table's phone shows the plan, the log and the three questions;
the projector shows the measure's status beside the table's report; the table's points land on the
measure's timeline; and the phone from DK1 shows the measure's status after DK2."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from support import PHONE, Api, Conference, LiveServer, Watch, login, shot

pytestmark = [pytest.mark.browser]

TEAMS = {  # coordinator, who takes part in the trial (the plan's fields)
    "Faste møtepunkter": ("Ada Berg", "Bjørn Dahl og Tor Ulven"),
    "Felles fraværsrutine": ("Siri Tangen", "Unni Vik, Vidar Wold"),
}


def join_on_phone(page: Page, server: LiveServer, code: str, name: str) -> None:
    page.goto(f"{server.url}/j/{code}")
    page.fill("#name", name)
    page.click("#join-form button[type=submit]")
    expect(page.locator("#phone")).to_be_visible()


def dk1_with_measures_in_trial(server: LiveServer, api: Api, phone: Page, draft: str = "") -> dict[str, dict]:  # type: ignore[type-arg]
    """DK1: Ada's table writes both points; they become two measures, decided and in trial (and
    `draft`, if given, a third measure left a draft)."""
    conf = Conference(server, api, title="DK1")
    join_on_phone(phone, server, conf.code, "Ada Berg")
    for i in range(3):
        conf.join(f"Deltaker {i}", "Lærer")
    rnd = conf.group_round(1)
    tables = conf.propose(rnd, 4)
    conf.start(rnd)
    table = tables[0]
    reporter = next(m["id"] for m in table["members"] if m["name"] != "Ada Berg")
    api.put(conf.path(f"/groups/{table['id']}/reporter"), {"participant_id": reporter})
    made = {}
    for title, (coordinator, team) in TEAMS.items():
        point = conf.post(reporter, table["id"], f"Forslag: {title.lower()}")
        cluster = api.post(conf.path("/clusters"), {"title": title, "bullet_ids": [point["id"]]}, expect=201)
        m = api.post(conf.path(f"/clusters/{cluster['id']}/initiative"), expect=201)["initiative"]
        api.patch(
            conf.path(f"/initiatives/{m['id']}"),
            {"version": m["version"], "coordinator": coordinator, "participants": team},
        )
        made[title] = m
    if draft:
        point = conf.post(reporter, table["id"], f"Forslag: {draft.lower()}")
        cluster = api.post(conf.path("/clusters"), {"title": draft, "bullet_ids": [point["id"]]}, expect=201)
        left = api.post(conf.path(f"/clusters/{cluster['id']}/initiative"), expect=201)["initiative"]
    api.post(conf.path("/finish"))
    for m in made.values():
        for step in (
            {"to": "concretised"},
            {"to": "decided", "decided_on": "2027-01-10", "decision_note": "Vedtatt"},
            {"to": "in_trial", "trial_start": "2027-01-15", "trial_end": "2027-06-15"},
        ):
            api.post(f"/measures/{m['id']}/status", step)
    if draft:
        made[draft] = left | {"conference_id": conf.id}
    return made


def test_a_dk2_evaluation_round_seats_trial_teams_and_its_points_land_on_the_measure(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    watch = Watch()
    dk1_phone = watch.page(browser.new_context(**PHONE))
    made = dk1_with_measures_in_trial(server, facilitator_api, dk1_phone)
    expect(dk1_phone.locator("#outcomes")).to_contain_text("Under utprøving")

    # DK2: the trial teams and others join; round 1 evaluates the measures in trial, by measure.
    dk2 = Conference(server, facilitator_api, template="dk2_school", title="DK2")
    phone = watch.page(browser.new_context(**PHONE))
    join_on_phone(phone, server, dk2.code, "Bjørn Dahl")
    ids = {
        name: dk2.join(name, role)
        for name, role in (
            ("Ada Berg", "Lærer"), ("Tor Ulven", "Helsesykepleier"), ("Siri Tangen", "Sosiallærer"),
            ("Unni Vik", "PPT-rådgiver"), ("Vidar Wold", "Barnevernspedagog"), ("Kari Lund", "Lærer"),
            ("Lars Moe", "Assistent"), ("Mona Nes", "Assistent"),
        )
    }  # fmt: skip
    rnd = dk2.group_round(1)
    chosen = facilitator_api.put(dk2.path(f"/rounds/{rnd['id']}/measures"), {"measure_ids": None})
    assert [(x["title"], x["table"]) for x in chosen["chosen"]] == [
        ("Faste møtepunkter", 1), ("Felles fraværsrutine", 2),
    ]  # fmt: skip
    tables = facilitator_api.post(dk2.path(f"/rounds/{rnd['id']}/groups/propose"), {"strategy": "by:measure"})
    seats = {m["name"]: g["number"] for g in tables for m in g["members"]}
    assert {seats[n] for n in ("Ada Berg", "Bjørn Dahl", "Tor Ulven")} == {1}
    assert {seats[n] for n in ("Siri Tangen", "Unni Vik", "Vidar Wold")} == {2}
    dk2.start(rnd)

    # Bjørn's phone: his table evaluates the measure he tried out; plan, log and questions.
    section = phone.locator("#evaluation")
    expect(section).to_contain_text("Bordet ditt evaluerer: Faste møtepunkter")
    expect(section.locator("#evaluation-questions li")).to_have_text(
        ["Hva fungerer", "Hva bør justeres", "Bør det bli daglig drift?"]
    )
    phone.click("#evaluation-plan summary")
    expect(section.locator("#evaluation-plan")).to_contain_text("Ada Berg")
    shot(phone, artifacts, "evaluation-round-phone")

    table = next(g for g in tables if g["number"] == 1)
    facilitator_api.put(dk2.path(f"/groups/{table['id']}/reporter"), {"participant_id": ids["Ada Berg"]})
    point = dk2.post(ids["Ada Berg"], table["id"], "Faste møter fanger opp bekymring tidlig")
    expect(phone.locator("#my-bullets")).to_contain_text("Faste møter fanger opp bekymring tidlig")

    # Plenary: the projector shows the measure and its status beside table 1's report.
    detail = facilitator_api.get(dk2.path())
    screen = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}))
    screen.goto(detail["projector_url"])
    dk2.start(dk2.plenary_round(1))
    facilitator_api.put(dk2.path("/focus"), {"group_number": 1})
    expect(screen.locator("#table-measure")).to_contain_text("Faste møtepunkter")
    expect(screen.locator("#table-measure")).to_contain_text("Under utprøving")
    expect(screen.locator("#focused-group")).to_contain_text("Faste møter fanger opp bekymring tidlig")
    shot(screen, artifacts, "evaluation-round-projector")
    facilitator_api.post(dk2.path("/finish"))

    # The point is on the measure's timeline, with DK2 and its table.
    mid = made["Faste møtepunkter"]["id"]
    found = facilitator_api.get(f"/measures/{mid}")["evaluation_points"]
    assert [(x["bullet_id"], x["conference"], x["table"]) for x in found] == [(point["id"], "DK2", 1)]
    desk = watch.page(browser.new_context(viewport={"width": 1280, "height": 900}))
    login(desk, server.url, "ordstyrer@example.no", "hemmelig-passord")
    desk.goto(f"{server.url}/measures/{mid}")
    expect(desk.locator("#timeline .timeline-evaluation_point")).to_contain_text("DK2")
    expect(desk.locator("#timeline .timeline-evaluation_point")).to_contain_text("Faste møter fanger opp")

    # After DK2 the steering group records the evaluation and decides: DK1's phone follows.
    facilitator_api.post(
        f"/measures/{mid}/evaluations",
        {"held_on": "2027-09-01", "what_works": "Faste møter", "what_to_adjust": "Oftere",
         "daily_operation": "Ja", "trial_people": "Ada Berg, Bjørn Dahl"},
        expect=201,
    )  # fmt: skip
    facilitator_api.post(f"/measures/{mid}/status", {"to": "daily_operation", "reason": "Inn i årshjulet"})
    desk.reload()
    shot(desk, artifacts, "evaluation-round-measure-timeline")
    expect(dk1_phone.locator("#outcomes")).to_contain_text("Daglig drift")
    dk1_phone.reload()
    item = dk1_phone.locator(f"#outcomes li[data-initiative-id='{mid}']")
    expect(item).to_contain_text("Faste møtepunkter")
    expect(item).to_contain_text("Daglig drift")
    shot(dk1_phone, artifacts, "evaluation-round-dk1-phone-after-dk2")


def test_the_facilitator_chooses_the_measures_a_dk2_evaluates_and_the_plenary_follows_their_status(
    server: LiveServer, facilitator_api: Api, browser: Browser, artifacts: Path
) -> None:
    """The new-conference form offers the measures in trial for a DK2; the console's round setup
    lists the organisation's measures with their status, saves the ticked ones through the API,
    follows a change made elsewhere, and says in Norwegian what went wrong; during the plenary the
    projector and the table's phone follow a status change without a reload."""
    api = facilitator_api
    watch = Watch()
    made = dk1_with_measures_in_trial(
        server, api, watch.page(browser.new_context(**PHONE)), draft="Leksehjelp"
    )
    first, second, draft = (made[t] for t in ("Faste møtepunkter", "Felles fraværsrutine", "Leksehjelp"))
    desk = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}))
    login(desk, server.url, "ordstyrer@example.no", "hemmelig-passord")

    # Creating a DK2 offers the two measures in trial, both ticked; another template does not.
    desk.goto(f"{server.url}/c/new")
    offered = desk.locator("#offered-measures")
    desk.select_option("#template", "dk2_school")
    expect(offered).to_be_visible()
    expect(offered.locator("li")).to_have_count(2)
    expect(offered).to_contain_text("Under utprøving")
    expect(offered).not_to_contain_text("Leksehjelp")
    desk.select_option("#template", "dk1_school")
    expect(offered).to_be_hidden()
    desk.select_option("#template", "dk2_school")
    desk.fill("#title", "DK2 høst")
    offered.locator(f"input[value='{second['id']}']").uncheck()
    shot(desk, artifacts, "evaluation-round-new-dk2-form")
    desk.click("#create-conference")
    expect(desk.locator("h1")).to_be_visible()
    dk2 = next(c for c in api.get("/conferences") if c["title"] == "DK2 høst")
    path = f"/conferences/{dk2['id']}"
    rounds = api.get(path)["rounds"]
    rnd = next(r for r in rounds if r["kind"] == "group")
    assert rnd["measure_ids"] == [first["id"]]

    # The console's round setup: the chosen one ticked at table 1, the other in trial offered.
    desk.goto(f"{server.url}/c/{dk2['id']}")
    box = desk.locator("#round-measures")
    expect(box.locator("#round-measures-state")).to_have_text(
        "En evalueringsrunde med 1 tiltak: bord 1 evaluerer det første, bord 2 det andre, og så videre."
    )
    tick = {m["id"]: box.locator(f"input[data-measure-id='{m['id']}']") for m in (first, second, draft)}
    expect(tick[first["id"]]).to_be_checked()
    expect(tick[second["id"]]).not_to_be_checked()
    expect(box.locator("#measure-choices")).to_contain_text("Under utprøving")
    expect(box.locator("#other-measures summary")).to_have_text("Andre tiltak (1)")
    tick[second["id"]].check()
    expect(box.locator("#measure-choices li").nth(1)).to_contain_text("Bord 2")
    desk.click("#save-measures")
    expect(box.locator("#round-measures-state")).to_contain_text("med 2 tiltak")
    chosen = api.get(f"{path}/rounds/{rnd['id']}/measures")["chosen"]
    assert [(x["id"], x["table"]) for x in chosen] == [(first["id"], 1), (second["id"], 2)]
    shot(desk, artifacts, "evaluation-round-console-measures")

    # A co-facilitator's tab makes it an ordinary round: this console follows, the default ticked.
    api.put(f"{path}/rounds/{rnd['id']}/measures", {"measure_ids": []})
    expect(box.locator("#round-measures-state")).to_contain_text("Foreløpig en vanlig runde")
    expect(tick[first["id"]]).to_be_checked()
    expect(tick[second["id"]]).to_be_checked()
    expect(tick[draft["id"]]).not_to_be_checked()

    # A measure deleted meanwhile: the save says so in Norwegian and changes nothing.
    api.delete(f"/conferences/{draft['conference_id']}/initiatives/{draft['id']}")
    box.locator("#other-measures summary").click()
    tick[draft["id"]].check()
    desk.click("#save-measures")
    expect(desk.locator("#error")).to_have_text("Kunne ikke lagre: Finner ikke tiltaket.")
    assert api.get(f"{path}/rounds/{rnd['id']}/measures")["chosen"] == []
    tick[draft["id"]].uncheck()
    desk.click("#save-measures")
    expect(box.locator("#round-measures-state")).to_contain_text("med 2 tiltak")
    expect(desk.locator("#error")).to_be_hidden()

    # The round runs; in plenary the projector shows table 1's measure and its status beside the report.
    for name in ("Kari Lund", "Lars Moe", "Mona Nes"):
        joined = {"uuid": str(uuid.uuid4()), "code": dk2["join_code"], "name": name, "role": "Lærer"}
        Api(server.url).post("/join", joined, expect=201)
    phone = watch.page(browser.new_context(**PHONE))
    join_on_phone(phone, server, dk2["join_code"], "Nils Olsen")
    tables = api.post(f"{path}/rounds/{rnd['id']}/groups/propose", {"group_size": 2})
    assert len(tables) == 2
    api.post(f"{path}/rounds/{rnd['id']}/start")
    mine = next(g for g in tables if any(m["name"] == "Nils Olsen" for m in g["members"]))
    evaluated = first if mine["number"] == 1 else second
    card = phone.locator("#evaluation")
    expect(card).to_contain_text(f"Bordet ditt evaluerer: {evaluated['title']}")
    expect(card).to_contain_text("Under utprøving")
    # While the tables talk, the trial team's evaluation is recorded: the table's phone follows, no reload.
    review = {"held_on": "2027-09-01", "what_works": "Mye", "what_to_adjust": "Lite", "daily_operation": "Ja",
              "trial_people": "Ada Berg"}  # fmt: skip
    api.post(f"/measures/{evaluated['id']}/evaluations", review, expect=201)
    expect(card).to_contain_text("Evaluert")
    shot(phone, artifacts, "evaluation-round-phone-status-news")

    # In plenary the projector shows the table's measure and its status beside the report.
    screen = watch.page(browser.new_context(viewport={"width": 1280, "height": 720}))
    screen.goto(api.get(path)["projector_url"])
    plenary = next(r for r in rounds if r["kind"] == "plenary")
    api.post(f"{path}/rounds/{plenary['id']}/start")
    api.put(f"{path}/focus", {"group_number": mine["number"]})
    badge = screen.locator("#table-measure")
    expect(badge).to_contain_text(evaluated["title"])
    expect(badge).to_contain_text("Evaluert")

    # The steering group decides to adjust it during DK2: the projector follows live.
    api.post(f"/measures/{evaluated['id']}/status", {"to": "adjusted", "reason": "Oftere møter"})
    expect(badge).to_contain_text("Justeres")
    shot(screen, artifacts, "evaluation-round-projector-status-news")
