"""The live Polisen client keeps to the API's rules; tested with a fake clock and saved responses."""

from __future__ import annotations

import pytest

from trygg.situation.clients.polisen import (
    API_URL,
    PolisenClient,
    PolisenClientError,
    RateLimiter,
    Response,
)

from .conftest import POLISEN_FILE


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.slept.append(seconds)
        self.now += seconds


class FakeTransport:
    def __init__(self, clock: FakeClock, body: bytes, status: int = 200):
        self.clock, self.body, self.status = clock, body, status
        self.calls: list[tuple[float, str, dict, dict]] = []

    def __call__(self, url, headers, params, timeout):
        self.calls.append((self.clock.now, url, headers, params))
        return Response(self.status, self.body)


@pytest.fixture
def saved_body() -> bytes:
    return POLISEN_FILE.read_bytes()


def test_it_sends_a_user_agent_and_returns_the_saved_events(saved_body):
    clock = FakeClock()
    transport = FakeTransport(clock, saved_body)
    client = PolisenClient(user_agent="Trygg-test/1.0 (kommun)", transport=transport, clock=clock)
    events = client.events(location_names=["Kungälv", "Västra Götalands län"])
    assert len(events) == 500
    _, url, headers, params = transport.calls[0]
    assert url == API_URL
    assert headers["User-Agent"] == "Trygg-test/1.0 (kommun)"
    assert params == {"locationname": "Kungälv;Västra Götalands län"}


def test_calls_are_at_least_ten_seconds_apart(saved_body):
    clock = FakeClock()
    transport = FakeTransport(clock, saved_body)
    client = PolisenClient(transport=transport, clock=clock)
    for _ in range(5):
        client.events()
    times = [call[0] for call in transport.calls]
    assert all(b - a >= 10 for a, b in zip(times, times[1:], strict=False))
    assert clock.slept == [10.0] * 4


def test_no_more_than_sixty_calls_in_any_hour(saved_body):
    clock = FakeClock()
    transport = FakeTransport(clock, saved_body)
    client = PolisenClient(transport=transport, clock=clock)
    for _ in range(130):
        client.events()
    times = [call[0] for call in transport.calls]
    for i, start in enumerate(times):
        in_hour = [t for t in times[i:] if t - start < 3600]
        assert len(in_hour) <= 60
    # The 61st call waits until an hour after the first.
    assert times[60] - times[0] >= 3600


def test_the_daily_cap_holds(saved_body):
    clock = FakeClock()
    limiter = RateLimiter(clock, min_interval=0.0, per_hour=10_000, per_day=1440)
    for _ in range(1441):
        limiter.wait()
    assert limiter.calls[-1] - limiter.calls[0] >= 86400


def test_a_waiting_caller_does_not_wait_when_enough_time_has_passed(saved_body):
    clock = FakeClock()
    client = PolisenClient(transport=FakeTransport(clock, saved_body), clock=clock)
    client.events()
    clock.now += 11
    client.events()
    assert clock.slept == []


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (429, b"Too many", "status 429"),
        (200, b"<html>", "inte med JSON"),
        (200, b'{"error": 1}', "lista"),
    ],
)
def test_bad_answers_raise_a_clear_error(status, body, message):
    clock = FakeClock()
    client = PolisenClient(transport=FakeTransport(clock, body, status), clock=clock)
    with pytest.raises(PolisenClientError, match=message):
        client.events()


def test_a_user_agent_is_required():
    with pytest.raises(ValueError, match="User-Agent"):
        PolisenClient(user_agent=" ")


def test_fetch_polisen_asks_for_the_municipality_and_county_and_imports(
    kungalv, monkeypatch, saved_body, capsys
):
    from django.core.management import call_command

    from trygg.situation.clients import polisen as polisen_client
    from trygg.situation.models import Incident

    calls = []

    def transport(url, headers, params, timeout):
        calls.append((headers, params))
        return Response(200, saved_body)

    monkeypatch.setattr(polisen_client, "requests_transport", transport)
    call_command("fetch_polisen")
    headers, params = calls[0]
    assert params == {"locationname": "Kungälv;Västra Götalands län"}
    assert headers["User-Agent"].startswith("Trygg/")
    assert Incident.objects.filter(external_id="polisen:479917").exists()
    assert "1 nya händelser" in capsys.readouterr().out


def test_fetch_polisen_reports_an_api_error(kungalv, monkeypatch):
    from django.core.management import CommandError, call_command

    from trygg.situation.clients import polisen as polisen_client

    monkeypatch.setattr(polisen_client, "requests_transport", lambda *a: Response(503, b""))
    with pytest.raises(CommandError, match="status 503"):
        call_command("fetch_polisen")
