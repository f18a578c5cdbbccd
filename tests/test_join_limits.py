"""The join and login limiters: guessing is stopped, a venue's phones behind one address never are.

The venue test runs a real server over real HTTP. Limits count per minute, so the 45 s of the
issue's scenario are compressed to about 15 s: the wrong-code device still passes its own limit
(10 a minute) within the first 5 s, which is what could lock the venue out.
"""

from __future__ import annotations

import random
import string
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from flask import Flask
from support import Api, LiveServer, create_facilitator, fresh_client

from confapp.services import facilitators

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _wrong_codes(n: int, real: str) -> list[str]:
    rng = random.Random(7)
    codes: set[str] = set()
    while len(codes) < n:
        code = "".join(rng.choice(string.ascii_uppercase) for _ in range(6))
        if code != real:
            codes.add(code)
    return sorted(codes)


@pytest.fixture
def venue(tmp_path: Path) -> tuple[LiveServer, str]:
    srv = LiveServer(tmp_path, f"sqlite:///{tmp_path / 'confapp.sqlite'}").start()
    api = Api(srv.url, create_facilitator(srv))
    code = api.post("/conferences", {"title": "Stor konferanse", "template": "dk1_school"}, expect=201)[
        "conference"
    ]["join_code"]
    yield srv, code
    srv.stop()


def test_a_venue_of_300_phones_gets_in_while_one_phone_sends_wrong_codes(
    venue: tuple[LiveServer, str],
) -> None:
    srv, code = venue
    stop = threading.Event()
    wrong: list[tuple[float, int]] = []

    def typo_device() -> None:
        with requests.Session() as s:
            while not stop.is_set():
                sent = time.monotonic()
                r = s.post(srv.url + "/api/v1/join", json={"code": "WR0NG1", "name": "Feil"}, timeout=30)
                wrong.append((sent, r.status_code))
                stop.wait(0.5)

    start = time.monotonic()

    def phone(i: int) -> int:
        # 300 phones over 15 s: phone i arrives at start + i × 50 ms. (A plain sleep(i × 0.05) in a pool of
        # 24 threads added up the sleeps of each thread's earlier phones: about 95 s instead of 15.)
        time.sleep(max(0.0, start + i * 0.05 - time.monotonic()))
        if i % 10 == 0:  # some use the phone page's form, the rest the API, as phone.js does
            with requests.Session() as s:
                page = s.get(f"{srv.url}/j/{code}", timeout=60)
                if page.status_code != 200:
                    return page.status_code
                csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
                r = s.post(
                    f"{srv.url}/j/{code}",
                    data={
                        "name": f"Deltaker {i}",
                        "role": "Lærer",
                        "csrf_token": csrf,
                        "join_key": str(uuid.uuid4()),
                    },
                    allow_redirects=False,
                    timeout=60,
                )
                return 201 if r.status_code == 302 else r.status_code
        r = requests.post(
            srv.url + "/api/v1/join",
            json={"uuid": str(uuid.uuid4()), "code": code, "name": f"Deltaker {i}", "role": "Lærer"},
            timeout=60,
        )
        return r.status_code

    typo = threading.Thread(target=typo_device)
    typo.start()
    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(phone, range(300)))
    stop.set()
    typo.join()

    assert statuses.count(201) == 300, {s: statuses.count(s) for s in set(statuses)}
    # The wrong-code device itself is stopped: ten tries a minute, counted from its first. (On a loaded
    # machine its tries can be slow enough that the minute ends before the eleventh.)
    first_minute = [status for sent, status in wrong if sent - wrong[0][0] < 55]
    assert first_minute[:10] == [404] * 10, wrong
    assert all(status == 429 for status in first_minute[10:]), wrong
    assert 429 in [status for _sent, status in wrong], wrong

    # Someone then tries 200 different codes from the same address: stopped.
    answers = [
        requests.post(srv.url + "/api/v1/join", json={"code": c, "name": "Gjett"}, timeout=30)
        for c in _wrong_codes(200, code)
    ]
    statuses = [r.status_code for r in answers]
    assert statuses.count(404) <= 30, statuses.count(404)
    assert statuses[-1] == 429
    last = answers[-1]
    assert int(last.headers["Retry-After"]) >= 1
    assert last.json()["error"]["code"] == "too_many_requests"
    assert "Prøv igjen om" in last.json()["error"]["message"]  # bokmål by default
    # ... and a late phone with the real code still gets in.
    late = requests.post(
        srv.url + "/api/v1/join",
        json={"uuid": str(uuid.uuid4()), "code": code, "name": "Sein", "role": "Lærer"},
        timeout=30,
    )
    assert late.status_code == 201


@pytest.mark.parametrize(
    ("lang", "expected"),
    # "mislykkede" is bokmål only, "mislukka" nynorsk only: a page falling back to the other standard fails.
    [
        ("nb", "mislykkede forsøk. Prøv igjen om"),
        ("nn", "mislukka forsøk. Prøv igjen om"),
        ("en", "Try again in"),
    ],
)
def test_the_429_page_is_in_the_users_language(app: Flask, lang: str, expected: str) -> None:
    client = fresh_client(app)
    client.set_cookie("confapp_lang", lang)
    answers = [client.get(f"/j/ZZZZ{i:02d}") for i in range(31)]
    assert [r.status_code for r in answers[:30]] == [404] * 30
    page = answers[-1]
    assert page.status_code == 429 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert expected in text and "Too Many Requests" not in text
    assert int(page.headers["Retry-After"]) >= 1


def test_logins_are_limited_per_address_across_accounts(app: Flask) -> None:
    """One address trying many accounts is stopped after ten failures; another address still may try."""
    facilitators.create(email="ekte@example.no", name="E", password="et-langt-passord-for-test")

    def attempt(address: str, email: str) -> int:
        client = fresh_client(app)
        page = client.get("/login", environ_base={"REMOTE_ADDR": address})
        csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        r = client.post(
            "/login",
            data={"email": email, "password": "feil-passord-her", "csrf_token": csrf},
            environ_base={"REMOTE_ADDR": address},
        )
        return r.status_code

    statuses = [attempt("10.9.9.9", f"konto{i}@example.no") for i in range(11)]
    assert statuses == [401] * 10 + [429]
    assert attempt("10.9.9.10", "konto11@example.no") == 401


def test_one_wrong_code_repeated_is_stopped_for_that_code_only(app: Flask) -> None:
    client = fresh_client(app)
    statuses = [client.post("/api/v1/join", json={"code": "TYP0ZZ"}).status_code for _ in range(11)]
    assert statuses == [404] * 10 + [429]
    assert client.post("/api/v1/join", json={"code": "ANNEN1"}).status_code == 404


def test_logins_are_limited_per_account_from_any_address(app: Flask) -> None:
    facilitators.create(email="konto@example.no", name="K", password="et-langt-passord-for-test")
    statuses = []
    for i in range(6):  # six addresses, one account
        client = fresh_client(app)
        page = client.get("/login", environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"})
        csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        r = client.post(
            "/login",
            data={"email": "konto@example.no", "password": f"feil-{i}", "csrf_token": csrf},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"},
        )
        statuses.append(r.status_code)
    assert statuses == [401] * 5 + [429]
