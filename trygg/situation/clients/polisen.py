"""Live client for polisen.se/api/events that keeps to the API's rules.

The Police Authority asks callers to send a User-Agent, wait at least 10 seconds between calls and make at
most 60 calls an hour (1 440 a day). A limiter inside the process cannot hold that across cron runs (each
run is a new process), so the limit is kept where it can hold: `manage.py fetch_polisen` makes exactly ONE
call per run, for every hosted municipality and its county at once, and is run from one scheduled job every
10-15 minutes (4-6 calls an hour; see docs/lagesbild.md). Do not run it more often than once a minute.

The transport is injectable, so tests run against saved responses and never touch the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

API_URL = "https://polisen.se/api/events"
DEFAULT_USER_AGENT = "Trygg/0.1 (kommunal lägesbild; kontakt: kommunens säkerhetsenhet)"

# The API's rules (kept by scheduling one call per run, see the module docstring).
MIN_INTERVAL_S = 10.0
MAX_PER_HOUR = 60


class PolisenClientError(RuntimeError):
    """The API call failed or returned something that is not the events list (Swedish message)."""


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


class PolisenClient:
    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        transport: Transport = requests_transport,
        timeout: float = 30.0,
        url: str = API_URL,
    ) -> None:
        if not user_agent.strip():
            raise ValueError("Polisens API kräver en User-Agent.")
        self.user_agent, self.transport, self.timeout, self.url = user_agent, transport, timeout, url

    def events(self, *, location_names: list[str] | None = None, event_type: str | None = None) -> list:
        """Fetch the latest events (the API returns up to 500), optionally for some location names."""
        params: dict[str, str] = {}
        if location_names:
            params["locationname"] = ";".join(location_names)
        if event_type:
            params["type"] = event_type
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
