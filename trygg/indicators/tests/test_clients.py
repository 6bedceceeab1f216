"""Live clients against saved responses through a fake transport: no network."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
import requests

from trygg.indicators import actions
from trygg.indicators.clients.http import ApiError, retry_after_seconds
from trygg.indicators.clients.kolada import KoladaClient
from trygg.indicators.clients.scb import ScbClient, split_selection
from trygg.indicators.importers import parse_jsonstat, parse_kolada
from trygg.indicators.importers.common import merge
from trygg.indicators.models import Observation

EMPTY_PAGE = {"values": [], "next_url": None}


class FakeResponse:
    def __init__(self, status_code=200, payload=None, headers=None, text=None):
        self.status_code = status_code
        self._payload = payload
        self.headers = headers or {}
        self._text = text

    def json(self):
        if self._text is not None:
            return json.loads(self._text)
        return self._payload


class FakeSession:
    """Answers GETs from a routing function and records what was asked."""

    def __init__(self, route):
        self.route = route
        self.calls = []

    def get(self, url, params=None, headers=None, timeout=None):
        self.calls.append({"url": url, "params": params, "headers": headers, "timeout": timeout})
        return self.route(url, params, len(self.calls))


def _load(test_data, name):
    return json.loads((test_data / name).read_text(encoding="utf-8"))


def test_kolada_follows_next_url_and_sends_a_user_agent(test_data):
    page1, page2 = _load(test_data, "kolada_data_page1.json"), _load(test_data, "kolada_data_page2.json")

    def route(url, params, n):
        return FakeResponse(payload=page2 if "page=2" in url else page1)

    session = FakeSession(route)
    client = KoladaClient("https://kolada.example/v3", session=session)
    pages = client.data(["N07540", "N07609", "N07657"], ["1482", "0000", "0014"], [2021, 2022, 2023])
    assert pages == [page1, page2]
    assert session.calls[0]["url"] == (
        "https://kolada.example/v3/data/kpi/N07540,N07609,N07657/municipality/0000,0014,1482/year/2021,2022,2023"
    )
    assert session.calls[1]["url"] == page1["next_url"]
    assert session.calls[0]["headers"]["User-Agent"] == "Trygg/0.1 (+kommunens kontaktadress)"
    assert session.calls[0]["timeout"] > 0


def test_kolada_base_url_and_user_agent_come_from_settings(settings):
    settings.TRYGG_KOLADA_URL = "https://kolada.test/v3/"
    settings.TRYGG_HTTP_USER_AGENT = "Trygg/0.1 (+trygg@kungalv.se)"
    session = FakeSession(lambda url, params, n: FakeResponse(payload={"values": [], "next_url": None}))
    KoladaClient(session=session).kpis(["N07540"])
    assert session.calls[0]["url"] == "https://kolada.test/v3/kpi/N07540"
    assert session.calls[0]["headers"]["User-Agent"] == "Trygg/0.1 (+trygg@kungalv.se)"


def test_kolada_splits_more_than_25_ids_per_segment():
    session = FakeSession(lambda url, params, n: FakeResponse(payload={"values": [], "next_url": None}))
    municipalities = [f"{1400 + i:04d}" for i in range(60)]
    KoladaClient("https://k/v3/", session=session).data(["N07540"], municipalities, [2023])
    segments = [
        call["url"].split("/municipality/")[1].split("/year/")[0].split(",") for call in session.calls
    ]
    assert [len(s) for s in segments] == [25, 25, 10]
    assert sorted(code for s in segments for code in s) == sorted(municipalities)


def test_kolada_backs_off_on_429_honouring_retry_after():
    waits = []
    answers = iter(
        [
            FakeResponse(429, headers={"Retry-After": "7"}),
            FakeResponse(429),
            FakeResponse(payload={"values": [], "next_url": None}),
        ]
    )
    session = FakeSession(lambda url, params, n: next(answers))
    client = KoladaClient("https://k/v3/", session=session, sleep=waits.append)
    assert client.kpis(["N07540"]) == []
    assert waits == [7.0, 2.0]  # Retry-After, then exponential back-off (2 ** attempt)
    assert len(session.calls) == 3


def test_a_retry_after_longer_than_our_own_back_off_is_waited_in_full():
    # max_wait bounds Trygg's own back-off; a server that asks for 300 s is not asked again after 120 s.
    waits = []
    answers = iter([FakeResponse(503, headers={"Retry-After": "300"}), FakeResponse(payload=EMPTY_PAGE)])
    session = FakeSession(lambda url, params, n: next(answers))
    client = KoladaClient("https://k/v3/", session=session, sleep=waits.append, max_wait=120)
    assert client.kpis(["N07540"]) == []
    assert waits == [300.0]


def test_a_retry_after_beyond_the_cap_fails_at_once_in_swedish():
    waits = []
    session = FakeSession(lambda url, params, n: FakeResponse(429, headers={"Retry-After": "3600"}))
    client = KoladaClient("https://k/v3/", session=session, sleep=waits.append)
    with pytest.raises(ApiError, match="ber om 3600 sekunders väntan \\(Retry-After\\), längre än de 600"):
        client.kpis(["N07540"])
    assert waits == [] and len(session.calls) == 1  # no early retry


def test_a_retry_after_date_is_honoured():
    later = (datetime.now(UTC) + timedelta(seconds=200)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    waits = []
    answers = iter([FakeResponse(429, headers={"Retry-After": later}), FakeResponse(payload=EMPTY_PAGE)])
    session = FakeSession(lambda url, params, n: next(answers))
    KoladaClient("https://k/v3/", session=session, sleep=waits.append).kpis(["N07540"])
    assert 190 < waits[0] <= 200


def test_kolada_gives_up_with_a_swedish_error_after_max_retries():
    session = FakeSession(lambda url, params, n: FakeResponse(429, headers={"Retry-After": "1"}))
    client = KoladaClient("https://k/v3/", session=session, sleep=lambda s: None, max_retries=2)
    with pytest.raises(ApiError, match="HTTP 429"):
        client.kpis(["N07540"])
    assert len(session.calls) == 3


def test_connection_errors_are_retried_then_reported():
    def route(url, params, n):
        raise requests.ConnectionError("down")

    session = FakeSession(route)
    with pytest.raises(ApiError, match="Kunde inte nå"):
        KoladaClient("https://k/v3/", session=session, sleep=lambda s: None, max_retries=1).kpis(["N07540"])


def test_a_looping_next_url_is_stopped():
    page = {"values": [], "next_url": "https://k/v3/kpi/N07540"}
    session = FakeSession(lambda url, params, n: FakeResponse(payload=page))
    with pytest.raises(ApiError, match="slinga"):
        KoladaClient("https://k/v3/", session=session).kpis(["N07540"])


def test_fetched_kolada_pages_import(test_data, catalogue):
    page1, page2 = _load(test_data, "kolada_data_page1.json"), _load(test_data, "kolada_data_page2.json")
    session = FakeSession(lambda url, params, n: FakeResponse(payload=page2 if "page=2" in url else page1))
    pages = KoladaClient("https://k/v3/", session=session).data(["N07540"], ["1482"], [2023])
    result = actions.do_import_observations(parse_kolada(pages))
    assert result.rows == 10  # 12 values on two pages, 2 marked isdeleted
    assert (
        Observation.objects.get(indicator__code="N07540", region__code="1482", period="2023").value == 8310.4
    )


def test_retry_after_as_http_date_in_the_past_means_no_wait():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", 5) == 0.0
    assert retry_after_seconds("soon", 5) == 5
    assert retry_after_seconds(None, 3) == 3


def test_scb_selection_is_split_to_at_most_150000_cells():
    selection = {
        "Region": [f"{i:04d}" for i in range(290)],
        "Tid": [str(y) for y in range(2000, 2024)],
        "Alder": [str(a) for a in range(30)],
    }
    parts = split_selection(selection)
    assert len(parts) > 1
    cells = [len(p["Region"]) * len(p["Tid"]) * len(p["Alder"]) for p in parts]
    assert max(cells) <= 150_000
    assert sum(cells) == 290 * 24 * 30
    covered = {(r, t, a) for p in parts for r in p["Region"] for t in p["Tid"] for a in p["Alder"]}
    assert len(covered) == 290 * 24 * 30


def test_scb_client_expands_star_from_saved_metadata_and_imports_saved_data(shared_data, regions):
    metadata = json.loads((shared_data / "scb_TAB6471_metadata.json").read_text(encoding="utf-8"))
    data = json.loads((shared_data / "scb_TAB6471_population.jsonstat2.json").read_text(encoding="utf-8"))

    def route(url, params, n):
        return FakeResponse(payload=metadata if url.endswith("/metadata") else data)

    session = FakeSession(route)
    client = ScbClient("https://scb.example/api/v2", session=session)
    datasets = client.data(
        "TAB6471",
        {
            "Region": ["*"],
            "Alder": ["0-9"],
            "Kon": ["TotSa"],
            "ContentsCode": ["000007SF"],
            "Tid": ["2026M01"],
        },
    )
    assert session.calls[0]["url"] == "https://scb.example/api/v2/tables/TAB6471/metadata"
    params = dict(session.calls[1]["params"])
    assert params["outputFormat"] == "json-stat2"
    assert "1482" in unquote(params["valueCodes[Region]"]).split(",")
    result = actions.do_import_observations(merge([parse_jsonstat(d) for d in datasets]))
    assert result.rows == 2772
