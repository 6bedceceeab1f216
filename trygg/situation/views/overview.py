"""The map page, its data endpoint, the table view (the map's accessible alternative) and exports."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import replace

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotModified,
    JsonResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from trygg.accounts import tenancy
from trygg.lib.csv_safety import safe_cell
from trygg.places.geojson import feature_collection, point
from trygg.places.models import Place

from ..forms import FilterForm
from ..hotspots import CLASS_LABELS_SV
from ..minimisation import protected_summary, sees_single_incidents
from ..models import Incident
from ..permissions import can_write_situation, lagesbild_municipalities, readable_municipalities
from ..queries import (
    IncidentFilter,
    MapView,
    data_version,
    hotspot_analysis,
    hotspot_rows,
    map_payload,
    map_view,
    suppress_below,
    weekday_hour_table,
)

EXPORT_LIMIT = 50_000


def _filter(request: HttpRequest):
    """(filter form, filter scoped to the shown municipalities, those municipalities). Authorises: the
    user must read the lägesbild of the current municipality (and of every one shown)."""
    municipalities = lagesbild_municipalities(request)
    options = {
        "current": tenancy.current_municipality(request),
        "readable": readable_municipalities(request.user),
    }
    if not request.GET:
        default = IncidentFilter.default()
        form = FilterForm(initial={"start": default.start, "end": default.end, "resolution": ""}, **options)
        return form, default.within(municipalities), municipalities
    # A link that sets some parameters (?kommuner=alla) keeps the default period, and the form shows it.
    data = request.GET.copy()
    default = IncidentFilter.default()
    for name, value in (("start", default.start), ("end", default.end)):
        if name not in data:
            data[name] = str(value)
    form = FilterForm(data, **options)
    return form, form.to_filter().within(municipalities), municipalities


def _filter_errors_json(form: FilterForm) -> JsonResponse:
    return JsonResponse(
        {"errors": form.errors.get_json_data()}, status=400, json_dumps_params={"ensure_ascii": False}
    )


def _filter_errors_text(form: FilterForm) -> HttpResponseBadRequest:
    lines = [
        f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]
    return HttpResponseBadRequest(
        "\n".join([gettext("Filtret är felaktigt; inget exporterades."), *lines]) + "\n",
        content_type="text/plain; charset=utf-8",
    )


def _legend(result) -> list[tuple[str, str]]:
    """The classes this result can show: cold classes are left out when data this sparse cannot make a
    cold spot at all."""
    return [(c, CLASS_LABELS_SV[c]) for c in result.legend_classes()]


@login_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    form, filt, municipalities = _filter(request)
    result, scale = hotspot_analysis(filt, municipalities)
    return render(
        request,
        "situation/map.html",
        {
            "form": form,
            "filter": filt,
            "query": request.GET.urlencode(),
            "legend": _legend(result),
            "scale": scale,
            "tile_url": settings.TRYGG_TILE_URL,
            "tile_attribution": settings.TRYGG_TILE_ATTRIBUTION,
            "can_write": _can_write_here(request),
            "municipalities": municipalities,
        },
    )


def _can_write_here(request: HttpRequest) -> bool:
    return can_write_situation(request.user, tenancy.current_municipality(request))


def _restricted(request: HttpRequest, municipalities) -> bool:
    """True when the user may not see single incidents in every municipality shown (readers and unit
    editors): they get counts per cell only, small counts suppressed (see minimisation)."""
    return not sees_single_incidents(request.user, municipalities)


def _cached_json(request: HttpRequest, parts: list, build) -> HttpResponse:
    """A JSON response identified by ``parts`` (who may see what, filter, view, data version): answered
    304 when the browser holds it (ETag), else served from the Django cache or built and cached. Private:
    the key includes the user's scope, never their identity, but the response needs a login."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    sent = [t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")]
    if etag in sent:
        response = HttpResponseNotModified()
    else:
        key = f"situation:json:{digest}"
        body = cache.get(key)
        if body is None:
            body = json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode()
            cache.set(key, body, timeout=3600)
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie"])
    return response


@gzip_page
@login_required
@require_GET
def map_data(request: HttpRequest) -> HttpResponse:
    """The layers that do not depend on the view (boundary, hotspot cells, places, cameras) and the filter's
    totals; the incidents come per view from map_view. Compact, gzipped, cacheable per data version."""
    form, filt, municipalities = _filter(request)
    if form.is_bound and not form.is_valid():
        return _filter_errors_json(form)
    filt = replace(filt, bbox=None)
    restricted = _restricted(request, municipalities)
    version = data_version(municipalities)

    def build():
        places = Place.objects.filter(municipality__in=municipalities).active().select_related("district")
        return map_payload(filt, municipalities, places, restricted=restricted, version=version)

    return _cached_json(request, ["layers", filt.cache_token(), restricted, version], build)


