from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.accounts import tenancy

from . import actions, exports, overview
from .composite import (
    DEFAULT_INPUTS,
    MIN_INPUTS,
    default_codes,
    kommun_years,
    load_composite,
    rankable_indicators,
)
from .dashboard import (
    GROUPS_HOWTO,
    Selection,
    default_region_codes,
    groups_missing,
    load_dashboard,
    region_index,
    search_indicators,
)
from .forms import CompositeForm, DashboardForm, ImportForm, LocalFigureForm, LocalIndicatorForm
from .importers.common import ImportValidationError
from .importers.local_csv import template_csv
from .models import ImportJob, Indicator, Observation
from .permissions import can_import, can_view, get_import_job_for_user
from .suppression import suppress, suppression_note, threshold
from .tasks import run_import_job


def _require_import(request: HttpRequest):
    """The current municipality, when the user imports and enters local figures there; else 403/404."""
    _require_view(request)
    municipality = tenancy.require_current_municipality(request)
    if not can_import(request.user, municipality):
        raise PermissionDenied
    return municipality


def _require_view(request: HttpRequest) -> None:
    if not can_view(request.user):
        raise PermissionDenied


def _dashboard_form(request: HttpRequest) -> tuple[DashboardForm, dict, dict]:
    """The bound GET form (default regions when none are given), the indicators and the regions.

    The indicators are the shared catalogue and the current municipality's own local ones; the default
    regions are the current municipality, its län, its polisregion and riket."""
    municipality = tenancy.current_municipality(request)
    visible = Indicator.objects.visible_in(municipality) if municipality else Indicator.objects.national()
    indicators = {
        i.code: i
        # National last: a legacy local code equal to a national one never hides the shared indicator.
        for i in visible.only(
            "code",
            "title",
            "unit",
            "source",
            "description",
            "higher_is_better",
            "breakdowns",
            "is_local",
            "sensitive",
        ).order_by(F("municipality_id").desc(nulls_last=True), "title", "code")
    }
    indicators = dict(sorted(indicators.items(), key=lambda item: (item[1].title, item[0])))
    if municipality is not None:
        # Only indicators with values for the municipality are offered (a deep link to another still works).
        with_data = overview.with_data_for(municipality)
        asked = request.GET.get("indicator", "")
        indicators = {c: i for c, i in indicators.items() if i.pk in with_data or c == asked}
    regions = region_index()
    data = request.GET.copy()
    if not data.getlist("regions"):
        data.setlist("regions", default_region_codes(regions, municipality.code if municipality else None))
    chosen = indicators.get(data.get("indicator", ""))
    breakdowns = []
    if chosen is not None and chosen.breakdowns:
        breakdowns = list(
            Observation.objects.filter(indicator=chosen)
            .order_by("breakdown")
            .values_list("breakdown", flat=True)
            .distinct()
        )
    if data.get("breakdown") and data["breakdown"] not in breakdowns:
        data.pop("breakdown")  # left over from another indicator: show the total instead
    form = DashboardForm(data, indicators=indicators.values(), regions=regions, breakdowns=breakdowns)
    return form, indicators, regions


def _selection(form: DashboardForm, indicators: dict) -> Selection | None:
    if not form.is_valid() or not form.cleaned_data["indicator"]:
        return None
    data = form.cleaned_data
    return Selection(
        indicator=indicators[data["indicator"]],
        regions=tuple(data["regions"]),
        breakdown=data["breakdown"],
        start=data["start"],
        end=data["end"],
        compare=frozenset(data["compare"]),
    )


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    form, indicators, regions = _dashboard_form(request)
    query = request.GET.get("q", "").strip()
    selection = _selection(form, indicators)
    data = load_dashboard(selection, regions) if selection else None
    municipality = tenancy.current_municipality(request)
    results = search_indicators(indicators.values(), query) if query else []
    context = {
        "form": form,
        "query": query,
        "results": results,
        "themes": overview.grouped(results if query else indicators.values()),
        "key_figures": overview.key_figures(municipality)
        if municipality and not data and not query
        else None,
        "municipality": municipality,
        "dashboard": data,
        "export_query": urlencode(selection.query_items()) if selection else "",
        "can_import": can_import(request.user, municipality),
        "groups_howto": GROUPS_HOWTO if groups_missing(regions) else "",
    }
    return render(request, "indicators/dashboard.html", context)


