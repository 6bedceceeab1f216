"""The read API (django-ninja), mounted at /api/v1/ with its OpenAPI schema at /api/v1/openapi.json.

Anonymous clients read public data only (published plans, follow-ups and comments; public statistics;
lägesbild aggregates with small counts suppressed). A partner's token (``Authorization: Bearer …``) reads
besides that its own municipality's data as its role does (:mod:`trygg.publishing.access`). The lägesbild is
only ever given as aggregates (counts per H3 cell, per category and month): no endpoint returns an incident.
Rate limits, ETags and the token check are in :mod:`trygg.publishing.api_urls`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from trygg.indicators import suppression
from trygg.indicators.models import Indicator, Observation
from trygg.lib.geo import cell_to_h3
from trygg.places.models import Municipality
from trygg.plans.models import STATUS_CHOICES
from trygg.plans.tree import load_plan_tree
from trygg.situation.models import Category
from trygg.situation.queries import STOCKHOLM, IncidentFilter, counts_per_cell

from . import access, opendata
from .models import ApiToken, token_digest

PAGE_SIZE = 100
# Anonymous clients get one resolution (H3 cells of about 5 km²) and no category filter: with two resolutions,
# or cells per category beside cells of all, a hidden small count could be worked out as a difference.
PUBLIC_RESOLUTIONS = (7,)


class TokenAuth(HttpBearer):
    """A partner's token; a wrong or revoked token is refused (401), never treated as anonymous."""

    openapi_description = (
        "API-nyckel som en samordnare eller administratör har skapat (Authorization: Bearer …)."
    )

    def authenticate(self, request, token: str):
        found = ApiToken.objects.active().filter(digest=token_digest(token)).first()
        if found is None:
            raise HttpError(401, "Nyckeln är ogiltig eller återkallad.")
        return access.Reader(municipality_id=found.municipality_id, role=found.role, token_id=found.pk)


class Utf8Renderer(JSONRenderer):
    """Swedish text as UTF-8, not \\u escapes (smaller, and readable in a browser)."""

    json_dumps_params = {"ensure_ascii": False}


def anonymous(request):
    return access.PUBLIC


api = NinjaAPI(
    title="Trygg API",
    version="1",
    description=(
        "Läs publicerade planer med status och historik, nyckeltal och lägesbildens sammanräkningar. "
        "Utan nyckel: bara publicerade uppgifter. Enskilda händelser lämnas aldrig ut."
    ),
    urls_namespace="api-v1",
    auth=[TokenAuth(), anonymous],
    renderer=Utf8Renderer(),
    docs_url=None,  # the Swagger page loads scripts from a CDN, which the Content-Security-Policy refuses
)


def reader_of(request) -> access.Reader:
    return request.auth if isinstance(request.auth, access.Reader) else access.PUBLIC


# --- schemas -------------------------------------------------------------------------------------------


class PlanOut(Schema):
    slug: str
    name: str
    municipality_code: str
    municipality: str
    period_start: int
    period_end: int
    published: bool
    years: list[int]


class InterventionOut(Schema):
    number: int
    title: str


class AreaOut(Schema):
    number: int
    title: str
    description: str
    interventions: list[InterventionOut]


class FollowUpOut(Schema):
    year: int
    date: dt.date
    summary: str
    introduction: str
    current_analysis: str


class PlanDetailOut(PlanOut):
    areas: list[AreaOut]
    follow_ups: list[FollowUpOut]


class ActivityOut(Schema):
    id: int
    number: str
    area: int
    intervention: str
    title: str
    political_assignment: bool
    planned_start: dt.date | None
    planned_end: dt.date | None
    year: int | None
    status: str | None
    status_label: str
    comment: str


class StatusRow(Schema):
    year: int
    activity_id: int
    status: str | None
    status_label: str
    comment: str


class HistoryStep(Schema):
    date: dt.date
    status: str


class HistoryYear(Schema):
    year: int
    status: str | None
    status_label: str
    comment: str
    changes: list[HistoryStep]


class IndicatorOut(Schema):
    id: int
    code: str
    title: str
    unit: str
    source: str
    local: bool


class ObservationOut(Schema):
    region: str
    period: str
    breakdown: str
    value: float | None
    status: str


class CellOut(Schema):
    cell: str
    count: int


class CellsOut(Schema):
    municipality_code: str
    year: int
    month: int
    resolution: int
    suppressed_below: int | None
    hidden_cells: int
    cells: list[CellOut]


class CategoryCount(Schema):
    month: str
    category: str
    count: int | None


class CountsOut(Schema):
    municipality_code: str
    suppressed_below: int | None
    counts: list[CategoryCount]


# --- plans --------------------------------------------------------------------------------------------


def _plan_out(reader, plan) -> dict:
    return {
        "slug": plan.slug,
        "name": plan.name,
        "municipality_code": plan.municipality.code,
        "municipality": plan.owner_name,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "published": plan.published,
        "years": [f.year for f in access.follow_ups(reader, plan)],
    }


