"""Suggested cluster names: a short phrase from the most representative point, used by the board."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask

from confapp.clustering import name_for
from confapp.clustering.features import Representation
from confapp.clustering.naming import MAX_CHARS, representative, shorten
from confapp.services import facilitators

RT = [
    "RT-møte en gang i måneden fast",
    "saker meldes inn til ressursteamet 14 dager før møtet",
    "fast agenda og referat fra hvert ressursteammøte",
    "møteplan for ressursteamet",
]


def test_name_is_a_phrase_from_the_most_representative_point() -> None:
    sim = Representation(RT).matrix()
    mean = [sum(row) - 1.0 for row in sim]
    best = representative(RT)
    assert mean[best] >= max(mean) - 0.03  # the point sharing most with the others
    assert name_for(RT) == shorten(RT[best])  # its own words, not a keyword list
    assert "," not in name_for(["mobbing på snap", "mobbing i friminuttet", "mobbing i garderoben"])


def test_shorten_cuts_at_a_clause_or_word_boundary_and_drops_trailing_function_words() -> None:
    long = "lærerne trenger mer kunnskap om angst og depresjon hos elever på mellomtrinnet og i SFO"
    cut = shorten(long)
    assert len(cut) <= MAX_CHARS and long.lower().startswith(cut.lower())
    assert not cut.endswith((" og", " i", " om", " på"))
    assert shorten("referat fra RT kommer for sent, vi må ha det innen en uke etter møtet") == (
        "Referat fra RT kommer for sent"
    )
    assert shorten("  - ppt i klassene.") == "PPT i klassene"
    assert shorten("a" * 60) == "A" + "a" * (MAX_CHARS - 1)


def test_name_for_edge_cases() -> None:
    assert name_for([]) == ""
    assert name_for(["", "  "]) == ""
    assert name_for(["HS på foreldremøtet"]) == "HS på foreldremøtet"
    assert name_for(["fravær", "oppfølging av fravær fra første dag"]) == "Fravær"


POINTS = [
    "rutine for å ringe hjem første fraværsdag", "fravær må følges opp med hjemmet tidlig",
    "skolevegring: ringe hjem ved fravær", "helsesykepleier på foreldremøtet",
    "HS bør være mer i klassene", "helsesøster i klassen om pubertet",
]  # fmt: skip


def _conference_with_points(app: Flask) -> tuple[Any, str, dict[int, str]]:
    from tests.test_board_api import Api

    f = facilitators.create(email="n@example.no", name="N", password="testpassord-123")
    api = Api(app, facilitators.issue_api_token(f))
    detail = api("POST", "/conferences", 201, json={"title": "K", "template": "dk1_school"})
    cid, code = detail["conference"]["id"], detail["conference"]["join_code"]
    joins = [{"uuid": str(uuid.uuid4()), "code": code, "name": f"P{i}", "role": "Lærer"} for i in range(2)]
    phones = [Api(app, Api(app)("POST", "/join", 201, json=body)["token"]) for body in joins]
    rnd = detail["rounds"][0]
    groups = api("POST", f"/conferences/{cid}/rounds/{rnd['id']}/groups/propose", json={"groups": 1})
    api("POST", f"/conferences/{cid}/rounds/{rnd['id']}/start")
    phone = next(p for p in phones if p("GET", "/me/snapshot")["me"]["id"] == groups[0]["leader_id"])
    texts = {}
    for text in POINTS:
        body = {"group_id": groups[0]["id"], "uuid": str(uuid.uuid4()), "text": text}
        texts[phone("POST", "/me/bullets", 201, json=body)["id"]] = text
    return api, cid, texts


def test_board_cold_start_names_clusters_with_a_members_phrase(app: Flask) -> None:
    api, cid, texts = _conference_with_points(app)
    made = api("POST", f"/conferences/{cid}/board/propose", 201)
    assert len(made) == 2
    for cluster in made:
        members = [texts[b] for b in cluster["bullet_ids"]]
        assert cluster["title"] == name_for(members)
        assert cluster["title"] in {shorten(t) for t in members}
