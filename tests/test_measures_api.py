"""`/api/v1/measures`: the list, one measure with status, history, log, evaluations and sources, and
the steps the measure page takes, on the in-process app with a real SQLite file."""

from __future__ import annotations

import uuid

from flask import Flask
from sqlalchemy import select

from confapp import db
from confapp.demo import DEMO_EMAIL, make_demo
from confapp.models import Facilitator
from confapp.services import facilitators, measure_log


def test_a_measure_through_the_api(app: Flask) -> None:
    make_demo()
    owner = db.session.scalar(select(Facilitator).where(Facilitator.email == DEMO_EMAIL))
    auth = {"Authorization": f"Bearer {facilitators.issue_api_token(owner)}"}
    client = app.test_client()

    listed = client.get("/api/v1/measures", headers=auth).get_json()
    assert [(m["status"], m["status_label"], m["progress"]) for m in listed] == [("draft", "Utkast", 10)] * 2
    mid = listed[0]["id"]
    post = client.post(
        f"/api/v1/measures/{mid}/status", headers=auth, json={"to": "concretised", "reason": "Klar"}
    )
    assert post.status_code == 200
    refused = client.post(
        f"/api/v1/measures/{mid}/status", headers=auth, json={"to": "decided", "decided_on": "2027-01-10"}
    )
    assert refused.status_code == 400 and refused.get_json()["error"]["message"] == "Vedtak må være tekst."
    steps = [
        {"to": "decided", "decided_on": "2027-01-10", "decision_note": "Sak 3/27"},
        {"to": "in_trial", "trial_start": "2027-01-15", "trial_end": "2027-06-15"},
    ]
    for step in steps:
        assert client.post(f"/api/v1/measures/{mid}/status", headers=auth, json=step).status_code == 200
    link = client.post(f"/api/v1/measures/{mid}/links", headers=auth, json={}).get_json()
    token = link["url"].rsplit("/log/", 1)[1]
    measure_log.add_entry(
        token, client_uuid=uuid.uuid4().hex[:32], happened_on="2027-02-01", done="Første møte"
    )
    answers = {"held_on": "2027-06-10", "what_works": "Møtene", "what_to_adjust": "Tidspunkt",
               "daily_operation": "Ja", "trial_people": "Koordinatoren"}  # fmt: skip
    assert client.post(f"/api/v1/measures/{mid}/evaluations", headers=auth, json=answers).status_code == 201

    got = client.get(f"/api/v1/measures/{mid}", headers=auth).get_json()
    assert got["measure"]["status"] == "evaluated" and got["measure"]["decision_note"] == "Sak 3/27"
    assert [h["to"] for h in got["history"]] == ["concretised", "decided", "in_trial", "evaluated"]
    assert [e["done"] for e in got["log"]] == ["Første møte"]
    assert [e["what_works"] for e in got["evaluations"]] == ["Møtene"]
    assert got["sources"] and all(s["conference_id"] and s["table"] for s in got["sources"])
    assert [(x["on"], x["kind"]) for x in got["milestones"]] == [
        ("2027-01-15", "trial_start"),
        ("2027-06-15", "trial_end"),
    ]
    assert [lk["revoked_at"] for lk in got["links"]] == [None]
    assert client.delete(f"/api/v1/measures/{mid}/links/{link['id']}", headers=auth).status_code == 200

    stranger = facilitators.create(email="annen@example.no", name="Annen", password="et-langt-passord-2")
    other = {"Authorization": f"Bearer {facilitators.issue_api_token(stranger)}"}
    assert client.get(f"/api/v1/measures/{mid}", headers=other).status_code == 404
    assert client.get("/api/v1/measures", headers=other).get_json() == []