@api.get("/plans", response=list[PlanOut], tags=["planer"], summary="Planer")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_plans(request, municipality: str | None = None):
    """Publicerade planer (och den egna kommunens alla planer med nyckel); `municipality`: kommunkod."""
    reader = reader_of(request)
    qs = access.plans(reader).order_by("municipality__code", "slug")
    if municipality:
        qs = qs.filter(municipality__code=municipality)
    return [_plan_out(reader, p) for p in qs]


@api.get("/plans/{slug}", response=PlanDetailOut, tags=["planer"], summary="En plan")
def get_plan(request, slug: str):
    reader = reader_of(request)
    plan = access.get_plan(reader, slug)
    tree = load_plan_tree(plan, None)
    return {
        **_plan_out(reader, plan),
        "areas": [
            {
                "number": a.area.number,
                "title": a.area.title,
                "description": a.area.description,
                "interventions": [
                    {"number": i.intervention.number, "title": i.intervention.title} for i in a.interventions
                ],
            }
            for a in tree.areas
        ],
        "follow_ups": [
            {
                "year": f.year,
                "date": f.date,
                "summary": f.summary,
                "introduction": f.introduction,
                "current_analysis": f.current_analysis,
            }
            for f in access.follow_ups(reader, plan)
        ],
    }


@api.get("/plans/{slug}/activities", response=list[ActivityOut], tags=["planer"], summary="Aktiviteter")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_activities(
    request,
    slug: str,
    year: int | None = None,
    area: int | None = None,
    status: str | None = None,
    political: bool | None = None,
):
    """Planens aktiviteter med status och kommentar för ett år (standard: det senaste som får visas)."""
    reader = reader_of(request)
    plan = access.get_plan(reader, slug)
    follow_ups = access.follow_ups(reader, plan)
    if year is not None and year not in {f.year for f in follow_ups}:
        raise Http404("Uppföljningen finns inte eller är inte publicerad.")
    if status and status not in {s for s, _ in STATUS_CHOICES}:
        raise HttpError(422, "Okänd status.")
    follow_up = next((f for f in follow_ups if year in (None, f.year)), None)
    tree = load_plan_tree(plan, follow_up)
    comment_ids = opendata._comment_ids(reader, plan, follow_up) if follow_up else set()
    shown = tree.filtered(status=status or "", political=political)
    rows = []
    for node in shown.activities:
        a = node.activity
        if area is not None and a.intervention.area.number != area:
            continue
        rows.append(
            {
                "id": a.pk,
                "number": node.number,
                "area": a.intervention.area.number,
                "intervention": a.intervention.name,
                "title": a.title,
                "political_assignment": a.political_assignment,
                "planned_start": a.planned_start,
                "planned_end": a.planned_end,
                "year": follow_up.year if follow_up else None,
                "status": node.status or None,
                "status_label": opendata.status_text(node.status),
                "comment": node.comment if a.pk in comment_ids else "",
            }
        )
    return rows


@api.get("/plans/{slug}/statuses", response=list[StatusRow], tags=["planer"], summary="Status alla år")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_statuses(request, slug: str):
    """Varje aktivitets status per år som får visas (samma innehåll som den öppna datafilen)."""
    reader = reader_of(request)
    plan = access.get_plan(reader, slug)
    return [
        {
            "year": r["ar"],
            "activity_id": r["aktivitet_id"],
            "status": r["status"],
            "status_label": r["status_text"],
            "comment": r["kommentar"],
        }
        for r in opendata.plan_rows(plan, reader)
    ]


@api.get(
    "/plans/{slug}/activities/{activity_id}/history",
    response=list[HistoryYear],
    tags=["planer"],
    summary="En aktivitets historik",
)
def activity_history(request, slug: str, activity_id: int):
    """Status år för år och när den ändrades (aldrig vem som ändrade)."""
    reader = reader_of(request)
    plan = access.get_plan(reader, slug)
    activity = access.get_activity(reader, plan, activity_id)
    return [
        {**row, "status": row["status"] or None, "status_label": opendata.status_text(row["status"])}
        for row in access.activity_history(reader, plan, activity)
    ]


# --- statistics ----------------------------------------------------------------------------------------


def _indicators(reader, municipality: Municipality | None):
    q = Q(municipality__isnull=True)
    if municipality is not None:
        q |= Q(pk__in=opendata.public_indicators(municipality).filter(municipality=municipality))
    if not reader.is_public:
        q |= Q(municipality_id=reader.municipality_id)
    return Indicator.objects.filter(q)


