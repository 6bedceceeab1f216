"""One polite GET for the API clients: User-Agent, timeout, back-off on 429/503 honouring Retry-After."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from datetime import UTC, datetime

import requests
from django.conf import settings

from ..importers.common import clean_loaded

DEFAULT_USER_AGENT = "Trygg/0.1 (+kommunens kontaktadress)"
RETRY_STATUSES = {429, 502, 503, 504}
# A server's Retry-After is honoured in full up to this many seconds; asking for longer fails at once
# (retrying earlier than asked would only be refused again and counts against us).
RETRY_AFTER_CAP = 600.0


class ApiError(Exception):
    """A live API could not deliver; the message is Swedish and names the URL."""


def user_agent() -> str:
    return getattr(settings, "TRYGG_HTTP_USER_AGENT", DEFAULT_USER_AGENT)


def retry_after_seconds(header: str | None, fallback: float | None) -> float | None:
    """Retry-After as seconds or an HTTP date; the fallback when absent or unreadable."""
    if not header:
        return fallback
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError, OverflowError):
        return fallback
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class JsonClient:
    """Base of the SCB and Kolada clients; `session` and `sleep` are injectable so tests need no network."""

    def __init__(
        self,
        base_url: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 30.0,
        max_retries: int = 5,
        max_wait: float = 120.0,
        retry_after_cap: float = RETRY_AFTER_CAP,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.session = session or requests.Session()
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait = max_wait  # longest wait of our own back-off (1, 2, 4 … s)
        self.retry_after_cap = max(retry_after_cap, max_wait)
        self.sleep = sleep
        self.requests_made = 0

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def get_json(self, url: str, params: dict | list | None = None):
        headers = {"User-Agent": user_agent(), "Accept": "application/json"}
        for attempt in range(self.max_retries + 1):
            self.requests_made += 1
            try:
                response = self.session.get(url, params=params, headers=headers, timeout=self.timeout)
            except requests.RequestException as exc:
                if attempt == self.max_retries:
                    raise ApiError(f"Kunde inte nå {url}: {type(exc).__name__}.") from exc
                self.sleep(min(2.0**attempt, self.max_wait))
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                stated = retry_after_seconds(response.headers.get("Retry-After"), None)
                if stated is None:
                    self.sleep(min(2.0**attempt, self.max_wait))
                elif stated <= self.retry_after_cap:
                    self.sleep(stated)  # never earlier than the server asked
                else:
                    raise ApiError(
                        f"{url} svarade med HTTP {response.status_code} och ber om {stated:.0f} sekunders "
                        f"väntan (Retry-After), längre än de {self.retry_after_cap:.0f} sekunder Trygg väntar. "
                        "Försök igen senare."
                    )
                continue
            if response.status_code >= 400:
                raise ApiError(f"{url} svarade med HTTP {response.status_code}.")
            try:
                # Labels from an API are cleaned like a file's (NUL and bidi controls removed).
                return clean_loaded(response.json())
            except ValueError as exc:
                raise ApiError(f"{url} svarade inte med JSON.") from exc
        raise ApiError(f"{url}: för många förfrågningar (HTTP 429) även efter {self.max_retries} nya försök.")
