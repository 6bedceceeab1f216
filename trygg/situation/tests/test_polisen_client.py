"""The live Polisen client and the fetch command (one call per run for every hosted municipality), tested with
saved responses."""

from __future__ import annotations

import pytest

from trygg.situation.clients.polisen import (
    API_URL,
    PolisenClient,
    PolisenClientError,
    Response,
)

from .conftest import POLISEN_FILE


class FakeTransport:
    def __init__(self, body: bytes, status: int = 200):
        self.body, self.status = body, status
        self.calls: list[tuple[str, dict, dict]] = []

    def __call__(self, url, headers, params, timeout):
        self.calls.append((url, headers, params))
        return Response(self.status, self.body)


@pytest.fixture
def saved_body() -> bytes:
    return POLISEN_FILE.read_bytes()


def test_it_sends_a_user_agent_and_returns_the_saved_events(saved_body):
    transport = FakeTransport(saved_body)
    client = PolisenClient(user_agent="Trygg-test/1.0 (kommun)", transport=transport)
    events = client.events(location_names=["Kungälv", "Västra Götalands län"])
    assert len(events) == 500
    url, headers, params = transport.calls[0]
    assert url == API_URL
    assert headers["User-Agent"] == "Trygg-test/1.0 (kommun)"
    assert params == {"locationname": "Kungälv;Västra Götalands län"}


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (429, b"Too many", "status 429"),
        (200, b"<html>", "inte med JSON"),
        (200, b'{"error": 1}', "lista"),
    ],
)
def test_bad_answers_raise_a_clear_error(status, body, message):
    client = PolisenClient(transport=FakeTransport(body, status))
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
    assert len(calls) == 1  # one call per run: the API's limits hold across cron runs (docs/lagesbild.md)
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


def test_fetch_polisen_covers_every_hosted_municipality_in_one_call_or_one_with_code(
    kungalv, ale, monkeypatch, saved_body
):
    from django.core.management import CommandError, call_command

    from trygg.situation.clients import polisen as polisen_client

    calls = []

    def transport(url, headers, params, timeout):
        calls.append(params)
        return Response(200, saved_body)

    monkeypatch.setattr(polisen_client, "requests_transport", transport)
    call_command("fetch_polisen")
    assert calls == [{"locationname": "Ale;Västra Götalands län;Kungälv"}]
    call_command("fetch_polisen", "--code", "1440")
    assert calls[-1] == {"locationname": "Ale;Västra Götalands län"}
    with pytest.raises(CommandError, match="finns inte i installationen"):
        call_command("fetch_polisen", "--code", "0180")


def test_the_client_keeps_no_in_process_rate_limiter():
    assert not hasattr(polisen_module(), "RateLimiter")


def polisen_module():
    from trygg.situation.clients import polisen

    return polisen
