"""The read API: schema, a contract test per endpoint, tokens and municipalities, rate limit, ETags,
pagination, and that no single incident leaves through any public endpoint."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from openapi_spec_validator import validate

from trygg.accounts.models import Role
from trygg.indicators.models import Indicator, Observation, Region
from trygg.publishing.actions import do_create_api_token, do_revoke_api_token
from trygg.publishing.api import api
from trygg.situation.actions import LocationContext, apply_location
from trygg.situation.models import Category, Incident
from trygg.situation.taxonomy import seed_categories

from .conftest import INTERNAL_COMMENT

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")
LONE = (57.8722, 11.9800)  # central Kungälv
CROWD = (57.8610, 12.0100)  # about 2.5 km away: another r7 cell
LONE_DESCRIPTION = "Ensam händelse med detaljer som aldrig får lämna systemet"


def _text(response) -> str:
    """The body as text; JSON decoded first, so that a \\u-escaped word cannot hide from a check."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _get(client, url, token=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(url, **headers)


def _token(municipality, role=Role.PARTNER.value):
    return do_create_api_token(municipality, "Test", role, acting_user=None)


@pytest.fixture
def incidents(municipality):
    """One incident alone in its cell, six together in another, all in March 2024."""
    seed_categories(Category)
    ctx = LocationContext.of(municipality)
    category = Category.objects.order_by("pk").first()
    rows = []
    for i, (lat, lon) in enumerate([LONE] + [CROWD] * 6):
        incident = Incident(
            category=category,
            occurred_from=dt.datetime(2024, 3, 10 + i, 21, tzinfo=STOCKHOLM),
            description=LONE_DESCRIPTION if i == 0 else "",
        )
        apply_location(incident, ctx, place=None, lat=lat, lon=lon)
        incident.save()
        rows.append(incident)
    return rows


@pytest.fixture
def statistics(municipality):
    region = Region.objects.get_or_create(
        code=municipality.code, defaults={"kind": "kommun", "name": "Kungälv"}
    )[0]
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    national = Indicator.objects.create(code="N07403", title="Anmälda brott", unit="per_100k")
    Observation.objects.create(
        indicator=national,
        region=region,
        period="2023",
        period_start=2023,
        period_end=2023,
        value=9000.0,
        imported_at=now,
    )
    local = Indicator.objects.create(
        code="LOKAL.skadegorelse",
        title="Skadegörelse i skolor",
        is_local=True,
        municipality=municipality,
        sensitive=False,
    )
    Observation.objects.create(
        indicator=local,
        region=region,
        period="2023",
        period_start=2023,
        period_end=2023,
        value=3.0,
        imported_at=now,
    )
    Observation.objects.create(
        indicator=local,
        region=region,
        period="2024",
        period_start=2024,
        period_end=2024,
        value=12.0,
        imported_at=now,
    )
    protected = Indicator.objects.create(
        code="LOKAL.orosanmalningar", title="Orosanmälningar", is_local=True, municipality=municipality
    )
    return {"national": national, "local": local, "protected": protected}


def test_openapi_schema_validates(client):
    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    paths = set(schema["paths"])
    assert "/api/v1/plans/{slug}/activities/{activity_id}/history" in paths
    assert "/api/v1/lagesbild/{code}/cells" in paths
    assert "TokenAuth" in json.dumps(schema["components"]["securitySchemes"])


# --- contract per endpoint -------------------------------------------------------------------------------


def test_contract_plans(client, published):
    body = client.get("/api/v1/plans").json()
    assert body["count"] == 1
    plan = body["items"][0]
    assert set(plan) == {
        "slug",
        "name",
        "municipality_code",
        "municipality",
        "period_start",
        "period_end",
        "published",
        "years",
    }
    assert plan["years"] == [2023]


def test_contract_plan_detail(client, published):
    body = client.get(f"/api/v1/plans/{published.plan.slug}").json()
    assert [a["number"] for a in body["areas"]] == [1, 2]
    assert body["areas"][0]["interventions"][0]["title"] == "Insats: 1.1"
    assert [f["year"] for f in body["follow_ups"]] == [2023]


