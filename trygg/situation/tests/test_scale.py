"""The lägesbild at city scale: the map asks per view (cells far out, single incidents close in), readers get
counts only with small cells suppressed, responses are compact, gzipped and revalidated by ETag, the table
follows the view with keyset pages, and a meeting's figures are stored once and equal a fresh computation."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from trygg.places.models import Place
from trygg.situation import queries
from trygg.situation.brief import build_brief, meeting_figures
from trygg.situation.hotspots import hotspot_cache
from trygg.situation.models import Meeting

from .conftest import at

KUNGALV_BOX = "11.6,57.75,12.2,58.05"
# Komarken and Vita fläcken are about 1 km apart: one r7 cell may hold both, r9 cells never.
NAMES = ["Vita fläcken", "Komarken", "Kode busstation", "Rollsbo", "Ytterbyskolan"]


@pytest.fixture(autouse=True)
def fresh_caches():
    cache.clear()
    hotspot_cache.invalidate()


@pytest.fixture
def many(kungalv, make_incident):
    """12 incidents at Vita fläcken, 2 at each of four other places, in the default period."""
    today = timezone.localdate()
    made = [
        make_incident("skadegorelse", at(today - dt.timedelta(days=2 + i), 22), place=NAMES[0])
        for i in range(12)
    ]
    for name in NAMES[1:]:
        made += [make_incident("brand", at(today - dt.timedelta(days=5 + d), 3), place=name) for d in (0, 1)]
    return made


def view(client, **params):
    response = client.get(reverse("situation:map_view"), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_map_answers_cells_far_out_and_points_close_in(personas, login, many, monkeypatch):
    monkeypatch.setattr(queries, "FEW_POINTS", 0)  # "few" would otherwise send points at every zoom
    client = login(personas["coordinator"])
    far = view(client, bbox=KUNGALV_BOX, zoom=10)
    assert far["mode"] == "cells" and far["resolution"] == 7
    assert sum(far["cells"]["n"]) == far["in_view"] == 20
    assert all(len(ring) == 12 for ring in far["cells"]["ring"])  # six corners, lat/lon flat
    mid = view(client, bbox=KUNGALV_BOX, zoom=13)
    assert mid["mode"] == "cells" and mid["resolution"] == 8 and sum(mid["cells"]["n"]) == 20
    close = view(client, bbox=KUNGALV_BOX, zoom=16)
    assert close["mode"] == "points" and len(close["points"]["rows"]) == 20
    fields = close["points"]["fields"]
    assert {r[fields.index("id")] for r in close["points"]["rows"]} == {i.pk for i in many}
    categories = close["lookup"]["category"]
    assert sorted(categories) == ["Brand", "Skadegörelse/klotter"]  # each name once, rows carry its index


def test_few_incidents_in_view_are_points_at_any_zoom_and_the_box_limits_them(personas, login, many):
    client = login(personas["partner"])
    assert view(client, bbox=KUNGALV_BOX, zoom=9)["mode"] == "points"
    vita = many[0]
    box = f"{vita.lon - 0.001},{vita.lat - 0.001},{vita.lon + 0.001},{vita.lat + 0.001}"
    rows = view(client, bbox=box, zoom=17)["points"]["rows"]
    assert rows and all(abs(r[1] - vita.lat) < 0.01 for r in rows) and len(rows) < 20


def test_readers_get_cells_only_and_small_cells_are_suppressed(personas, login, many, settings):
    settings.TRYGG_SUPPRESS_BELOW = 5
    reader = view(login(personas["reader"]), bbox=KUNGALV_BOX, zoom=16)
    assert reader["mode"] == "cells" and reader["resolution"] == 9
    assert reader["cells"]["n"] == [12]  # Vita fläcken; the cells of 2 are left out
    assert reader["hidden_cells"] >= 1 and reader["in_view"] == 12 and reader["suppress_below"] == 5
    assert "points" not in reader
    partner = view(login(personas["partner"]), bbox=KUNGALV_BOX, zoom=16)
    assert partner["mode"] == "points" and partner["suppress_below"] is None
    layers = login(personas["reader"]).get(reverse("situation:map_data")).json()
    assert layers["meta"]["restricted"] is True
    assert all(n is None or n >= 5 for n in layers["layers"]["hotspots"]["count"])


def test_a_small_cell_cannot_be_worked_back_from_the_total_shown_to_readers(
    personas, login, kungalv, make_incident, settings
):
    """Totals shown beside the cells (on_map) equal the sum of every cell, so one hidden cell would be the
    total minus the shown ones: the next smallest cell is hidden too. Small totals are hidden as well."""
    settings.TRYGG_SUPPRESS_BELOW = 5
    today = timezone.localdate()
    for name, n in (("Vita fläcken", 12), ("Rollsbo", 7), ("Ytterbyskolan", 1)):
        for d in range(n):
            make_incident("brand", at(today - dt.timedelta(days=2 + d), 3), place=name)
    reader = login(personas["reader"])
    layers = reader.get(reverse("situation:map_data")).json()["meta"]
    cells = view(reader, bbox=KUNGALV_BOX, zoom=16)
    assert layers["on_map"] == 20 and cells["mode"] == "cells"
    assert cells["cells"]["n"] == [12] and cells["hidden_cells"] == 2  # 7 is hidden with the 1
    few = {"start": str(today - dt.timedelta(days=2)), "end": str(today)}  # one at each place
    meta = reader.get(reverse("situation:map_data"), few).json()["meta"]
    assert meta["total"] is None and meta["on_map"] is None
    assert meta["not_on_map"] == 0  # a zero discloses nobody

    partner = login(personas["partner"])  # works the lägesbild: every incident, exact totals
    assert view(partner, bbox=KUNGALV_BOX, zoom=13)["in_view"] == 20
    assert partner.get(reverse("situation:map_data"), few).json()["meta"]["total"] == 3


def test_a_cell_count_does_not_depend_on_where_the_view_edge_cuts_it(personas, login, many):
    client = login(personas["reader"])  # cells, never points
    whole = view(client, bbox=KUNGALV_BOX, zoom=14)
    vita = many[0]
    tight = view(
        client, bbox=f"{vita.lon - 0.0005},{vita.lat - 0.0005},{vita.lon + 0.05},{vita.lat + 0.05}", zoom=14
    )
    counts = dict(zip(whole["cells"]["h3"], whole["cells"]["n"], strict=True))
    for cell, n in zip(tight["cells"]["h3"], tight["cells"]["n"], strict=True):
        assert counts[cell] == n


def test_map_responses_are_gzipped_compact_and_revalidated_by_etag(personas, login, many):
    client = login(personas["partner"])
    url = reverse("situation:map_view")
    first = client.get(url, {"bbox": KUNGALV_BOX, "zoom": 16}, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    body = json.loads(gzip.decompress(first.content))
    assert body["mode"] == "points" and b'"properties"' not in gzip.decompress(first.content)
    etag = first["ETag"]
    assert "private" in first["Cache-Control"]
    again = client.get(url, {"bbox": KUNGALV_BOX, "zoom": 16}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    make = many[0]
    make.description = "Ändrad."
    make.save()  # a new data version: the old ETag no longer matches
    assert client.get(url, {"bbox": KUNGALV_BOX, "zoom": 16}, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_malformed_view_is_a_400_not_an_error(personas, login, kungalv):
    client = login(personas["partner"])
    for params in (
        {"bbox": "1,2,3"},
        {"bbox": "12,58,11,57"},
        {"bbox": "a,b,c,d"},
        {"zoom": "99"},
        {"zoom": "x"},
    ):
        assert client.get(reverse("situation:map_view"), params).status_code == 400, params


def test_the_table_follows_the_map_view(personas, login, many):
    client = login(personas["partner"])
    vita = many[0]
    box = f"{vita.lon - 0.002},{vita.lat - 0.002},{vita.lon + 0.002},{vita.lat + 0.002}"
    page = client.get(reverse("situation:table"), {"bbox": box, "zoom": 16}).content.decode()
    assert "Tabellen följer kartans utsnitt" in page
    assert "12 händelser" in page and "Brand" not in page.split('id="incidents"')[1]
    whole = client.get(reverse("situation:table")).content.decode()
    assert "20 händelser" in whole


def _table_ids(client, params) -> tuple[list[int], str | None]:
    page = client.get(reverse("situation:table"), params).content.decode()
    rows = page.split('id="incidents"')[1]
    ids = [int(pk) for pk in re.findall(r'href="/lagesbild/handelser/(\d+)/"', rows)]
    cursor = re.search(r"efter=([0-9_-]+)", rows)
    return ids, cursor.group(1) if cursor else None


@pytest.mark.parametrize("order", ["nyast", "aldst"])
def test_keyset_pages_list_every_row_exactly_once_while_rows_are_added(
    personas, login, kungalv, make_incident, monkeypatch, order
):
    from trygg.situation.views import overview

    monkeypatch.setattr(overview, "TABLE_PAGE", 7)
    today = timezone.localdate()
    same_time = at(today - dt.timedelta(days=10), 12)
    existing = [make_incident("brand", same_time, place="Komarken") for _ in range(5)]  # ties on the time
    existing += [
        make_incident("brand", at(today - dt.timedelta(days=d), 1), place="Rollsbo") for d in range(2, 20)
    ]
    client = login(personas["partner"])
    seen, cursor, pages = [], None, 0
    while True:
        params = {"ordning": order, **({"efter": cursor} if cursor else {})}
        ids, cursor = _table_ids(client, params)
        seen += ids
        pages += 1
        # someone reports while we read: newer and older than the page we are on
        make_incident("ovrigt", at(today - dt.timedelta(days=1), 5), place="Komarken")
        make_incident("ovrigt", at(today - dt.timedelta(days=30 + pages), 5), place="Komarken")
        if cursor is None:
            break
        assert pages < 20
    original = {i.pk for i in existing}
    assert len(seen) == len(set(seen))  # no row twice
    assert original <= set(seen)  # every row present when paging started, once
    assert pages >= 4


@pytest.mark.parametrize("order", ["nyast", "aldst"])
def test_keyset_pages_over_several_municipalities_merge_them_in_order_and_once(
    client, kungalv, ale, make_incident, monkeypatch, order
):
    """A partner in Kungälv and Ale pages the union (?kommuner=alla): each municipality's page is read in
    index order and the pages merged; every row comes once, in time order, whatever the mix, including
    rows at the same instant in both."""
    from trygg.accounts.models import Role
    from trygg.conftest import grant, make_user
    from trygg.situation.actions import LocationContext, apply_location
    from trygg.situation.models import Category, Incident
    from trygg.situation.views import overview

    monkeypatch.setattr(overview, "TABLE_PAGE", 6)
    today = timezone.localdate()
    ale_torg = Place.objects.get(name="Ale torg")
    made = []
    for d in range(2, 22):
        if d % 3:
            made.append(make_incident("brand", at(today - dt.timedelta(days=d), 12), place="Komarken"))
        if d % 2 or d == 6:  # day 6: both at the same instant
            row = Incident(
                category=Category.objects.get(slug="brand"),
                occurred_from=at(today - dt.timedelta(days=d), 12),
            )
            apply_location(row, LocationContext.of(ale), place=ale_torg, lat=None, lon=None)
            row.save()
            made.append(row)
    client.force_login(grant(make_user("polis-ab", Role.PARTNER, municipality=kungalv), ale, Role.PARTNER))
    seen, cursor = [], None
    for _ in range(20):
        ids, cursor = _table_ids(
            client, {"kommuner": "alla", "ordning": order, **({"efter": cursor} if cursor else {})}
        )
        seen += ids
        if cursor is None:
            break
    by_pk = {i.pk: i for i in made}
    assert sorted(seen) == sorted(by_pk)  # every row of both, once
    keys = [(by_pk[pk].occurred_from, pk) for pk in seen]
    assert keys == sorted(keys, reverse=order == "nyast")
    assert {by_pk[pk].municipality_id for pk in seen[:6]} == {kungalv.pk, ale.pk}  # mixed on one page


def test_stored_meeting_figures_equal_a_fresh_computation(personas, login, world, make_incident):
    meeting = world["meeting"]
    today = timezone.localdate()
    for i in range(15):
        make_incident("brand", at(meeting.date - dt.timedelta(days=1 + i), 23), place=NAMES[i % 3])
    client = login(personas["partner"])
    assert client.get(reverse("situation:meeting_detail", args=[meeting.pk])).status_code == 200
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.figures is not None and stored.figures_computed_at is not None
    fresh = meeting_figures(stored, stored.municipality, stored.previous(), today=today)
    assert stored.figures == json.loads(json.dumps(fresh))
    doc_stored = build_brief(stored, stored.municipality, today=today, figures=stored.figures)
    doc_fresh = build_brief(stored, stored.municipality, today=today)
    assert doc_stored == doc_fresh


def test_stored_figures_are_read_until_recomputed(personas, login, world, make_incident):
    meeting = world["meeting"]
    partner = login(personas["partner"])  # one who works the lägesbild and sees the brief
    url = reverse("situation:meeting_detail", args=[meeting.pk])
    partner.get(url)
    computed = Meeting.objects.get(pk=meeting.pk).figures
    make_incident("brand", at(meeting.date - dt.timedelta(days=2), 23), place="Komarken")  # reported late
    partner.get(url)
    assert Meeting.objects.get(pk=meeting.pk).figures == computed  # read, not recomputed
    reader = login(personas["reader"])
    assert reader.post(reverse("situation:meeting_recompute", args=[meeting.pk])).status_code == 403
    coordinator = login(personas["coordinator"])
    response = coordinator.post(reverse("situation:meeting_recompute", args=[meeting.pk]))
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).figures["total"] == computed["total"] + 1
    assert coordinator.get(reverse("situation:meeting_recompute", args=[meeting.pk])).status_code == 405


def test_stored_figures_follow_a_changed_period(personas, login, world, make_incident):
    """A meeting added before this one shortens its period (it starts the day after the previous meeting):
    the stored figures are for the old period, so the next view computes and stores the new ones."""
    meeting = world["meeting"]
    for days in (3, 9):
        make_incident("brand", at(meeting.date - dt.timedelta(days=days), 23), place="Komarken")
    partner = login(personas["partner"])
    url = reverse("situation:meeting_detail", args=[meeting.pk])
    partner.get(url)
    before = Meeting.objects.get(pk=meeting.pk).figures
    Meeting.objects.create(
        municipality=meeting.municipality,
        date=meeting.date - dt.timedelta(days=5),
        kind=Meeting.Kind.LST_WEEKLY,
    )
    partner.get(url)
    after = Meeting.objects.get(pk=meeting.pk).figures
    assert after["period"][0] == str(meeting.date - dt.timedelta(days=4)) != before["period"][0]
    assert after["total"] == before["total"] - 1  # the incident 9 days before is no longer in the period