@login_required
@require_GET
def composite(request: HttpRequest) -> HttpResponse:
    """Sammanvägt index: the chosen indicators as one 0–100 score and a rank for every kommun."""
    _require_view(request)
    indicators = {i.code: i for i in rankable_indicators()}
    data = request.GET.copy()
    asked = data.getlist("indicators")
    if asked:
        years_by = kommun_years([c for c in asked if c in indicators][: CompositeForm.MAX_INPUTS])
        chosen = [c for c in asked if c in indicators]
    else:  # Öppna jämförelser's four inputs, when the catalogue has them
        years_by = kommun_years(
            [c for alternatives in DEFAULT_INPUTS for c in alternatives if c in indicators]
        )
        chosen = default_codes(indicators, years_by)
        data.setlist("indicators", chosen)
    counts: dict[int, int] = {}
    for code in chosen:
        for year in years_by.get(code, ()):
            counts[year] = counts.get(year, 0) + 1
    years = sorted(counts, reverse=True)
    if not data.get("year") and years:
        # The latest year at least two of the chosen indicators have values for.
        data["year"] = str(next((y for y in years if counts[y] >= MIN_INPUTS), years[0]))
    if request.GET or (len(chosen) >= MIN_INPUTS and years):
        form = CompositeForm(data, indicators=indicators.values(), years=years)
    else:  # nothing asked and no defaults to compute: an unbound form, no errors before the user acts
        form = CompositeForm(
            None, indicators=indicators.values(), years=years, initial={"indicators": chosen}
        )
    page = None
    if form.is_bound and form.is_valid():
        municipality = tenancy.current_municipality(request)
        page = load_composite(
            [indicators[c] for c in form.cleaned_data["indicators"]],
            form.cleaned_data["year"],
            home=municipality.code if municipality else None,
        )
    context = {"form": form, "page": page, "no_years": not years}
    return render(request, "indicators/composite.html", context)


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_view(request)
    form, indicators, regions = _dashboard_form(request)
    selection = _selection(form, indicators)
    if selection is None:
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(
            _("Välj ett nyckeltal att ladda ned. %(errors)s") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    data = load_dashboard(selection, regions, with_chart=False)
    if fmt == "xlsx":
        content, content_type = exports.to_xlsx(data), exports.XLSX_CONTENT_TYPE
    else:
        content, content_type = exports.to_csv(data), exports.CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(data, fmt)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    municipality = _require_import(request)
    kinds = [k for k in ImportJob.Kind.values if actions.may_import(request.user, municipality, k)]
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            job = actions.do_create_import_job(
                form.cleaned_data["kind"],
                form.cleaned_data["file"],
                municipality=municipality,
                acting_user=request.user,
            ).obj
        except ImportValidationError as exc:
            form.add_error(None, exc.message)
        else:
            # The worker must see the committed job row, so enqueue after commit.
            transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
            messages.info(request, _("Filen är uppladdad och importeras i bakgrunden."))
            return redirect("indicators:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(municipality=municipality).select_related("created_by")[:20]
    context = {
        "form": form,
        "jobs": jobs,
        "municipality": municipality,
        "national_allowed": len(kinds) > 1,
    }
    return render(request, "indicators/import.html", context)


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    # htmx polls the same URL and swaps in only the progress part (django-template-partials).
    template = "indicators/import_job.html"
    if request.headers.get("HX-Request") == "true":
        template += "#progress"
    return render(request, template, {"job": job})


@login_required
@require_GET
def local_template(request: HttpRequest) -> HttpResponse:
    municipality = _require_import(request)
    data = template_csv(municipality.code).encode("utf-8-sig")
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lokala-nyckeltal-mall.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def local_figures(request: HttpRequest) -> HttpResponse:
    municipality = _require_import(request)
    figure_form = LocalFigureForm(
        request.POST if "save_figure" in request.POST else None, municipality=municipality
    )
    indicator_form = LocalIndicatorForm(
        request.POST if "create_indicator" in request.POST else None, municipality=municipality
    )
    if request.method == "POST":
        if "save_figure" in request.POST and figure_form.is_valid():
            data = figure_form.cleaned_data
            try:
                actions.do_save_local_observation(
                    data["indicator"],
                    data["region"],
                    data["period"],
                    data["value"],
                    gender=data["gender"],
                    preliminary=data["preliminary"],
                    acting_user=request.user,
                )
            except ImportValidationError as exc:
                figure_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Värdet är sparat."))
                return redirect("indicators:local_figures")
        elif "create_indicator" in request.POST and indicator_form.is_valid():
            data = indicator_form.cleaned_data
            try:
                written = actions.do_create_local_indicator(
                    municipality,
                    data["code"],
                    data["title"],
                    data["unit"],
                    description=data["description"],
                    sensitive=data["sensitive"],
                    acting_user=request.user,
                )
            except ImportValidationError as exc:
                indicator_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Nyckeltalet är skapat."))
                if written.explanation:
                    messages.warning(request, written.explanation)
                return redirect("indicators:local_figures")
    observations = (
        Observation.objects.filter(indicator__municipality=municipality, indicator__is_local=True)
        .select_related("indicator", "region")
        .order_by("indicator__title", "region__code", "breakdown", "-period_start")
    )
    rows = [
        (obs, suppress(obs.value, is_count=obs.indicator.unit == Indicator.Unit.COUNT))
        for obs in observations
    ]
    return render(
        request,
        "indicators/local_figures.html",
        {
            "figure_form": figure_form,
            "indicator_form": indicator_form,
            "rows": rows,
            "any_suppressed": any(shown.suppressed for _obs, shown in rows),
            "suppression_note": suppression_note(),
            "threshold": threshold(),
            "municipality": municipality,
        },
    )