@gzip_page
@login_required
@require_GET
def map_view_data(request: HttpRequest) -> HttpResponse:
    """The incidents of the map's current view (``bbox``, ``zoom``): counts per cell far out, single
    incidents close in or when few (queries.map_view)."""
    form, filt, municipalities = _filter(request)
    if form.is_bound and not form.is_valid():
        return _filter_errors_json(form)
    try:
        view = MapView.parse(request.GET.get("bbox"), request.GET.get("zoom"))
    except ValueError as exc:
        return JsonResponse({"errors": {"bbox": [{"message": str(exc)}]}}, status=400)
    filt = replace(filt, bbox=None)
    restricted = _restricted(request, municipalities)
    version = data_version(municipalities)
    return _cached_json(
        request,
        ["view", filt.cache_token(), view.bbox, view.zoom, restricted, version],
        lambda: map_view(filt, municipalities, view, restricted=restricted, version=version),
    )


TABLE_PAGE = 50
NO_RAW_EXPORT = (
    "Export av enskilda händelser är till för dem som arbetar med lägesbilden (samordnare och "
    "samverkansparter). Du kan se sammanställningarna på sidan Tabell."
)


def parse_cursor(text: str | None) -> tuple[dt.datetime, int] | None:
    """``efter=<microseconds since 1970>_<id>``: the last row of the previous page. None when absent or
    malformed (the first page)."""
    if not text:
        return None
    micros, _, pk = text.partition("_")
    if not (micros.lstrip("-").isdigit() and pk.isdigit()) or len(micros) > 20:
        return None
    try:
        when = dt.datetime.fromtimestamp(int(micros) / 1_000_000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return when, int(pk)


def cursor_of(incident) -> str:
    delta = incident.occurred_from - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}_{incident.pk}"


def _after(filt: IncidentFilter, cursor, oldest_first: bool):
    """The filter's incidents after ``cursor`` (all when None), unordered."""
    if cursor is None:
        return filt.incidents()
    # "After (when, pk)" written as a plain bound on occurred_from, which the filter merges with its own (one
    # bound per side), minus the rows at the same instant up to pk. The plain bound is the index condition,
    # so the scan starts at the cursor (an OR of the two would be a filter: page n would read n pages).
    when, pk = cursor
    if oldest_first:
        return filt.incidents(after=when).exclude(occurred_from=when, pk__lte=pk)
    return filt.incidents(before=when).exclude(occurred_from=when, pk__gte=pk)


def keyset_page(filt: IncidentFilter, cursor, *, oldest_first: bool, size: int | None = None):
    """(rows, next cursor or None): the filter's incidents after ``cursor`` in (occurred_from, id) order,
    read through the (municipality, occurred_from, id) index from the cursor on. A row added while someone
    pages never shifts the rows after the cursor, so every row present when paging started is listed
    exactly once. Over several municipalities (a partner's "Alla mina kommuner") no single index range is
    in that order, so the database would sort the whole period: each municipality's page is read in index
    order instead (keys only) and the pages are merged, then the rows fetched by id (one query more per
    municipality, whatever the number of incidents)."""
    size = size or TABLE_PAGE
    order = ("occurred_from", "pk") if oldest_first else ("-occurred_from", "-pk")
    if len(filt.municipalities) > 1:
        keys = sorted(
            (
                key
                for m in filt.municipalities
                for key in _after(replace(filt, municipalities=(m,)), cursor, oldest_first)
                .order_by(*order)
                .values_list("occurred_from", "pk")[: size + 1]
            ),
            reverse=not oldest_first,
        )[: size + 1]
        found = (
            Incident.objects.with_related().defer("municipality__geometry").in_bulk([pk for _, pk in keys])
        )
        rows = [found[pk] for _, pk in keys if pk in found]
    else:
        # the municipality's boundary (a large JSON document) is not needed per row
        rows = list(
            _after(filt, cursor, oldest_first)
            .with_related()
            .defer("municipality__geometry")
            .order_by(*order)[: size + 1]
        )
    return rows[:size], (cursor_of(rows[size - 1]) if len(rows) > size else None)


def table_summary(filt, municipalities, version) -> dict:
    """The table page's aggregates (total, per place, per category, weekday × hour, hotspots), computed once
    per (filter, data version) and read from the Django cache afterwards. The total is the sum of the
    per-category counts: no second scan to count."""
    key = f"situation:table:{filt.cache_token()}:{hashlib.sha256(repr(version).encode()).hexdigest()[:16]}"
    found = cache.get(key)
    if found is not None:
        return found
    incidents = filt.incidents()
    by_category = list(
        incidents.order_by().values("category__name").annotate(n=Count("id")).order_by("-n", "category__name")
    )
    by_place = list(
        incidents.order_by().values("place__name").annotate(n=Count("id")).order_by("-n", "place__name")[:30]
    )
    result, scale = hotspot_analysis(replace(filt, bbox=None), municipalities, version)
    places = Place.objects.filter(municipality__in=municipalities).only(
        "name", "lat", "lon", "h3_r7", "h3_r8", "h3_r9"
    )
    found = {
        "total": sum(r["n"] for r in by_category),
        "by_category": by_category,
        "by_place": by_place,
        "hot_rows": hotspot_rows(result, places),
        "class_counts": result.class_counts(),
        "legend": _legend(result),
        "scale": scale,
        "weekday_hours": weekday_hour_table(incidents),
    }
    cache.set(key, found, timeout=3600)
    return found