@api.get("/indicators", response=list[IndicatorOut], tags=["statistik"], summary="Nyckeltal")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_indicators(request, municipality: str | None = None):
    """Nationella nyckeltal och kommunens egna som får publiceras (`municipality`: kommunkod)."""
    m = get_object_or_404(Municipality, code=municipality) if municipality else None
    qs = _indicators(reader_of(request), m).order_by("code", "pk")
    return [
        {
            "id": i.pk,
            "code": i.code,
            "title": i.title,
            "unit": i.unit,
            "source": i.source,
            "local": i.is_local,
        }
        for i in qs
    ]


@api.get(
    "/indicators/{indicator_id}/observations",
    response=list[ObservationOut],
    tags=["statistik"],
    summary="Värden för ett nyckeltal",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_observations(request, indicator_id: int, region: str | None = None):
    """Värdena per region och period; små antal i lokala nyckeltal redovisas inte utan nyckel."""
    reader = reader_of(request)
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None or not _indicators(reader, indicator.municipality).filter(pk=indicator.pk).exists():
        raise Http404("Nyckeltalet finns inte.")
    qs = indicator.observations.select_related("region").order_by(
        "region__code", "period_start", "period", "breakdown"
    )
    if indicator.is_local:
        qs = qs.filter(region__code=indicator.municipality.code)
    if region:
        qs = qs.filter(region__code=region)
    protect = indicator.is_local and indicator.is_count and not reader.owns(indicator.municipality_id)
    k = suppression.threshold()
    rows = []
    for o in qs:
        value, status = o.value, o.status
        if protect and suppression.is_suppressed(value, k):
            value, status = None, Observation.Status.SUPPRESSED
        rows.append(
            {
                "region": o.region.code,
                "period": o.period,
                "breakdown": o.breakdown,
                "value": value,
                "status": status,
            }
        )
    return rows


# --- lägesbild aggregates --------------------------------------------------------------------------------


def _lagesbild_municipality(code: str) -> Municipality:
    return get_object_or_404(Municipality, code=code)


def _suppression(reader, municipality) -> int:
    """0 for a token whose role works the lägesbild in this municipality, else the small-count threshold."""
    if reader.owns(municipality.pk) and reader.sees_single_incidents:
        return 0
    return suppression.threshold()


@api.get("/lagesbild/{code}/cells", response=CellsOut, tags=["lägesbild"], summary="Händelser per område")
def lagesbild_cells(
    request, code: str, year: int, month: int, resolution: int = 7, category: str | None = None
):
    """Antal händelser per H3-cell under en kalendermånad. Celler med färre än gränsen utelämnas (antalet
    utelämnade celler anges)."""
    reader = reader_of(request)
    m = _lagesbild_municipality(code)
    allowed = PUBLIC_RESOLUTIONS if not reader.owns(m.pk) else (7, 8, 9)
    if resolution not in allowed:
        raise HttpError(422, f"Upplösningen måste vara en av {', '.join(map(str, allowed))}.")
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise HttpError(422, "Ange år och månad (1–12).")
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    categories = ()
    if category and not reader.owns(m.pk):
        raise HttpError(422, "Filter på kategori kräver en API-nyckel för kommunen.")
    if category:
        categories = tuple(Category.objects.filter(slug=category).values_list("pk", flat=True)) or (-1,)
    filt = IncidentFilter(
        start=start, end=end, municipalities=(m.pk,), categories=categories, resolution=resolution
    )
    cells, counts = counts_per_cell(filt.incidents(), resolution)
    k = _suppression(reader, m)
    shown = [(int(c), int(n)) for c, n in zip(cells, counts, strict=True) if not k or n >= k]
    return {
        "municipality_code": m.code,
        "year": year,
        "month": month,
        "resolution": resolution,
        "suppressed_below": k or None,
        "hidden_cells": len(cells) - len(shown),
        "cells": [{"cell": cell_to_h3(c), "count": n} for c, n in sorted(shown, key=lambda x: -x[1])],
    }


@api.get(
    "/lagesbild/{code}/counts",
    response=CountsOut,
    tags=["lägesbild"],
    summary="Händelser per kategori och månad",
)
def lagesbild_counts(request, code: str, year: int):
    """Antal händelser per kategori och månad under ett år; antal under gränsen redovisas som null."""
    reader = reader_of(request)
    m = _lagesbild_municipality(code)
    if not 2000 <= year <= 2100:
        raise HttpError(422, "Ange ett år.")
    filt = IncidentFilter(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), municipalities=(m.pk,))
    rows = (
        filt.incidents()
        .filter(occurred_from__year=year)
        .annotate(month=TruncMonth("occurred_from", tzinfo=STOCKHOLM))
        .order_by()
        .values("month", "category__name")
        .annotate(n=Count("id"))
        .order_by("month", "category__name")
    )
    k = _suppression(reader, m)
    return {
        "municipality_code": m.code,
        "suppressed_below": k or None,
        "counts": [
            {
                "month": r["month"].strftime("%Y-%m"),
                "category": r["category__name"],
                "count": None if k and r["n"] < k else r["n"],
            }
            for r in rows
        ],
    }