def test_contract_activities_with_filters(client, published):
    url = f"/api/v1/plans/{published.plan.slug}/activities"
    body = client.get(url).json()
    assert body["count"] == 6
    row = body["items"][0]
    assert set(row) >= {
        "id",
        "number",
        "title",
        "status",
        "status_label",
        "comment",
        "year",
        "political_assignment",
    }
    assert client.get(url, {"area": 2}).json()["count"] == 3
    assert all(r["political_assignment"] for r in client.get(url, {"political": "true"}).json()["items"])
    assert client.get(url, {"status": "nonsense"}).status_code == 422


def test_contract_statuses(client, published):
    items = client.get(f"/api/v1/plans/{published.plan.slug}/statuses").json()["items"]
    assert len(items) == 6 and {r["year"] for r in items} == {2023}
    assert set(items[0]) == {"year", "activity_id", "status", "status_label", "comment"}


def test_contract_history(client, published):
    activity_id = published.shown.activity_id
    body = client.get(f"/api/v1/plans/{published.plan.slug}/activities/{activity_id}/history").json()
    assert [row["year"] for row in body] == [2023]
    assert (
        body[0]["status"] == published.shown.status
        and body[0]["changes"][0]["status"] == published.shown.status
    )
    assert client.get(f"/api/v1/plans/{published.plan.slug}/activities/999999/history").status_code == 404


def test_contract_indicators_and_observations(client, statistics, municipality):
    codes = {
        i["code"]
        for i in client.get("/api/v1/indicators", {"municipality": municipality.code}).json()["items"]
    }
    assert codes == {"N07403", "LOKAL.skadegorelse"}  # the protected local indicator is not public
    values = client.get(f"/api/v1/indicators/{statistics['local'].pk}/observations").json()["items"]
    assert [(v["period"], v["value"], v["status"]) for v in values] == [
        ("2023", None, "suppressed"),
        ("2024", 12.0, "ok"),
    ]
    assert client.get(f"/api/v1/indicators/{statistics['protected'].pk}/observations").status_code == 404
    national = client.get(f"/api/v1/indicators/{statistics['national'].pk}/observations").json()["items"]
    assert national[0]["value"] == 9000.0


def test_contract_lagesbild_cells_and_counts(client, incidents, municipality):
    cells = client.get(f"/api/v1/lagesbild/{municipality.code}/cells", {"year": 2024, "month": 3}).json()
    assert cells["suppressed_below"] == 5 and cells["hidden_cells"] == 1
    assert [c["count"] for c in cells["cells"]] == [6]
    counts = client.get(f"/api/v1/lagesbild/{municipality.code}/counts", {"year": 2024}).json()
    assert [(c["month"], c["count"]) for c in counts["counts"]] == [("2024-03", 7)]
    assert (
        client.get(
            f"/api/v1/lagesbild/{municipality.code}/cells", {"year": 2024, "month": 3, "resolution": 8}
        ).status_code
        == 422
    )


# --- tokens and municipalities ----------------------------------------------------------------------------


def test_token_of_a_cannot_read_b(client, published, private_plan, municipality, other_municipality):
    _, token_a = _token(municipality)
    _, token_b = _token(other_municipality)
    url = f"/api/v1/plans/{private_plan.slug}"
    assert _get(client, url, token_a).status_code == 404
    assert _get(client, url, token_b).status_code == 200
    assert private_plan.slug not in _get(client, "/api/v1/plans", token_a).content.decode()
    # B's token reads B's internal comments, A's token does not
    statuses = f"/api/v1/plans/{private_plan.slug}/statuses"
    assert "Ales interna kommentar" in _text(_get(client, statuses, token_b))
    assert _get(client, statuses, token_a).status_code == 404


def test_token_reads_own_internal_comments_anonymous_does_not(client, published, municipality):
    _, token = _token(municipality, Role.READER.value)
    url = f"/api/v1/plans/{published.plan.slug}/statuses"
    assert INTERNAL_COMMENT in _text(_get(client, url, token))
    assert INTERNAL_COMMENT not in _text(client.get(url))


def test_revoked_or_wrong_token_is_refused(client, published, municipality):
    written, token = _token(municipality)
    assert _get(client, "/api/v1/plans", token).status_code == 200
    do_revoke_api_token(written.obj, acting_user=None)
    assert _get(client, "/api/v1/plans", token).status_code == 401
    assert _get(client, "/api/v1/plans", "trygg_guessed").status_code == 401


