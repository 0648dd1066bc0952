"""Failed sign-ins counted per client address: past a limit in a window, further attempts
from that address wait. The account's own lock (in the database) stops a guesser aiming at
one account; this stops one trying a common password on many accounts."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from threading import Lock

from itss.errors import TooManyAttemptsError


class Throttle:
    def __init__(self, limit: int = 20, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = Lock()

    def check(self, client: str) -> None:
        with self._lock:
            recent = self._recent(client)
            if len(recent) >= self.limit:
                wait = int(recent[0] + self.window - time.monotonic()) + 1
                minutes = (wait + 59) // 60
                raise TooManyAttemptsError(
                    retry_after=wait, key="auth.throttled", values={"minutes": minutes}
                )

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(time.monotonic())

    def _recent(self, client: str) -> deque[float]:
        recent = self._failures[client]
        while recent and recent[0] <= time.monotonic() - self.window:
            recent.popleft()
        return recent
