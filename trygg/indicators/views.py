from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import actions
from .forms import ImportForm, LocalFigureForm, LocalIndicatorForm
from .importers.common import ImportValidationError
from .importers.local_csv import template_csv
from .models import ImportJob, Indicator, Observation
from .permissions import can_import
from .suppression import suppress, suppression_note, threshold
from .tasks import run_import_job


def _require_import(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = actions.do_create_import_job(
            form.cleaned_data["kind"], form.cleaned_data["file"], acting_user=request.user
        )
        # The worker must see the committed job row, so enqueue after commit.
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
        messages.info(request, _("Filen är uppladdad och importeras i bakgrunden."))
        return redirect("indicators:import_job", pk=job.pk)
    jobs = ImportJob.objects.select_related("created_by")[:20]
    return render(request, "indicators/import.html", {"form": form, "jobs": jobs})


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import(request)
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    return render(request, "indicators/import_job.html", {"job": job})


@login_required
@require_GET
def local_template(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    response = HttpResponse(template_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lokala-nyckeltal-mall.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def local_figures(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    figure_form = LocalFigureForm(request.POST if "save_figure" in request.POST else None)
    indicator_form = LocalIndicatorForm(request.POST if "create_indicator" in request.POST else None)
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
            actions.do_create_local_indicator(
                data["code"],
                data["title"],
                data["unit"],
                description=data["description"],
                acting_user=request.user,
            )
            messages.success(request, _("Nyckeltalet är skapat."))
            return redirect("indicators:local_figures")
    observations = (
        Observation.objects.filter(indicator__is_local=True)
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
        },
    )
