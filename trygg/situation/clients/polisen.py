"""Live client for polisen.se/api/events that keeps to the API's rules.

The Police Authority asks callers to send a User-Agent, wait at least 10 seconds between calls and make at
most 60 calls an hour (1 440 a day). The limiter here enforces the interval and the hourly and daily caps
within one process; run the fetch from one scheduled job (cron, every 10-15 minutes is plenty).

Transport and clock are injectable, so tests run against saved responses with a fake clock and never touch
the network or sleep.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

API_URL = "https://polisen.se/api/events"
DEFAULT_USER_AGENT = "Trygg/0.1 (kommunal lägesbild; kontakt: kommunens säkerhetsenhet)"

MIN_INTERVAL_S = 10.0
MAX_PER_HOUR = 60
MAX_PER_DAY = 1440


class PolisenClientError(RuntimeError):
    """The API call failed or returned something that is not the events list (Swedish message)."""


class Clock:
    """Real time. Tests pass an object with the same two methods."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class Response:
    status: int
    body: bytes


Transport = Callable[[str, dict[str, str], dict[str, str], float], Response]


def requests_transport(url: str, headers: dict[str, str], params: dict[str, str], timeout: float) -> Response:
    import requests  # imported here so that tests with a fake transport need no network stack

    try:
        reply = requests.get(url, headers=headers, params=params, timeout=timeout)
    except requests.RequestException as exc:
        raise PolisenClientError(f"Kunde inte nå Polisens API: {exc.__class__.__name__}.") from None
    return Response(reply.status_code, reply.content)


class RateLimiter:
    """At least `min_interval` seconds between calls, at most `per_hour` in any hour and `per_day` in any
    day. `wait()` sleeps (on the given clock) until a call is allowed, then records it."""

    def __init__(
        self,
        clock: Clock,
        min_interval: float = MIN_INTERVAL_S,
        per_hour: int = MAX_PER_HOUR,
        per_day: int = MAX_PER_DAY,
    ) -> None:
        self.clock = clock
        self.min_interval, self.per_hour, self.per_day = min_interval, per_hour, per_day
        self.calls: deque[float] = deque()

    def delay(self) -> float:
        """Seconds to wait before the next call is allowed (0 when it may go now)."""
        now = self.clock.monotonic()
        while self.calls and now - self.calls[0] >= 86400:
            self.calls.popleft()
        waits = [0.0]
        if self.calls:
            waits.append(self.calls[-1] + self.min_interval - now)
        in_hour = [t for t in self.calls if now - t < 3600]
        if len(in_hour) >= self.per_hour:
            waits.append(in_hour[-self.per_hour] + 3600 - now)
        if len(self.calls) >= self.per_day:
            waits.append(self.calls[-self.per_day] + 86400 - now)
        return max(waits)

    def wait(self) -> None:
        delay = self.delay()
        if delay > 0:
            self.clock.sleep(delay)
        self.calls.append(self.clock.monotonic())


class PolisenClient:
    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        transport: Transport = requests_transport,
        clock: Clock | None = None,
        timeout: float = 30.0,
        url: str = API_URL,
    ) -> None:
        if not user_agent.strip():
            raise ValueError("Polisens API kräver en User-Agent.")
        self.user_agent, self.transport, self.timeout, self.url = user_agent, transport, timeout, url
        self.limiter = RateLimiter(clock or Clock())

    def events(self, *, location_names: list[str] | None = None, event_type: str | None = None) -> list:
        """Fetch the latest events (the API returns up to 500), optionally for some location names."""
        params: dict[str, str] = {}
        if location_names:
            params["locationname"] = ";".join(location_names)
        if event_type:
            params["type"] = event_type
        self.limiter.wait()
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        response = self.transport(self.url, headers, params, self.timeout)
        if response.status != 200:
            raise PolisenClientError(f"Polisens API svarade med status {response.status}.")
        try:
            data = json.loads(response.body)
        except ValueError:
            raise PolisenClientError("Polisens API svarade inte med JSON.") from None
        if not isinstance(data, list):
            raise PolisenClientError("Polisens API svarade inte med en lista av händelser.")
        return data
