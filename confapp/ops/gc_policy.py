"""Keep Python's full garbage collections short while a hall is connected.

With 2,000 phones connected a process tracks about two million objects, and each full (generation 2)
collection walks all of them: 240–315 ms during which the event loop serves nobody. `confapp bench
--scenario burst` showed that one such pause while reporters post was the whole of the p99 (one
second of the round had a max of 385 ms, every other second stayed under 51 ms).

The policy (installed by `confapp serve` only):
- at start, collect once and freeze what is left (the imported code and the app: it lives forever);
- after a full collection that took longer than SLOW, freeze the survivors: they were just proven
  reachable, and later full collections only walk what came since;
- every UNFREEZE_AFTER, unfreeze, so that a cycle among frozen objects that became garbage meanwhile
  (a phone that left) is collected by the next full collection. That one is long again: at most one
  long pause per interval instead of one per quarter of growth of the heap.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

SLOW = 0.05  # seconds: a full collection longer than this freezes its survivors
UNFREEZE_AFTER = 600.0  # seconds


@dataclass
class Policy:
    slow: float = SLOW
    unfreeze_after: float = UNFREEZE_AFTER
    clock: Callable[[], float] = time.monotonic
    started: float | None = None
    frozen_at: float | None = None
    pauses: list[float] = field(default_factory=list)  # seconds of each slow full collection

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self.started = self.clock()
            return
        if self.started is None:
            return
        took, self.started = self.clock() - self.started, None
        if took > self.slow:
            self.pauses.append(took)
            self.freeze()

    def freeze(self) -> None:
        gc.freeze()
        if self.frozen_at is None:
            self.frozen_at = self.clock()

    def tick(self) -> None:
        """Called every few seconds: unfreeze once the oldest frozen objects are UNFREEZE_AFTER old."""
        if self.frozen_at is not None and self.clock() - self.frozen_at >= self.unfreeze_after:
            gc.unfreeze()
            self.frozen_at = None


def install(spawn: Callable[[Callable[[], None]], Any], sleep: Callable[[float], None]) -> Policy:
    """Freeze what start-up left, watch full collections, and run `tick` in a background greenlet."""
    gc.collect()
    policy = Policy()
    policy.freeze()
    policy.frozen_at = None  # start-up objects stay frozen for good
    gc.callbacks.append(policy)

    def loop() -> None:
        while True:
            sleep(5.0)
            policy.tick()

    spawn(loop)
    return policy
