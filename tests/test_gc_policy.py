"""The garbage-collection policy of `confapp serve` (confapp/ops/gc_policy.py), against the real collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from confapp.ops.gc_policy import Policy


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_slow_full_collection_freezes_its_survivors_until_the_interval_is_over() -> None:
    clock = Clock()
    policy = Policy(slow=0.05, unfreeze_after=600, clock=clock)
    policy("start", {"generation": 2})
    clock.now += 0.3
    policy("stop", {"generation": 2, "collected": 0, "uncollectable": 0})
    assert policy.pauses == [pytest.approx(0.3)]
    assert gc.get_freeze_count() > 0

    clock.now += 599
    policy.tick()
    assert gc.get_freeze_count() > 0, "still within the interval"
    clock.now += 1
    policy.tick()
    assert gc.get_freeze_count() == 0, "unfrozen: the next full collection sees everything again"


def test_fast_and_young_collections_change_nothing() -> None:
    clock = Clock()
    policy = Policy(slow=0.05, clock=clock)
    for generation, took in ((2, 0.01), (0, 1.0), (1, 1.0)):
        policy("start", {"generation": generation})
        clock.now += took
        policy("stop", {"generation": generation, "collected": 0, "uncollectable": 0})
    assert policy.pauses == [] and gc.get_freeze_count() == 0


def test_the_real_collector_calls_the_policy() -> None:
    policy = Policy(slow=0.0)
    gc.callbacks.append(policy)
    try:
        gc.collect()
    finally:
        gc.callbacks.remove(policy)
    assert len(policy.pauses) == 1 and gc.get_freeze_count() > 0