def test_token_role_decides_lagesbild_suppression(client, incidents, municipality, other_municipality):
    url = f"/api/v1/lagesbild/{municipality.code}/cells?year=2024&month=3"
    _, partner = _token(municipality, Role.PARTNER.value)
    _, reader = _token(municipality, Role.READER.value)
    _, foreign_partner = _token(other_municipality, Role.PARTNER.value)
    assert sorted(c["count"] for c in _get(client, url, partner).json()["cells"]) == [1, 6]
    assert [c["count"] for c in _get(client, url, reader).json()["cells"]] == [6]
    assert [c["count"] for c in _get(client, url, foreign_partner).json()["cells"]] == [6]


# --- shared rules ---------------------------------------------------------------------------------------


@override_settings(TRYGG_API_RATE_LIMIT=3, TRYGG_API_TOKEN_RATE_LIMIT=5)
def test_rate_limit_is_enforced_per_client(client, municipality):
    codes = [client.get("/api/v1/plans").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/plans")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    _, token = _token(municipality)
    assert [_get(client, "/api/v1/plans", token).status_code for _ in range(6)] == [200] * 5 + [429]


def test_etag_answers_304_until_the_data_changes(client, published):
    url = f"/api/v1/plans/{published.plan.slug}/activities"
    first = client.get(url)
    etag = first["ETag"]
    assert etag
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    published.plan.areas.filter(number=1).update(title="Ny rubrik")
    published.plan.areas.first().interventions.first().activities.update(title="Nytt namn")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_pagination(client, published):
    url = f"/api/v1/plans/{published.plan.slug}/activities"
    page1 = client.get(url, {"page_size": 4}).json()
    page2 = client.get(url, {"page_size": 4, "page": 2}).json()
    assert page1["count"] == page2["count"] == 6
    assert len(page1["items"]) == 4 and len(page2["items"]) == 2
    assert not {r["id"] for r in page1["items"]} & {r["id"] for r in page2["items"]}


def test_no_single_incident_leaves_through_any_public_endpoint(client, incidents, published, municipality):
    """Every anonymous GET endpoint of the schema, with the parameters that reach the lägesbild: no incident
    id, position, description or count of one appears."""
    from trygg.lib.geo import cell_to_h3

    lone = incidents[0]
    lone_cells = {cell_to_h3(getattr(lone, f"h3_r{r}")) for r in (7, 8, 9)}
    urls = [
        "/api/v1/plans",
        f"/api/v1/plans/{published.plan.slug}",
        f"/api/v1/plans/{published.plan.slug}/activities",
        f"/api/v1/plans/{published.plan.slug}/statuses",
        "/api/v1/indicators",
        *[f"/api/v1/lagesbild/{municipality.code}/cells?year=2024&month=3&resolution={r}" for r in (7, 8, 9)],
        f"/api/v1/lagesbild/{municipality.code}/cells?year=2024&month=3&category={lone.category.slug}",
        f"/api/v1/lagesbild/{municipality.code}/counts?year=2024",
        "/oppet/data/katalog.rdf",
        f"/oppet/data/statistik/{municipality.code}.json",
        f"/oppet/data/dialog/{municipality.code}.json",
    ]
    schema_paths = {p for p in client.get("/api/v1/openapi.json").json()["paths"] if "{" not in p}
    assert schema_paths <= {u.split("?")[0] for u in urls} | {"/api/v1/openapi.json"}
    for url in urls:
        body = _text(client.get(url))
        assert LONE_DESCRIPTION not in body, url
        assert f"{lone.lat:.4f}" not in body and f"{lone.lon:.4f}" not in body, url
        assert not any(cell in body for cell in lone_cells), url
        if "counts" in url:
            assert all(c["count"] is None or c["count"] >= 5 for c in json.loads(body)["counts"])


def test_every_endpoint_has_a_contract_test():
    names = {
        op.view_func.__name__
        for router in api._routers
        for path in router[1].path_operations.values()
        for op in path.operations
    }
    tested = {
        "list_plans",
        "get_plan",
        "list_activities",
        "list_statuses",
        "activity_history",
        "list_indicators",
        "list_observations",
        "lagesbild_cells",
        "lagesbild_counts",
    }
    assert names == tested