@login_required
@require_GET
def table(request: HttpRequest) -> HttpResponse:
    form, filt, municipalities = _filter(request)
    oldest_first = request.GET.get("ordning") == "aldst"
    version = data_version(municipalities)
    summary = table_summary(filt, municipalities, version)
    restricted = _restricted(request, municipalities)
    if restricted:  # aggregates only, small counts hidden (minimisation)
        summary = protected_summary(summary, suppress_below())
        rows, next_cursor = [], None
    else:
        rows, next_cursor = keyset_page(
            filt, parse_cursor(request.GET.get("efter")), oldest_first=oldest_first
        )
    query = request.GET.copy()
    query.pop("efter", None)
    order_query = query.copy()
    order_query.pop("ordning", None)
    return render(
        request,
        "situation/table.html",
        {
            "form": form,
            "filter": filt,
            "rows": rows,
            "total": summary["total"],
            "total_text": summary.get("total_text"),
            "next_cursor": next_cursor,
            "first_page": "efter" in request.GET,
            "oldest_first": oldest_first,
            "query": query.urlencode(),
            "order_query": order_query.urlencode(),
            "by_place": summary["by_place"],
            "by_category": summary["by_category"],
            "hot_rows": summary["hot_rows"],
            "class_counts": summary["class_counts"],
            "legend": summary["legend"],
            "scale": summary["scale"],
            "weekday_hours": summary["weekday_hours"],
            "hour_labels": [f"{h:02d}–{h + 3:02d}" for h in range(0, 24, 3)],
            "can_write": _can_write_here(request),
            "municipalities": municipalities,
            "several": len(municipalities) > 1,
            "restricted": restricted,
            "suppression_note": summary.get("suppression_note", ""),
        },
    )


def _export_rows(request: HttpRequest):
    """(filter form, filter, incidents); an invalid filter gives no incidents rather than the default
    period, so that a mistyped date never exports something other than what was asked for."""
    form, filt, municipalities = _filter(request)
    if _restricted(request, municipalities):
        raise PermissionDenied(NO_RAW_EXPORT)
    if form.is_bound and not form.is_valid():
        return form, filt, None
    return form, filt, filt.incidents().with_related().order_by("occurred_from", "pk")[:EXPORT_LIMIT]


CSV_HEADERS = [
    "id",
    "kommun",
    "kategori",
    "inträffade_från",
    "inträffade_till",
    "plats",
    "kommundel_id",
    "latitud",
    "longitud",
    "lägesnoggrannhet",
    "h3_r8",
    "källa",
    "ursprung",
    "beskrivning",
]


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    form, filt, incidents = _export_rows(request)
    if incidents is None:
        return _filter_errors_text(form)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lagesbild_{filt.start}_{filt.end}.csv"'
    response.write("\ufeff")  # BOM so that Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(CSV_HEADERS)
    for i in incidents:
        row = [
            i.pk,
            i.municipality.name,
            i.category.name,
            timezone.localtime(i.occurred_from).isoformat(),
            timezone.localtime(i.occurred_to).isoformat() if i.occurred_to else "",
            i.place.name if i.place_id else "",
            i.district_id or "",
            i.lat if i.is_mappable else "",
            i.lon if i.is_mappable else "",
            i.location_precision,
            i.h3_r8 or "",
            i.source_organisation.name if i.source_organisation_id else "",
            i.origin,
            i.description,
        ]
        writer.writerow([safe_cell(value) for value in row])
    return response


@login_required
@require_GET
def export_geojson(request: HttpRequest) -> JsonResponse:
    """Incidents as GeoJSON. Incidents without an exact location have geometry null (valid GeoJSON)."""
    form, filt, incidents = _export_rows(request)
    if incidents is None:
        return _filter_errors_json(form)
    features = [
        {
            "type": "Feature",
            "geometry": point(i.lat, i.lon) if i.is_mappable else None,
            "properties": {
                "id": i.pk,
                "municipality": i.municipality.name,
                "category": i.category.name,
                "occurred_from": timezone.localtime(i.occurred_from).isoformat(),
                "occurred_to": timezone.localtime(i.occurred_to).isoformat() if i.occurred_to else None,
                "place": i.place.name if i.place_id else None,
                "precision": i.location_precision,
                "source": i.source_organisation.name if i.source_organisation_id else None,
                "description": i.description,
            },
        }
        for i in incidents
    ]
    response = JsonResponse(feature_collection(features), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="lagesbild_{filt.start}_{filt.end}.geojson"'
    return response
