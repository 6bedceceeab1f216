"""The map page, its data endpoint, the table view (the map's accessible alternative) and exports."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from trygg.accounts import tenancy
from trygg.places.geojson import feature_collection, point
from trygg.places.models import Place

from ..forms import FilterForm
from ..hotspots import CLASS_LABELS_SV
from ..permissions import can_write_situation, lagesbild_municipalities, readable_municipalities
from ..queries import IncidentFilter, hotspot_analysis, hotspot_rows, map_payload, weekday_hour_table

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


@login_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """All map layers as GeoJSON FeatureCollections in one response (constant number of queries)."""
    form, filt, municipalities = _filter(request)
    if form.is_bound and not form.is_valid():
        return _filter_errors_json(form)
    places = Place.objects.filter(municipality__in=municipalities).active().select_related("district")
    return JsonResponse(map_payload(filt, municipalities, places), json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def table(request: HttpRequest) -> HttpResponse:
    form, filt, municipalities = _filter(request)
    incidents = filt.incidents()
    page = Paginator(incidents.with_related(), 50).get_page(request.GET.get("sida"))
    by_place = list(
        incidents.order_by().values("place__name").annotate(n=Count("id")).order_by("-n", "place__name")[:30]
    )
    by_category = list(
        incidents.order_by().values("category__name").annotate(n=Count("id")).order_by("-n", "category__name")
    )
    result, scale = hotspot_analysis(filt, municipalities)
    places = Place.objects.filter(municipality__in=municipalities).only("name", "h3_r7", "h3_r8", "h3_r9")
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "situation/table.html",
        {
            "form": form,
            "filter": filt,
            "page": page,
            "query": query.urlencode(),
            "by_place": by_place,
            "by_category": by_category,
            "hot_rows": hotspot_rows(result, places),
            "class_counts": result.class_counts(),
            "legend": _legend(result),
            "scale": scale,
            "weekday_hours": weekday_hour_table(incidents),
            "hour_labels": [f"{h:02d}–{h + 3:02d}" for h in range(0, 24, 3)],
            "can_write": _can_write_here(request),
            "municipalities": municipalities,
            "several": len(municipalities) > 1,
        },
    )


def _export_rows(request: HttpRequest):
    """(filter form, filter, incidents); an invalid filter gives no incidents rather than the default
    period, so that a mistyped date never exports something other than what was asked for."""
    form, filt, _ = _filter(request)
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
        writer.writerow(
            [
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
                _csv_safe(i.description),
            ]
        )
    return response


def _csv_safe(text: str) -> str:
    """Keep spreadsheet programs from running a description as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


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
