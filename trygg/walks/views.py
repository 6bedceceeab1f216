"""Walks: plan, route, record findings on a phone, assign and follow measures, the protocol (HTML, PDF,
DOCX) and the public protocol page. Thin views: a form parses, permissions decide, an action writes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.documents.docx import render_docx
from trygg.documents.html import render_html
from trygg.documents.pdf import render_pdf

from . import permissions as perms
from .actions import (
    WalkError,
    do_add_photo,
    do_add_stop,
    do_delete_finding,
    do_delete_photo,
    do_delete_stop,
    do_save_finding,
    do_save_measure,
    do_save_walk,
)
from .forms import FindingForm, MeasureForm, PhotoForm, StopForm, WalkForm
from .models import Finding, Measure, Walk
from .protocol import build_protocol, load_walk

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _saved(request: HttpRequest, success: str, explanation: str) -> None:
    messages.success(request, success)
    if explanation:
        messages.warning(request, explanation)


# --- walks ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def walk_list(request: HttpRequest) -> HttpResponse:
    municipality = perms.require_walks_access(request)
    walks = (
        Walk.objects.filter(municipality=municipality)
        .select_related("place")
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_measures=Count(
                "findings__measures",
                filter=Q(findings__measures__status__in=[Measure.Status.PLANNED, Measure.Status.ONGOING]),
                distinct=True,
            ),
        )
    )
    return render(
        request,
        "walks/walk_list.html",
        {"walks": walks, "can_manage": perms.can_manage_walks(request.user, municipality)},
    )


def _edit_walk(request: HttpRequest, walk: Walk | None, municipality) -> HttpResponse:
    form = WalkForm(request.POST or None, instance=walk, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            saved, explanation = do_save_walk(
                form.instance,
                organisations=form.cleaned_data["organisations"],
                units=form.cleaned_data["units"],
                acting_user=request.user,
            )
        except WalkError as exc:
            form.add_error(None, str(exc))
        else:
            _saved(request, _("Vandringen är sparad."), explanation)
            return redirect("walks:walk_detail", pk=saved.pk)
    return render(
        request,
        "walks/form.html",
        {
            "form": form,
            "title": _("Ändra vandring") if walk else _("Planera trygghetsvandring"),
            "back": reverse("walks:walk_detail", args=[walk.pk]) if walk else reverse("walks:walk_list"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def walk_create(request: HttpRequest) -> HttpResponse:
    return _edit_walk(request, None, perms.require_walks_access(request, manage=True))


@login_required
@require_http_methods(["GET", "POST"])
def walk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    walk = perms.get_walk_for_user(request, pk, manage=True)
    return _edit_walk(request, walk, walk.municipality)


@login_required
@require_GET
def walk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    walk = perms.get_walk_for_user(request, pk)
    data = load_walk(walk)
    user = request.user
    return render(
        request,
        "walks/walk_detail.html",
        {
            "walk": walk,
            "data": data,
            "today": timezone.localdate(),
            "can_manage": perms.can_manage_walks(user, walk.municipality_id),
            "can_record": perms.can_record_findings(user, walk.municipality_id),
        },
    )


# --- route ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def stop_add(request: HttpRequest, pk: int) -> HttpResponse:
    walk = perms.get_walk_for_user(request, pk, manage=True)
    form = StopForm(request.POST or None, municipality=walk.municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_add_stop(
                walk,
                lat=data["lat"],
                lon=data["lon"],
                place=data["place"],
                note=data["note"],
                acting_user=request.user,
            )
        except WalkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Stoppet är tillagt i rutten."))
            return redirect("walks:walk_detail", pk=walk.pk)
    return render(request, "walks/stop_form.html", {"form": form, "walk": walk, **_map_context()})


@login_required
def stop_delete(request: HttpRequest, pk: int) -> HttpResponse:
    stop = perms.get_stop_for_user(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    walk_pk = stop.walk_id
    do_delete_stop(stop, acting_user=request.user)
    messages.success(request, _("Stoppet är borttaget ur rutten."))
    return redirect("walks:walk_detail", pk=walk_pk)


def _map_context() -> dict:
    return {
        "tile_url": settings.TRYGG_TILE_URL,
        "tile_attribution": getattr(settings, "TRYGG_TILE_ATTRIBUTION", ""),
    }


# --- findings ------------------------------------------------------------------------------------------


def _edit_finding(request: HttpRequest, walk: Walk, finding: Finding | None) -> HttpResponse:
    form = FindingForm(request.POST or None, request.FILES or None, instance=finding, walk=walk)
    if request.method == "POST" and form.is_valid():
        try:
            saved, explanation = do_save_finding(form.instance, acting_user=request.user)
            photo = form.cleaned_data.get("photo")
            if photo:
                do_add_photo(saved, photo.read(), acting_user=request.user)
        except WalkError as exc:
            form.add_error(None, str(exc))
        else:
            _saved(request, _("Fyndet är sparat."), explanation)
            if finding is None and "spara-och-nytt" in request.POST:
                return redirect("walks:finding_create", pk=walk.pk)
            return redirect("walks:finding_detail", pk=saved.pk)
    return render(
        request,
        "walks/finding_form.html",
        {
            "form": form,
            "walk": walk,
            "finding": finding,
            "title": _("Ändra fynd") if finding else _("Registrera fynd"),
            **_map_context(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    walk = perms.get_walk_for_user(request, pk, record=True)
    return _edit_finding(request, walk, None)


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = perms.get_finding_for_user(request, pk, write=True)
    return _edit_finding(request, finding.walk, finding)


@login_required
@require_GET
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = perms.get_finding_for_user(request, pk)
    user = request.user
    measures = list(finding.measures.select_related("responsible_unit", "responsible_organisation"))
    return render(
        request,
        "walks/finding_detail.html",
        {
            "finding": finding,
            "walk": finding.walk,
            "photos": finding.photos.only("pk", "width", "height", "finding_id"),
            "measures": [(m, perms.can_update_measure(user, m)) for m in measures],
            "today": timezone.localdate(),
            "can_edit": perms.can_edit_finding(user, finding),
            "can_manage": perms.can_manage_walks(user, finding.walk.municipality_id),
            "photo_form": PhotoForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Coordinators delete a finding recorded by mistake: GET asks for confirmation and says what goes with
    it (photos, measures, the incident in the lägesbild); POST deletes."""
    finding = perms.get_finding_for_user(request, pk, manage=True)
    walk = finding.walk
    if request.method == "POST":
        removed = do_delete_finding(finding, acting_user=request.user)
        messages.success(
            request,
            _(
                "Fyndet är borttaget, med %(photos)d foton och %(measures)d åtgärder, och är inte längre "
                "med i lägesbilden."
            )
            % removed,
        )
        return redirect("walks:walk_detail", pk=walk.pk)
    return render(
        request,
        "walks/finding_delete.html",
        {
            "finding": finding,
            "walk": walk,
            "photo_count": finding.photos.count(),
            "measures": list(finding.measures.only("title", "status", "finding_id")),
        },
    )


@login_required
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    finding = perms.get_finding_for_user(request, pk, write=request.method == "POST")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            do_add_photo(finding, form.cleaned_data["photo"].read(), acting_user=request.user)
        except WalkError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Fotot är sparat utan position och kamerauppgifter."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("walks:finding_detail", pk=finding.pk)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = perms.get_photo_for_user(request, pk)
    response = HttpResponse(bytes(photo.data or b""), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="fynd-{photo.finding_id}-foto-{photo.pk}.jpg"'
    return response


@login_required
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = perms.get_photo_for_user(request, pk, write=request.method == "POST")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    finding_pk = photo.finding_id
    do_delete_photo(photo, acting_user=request.user)
    messages.success(request, _("Fotot är borttaget."))
    return redirect("walks:finding_detail", pk=finding_pk)


# --- measures ------------------------------------------------------------------------------------------


@login_required
@require_GET
def measure_list(request: HttpRequest) -> HttpResponse:
    municipality = perms.require_walks_access(request)
    show = request.GET.get("visa", "oppna")
    measures = Measure.objects.filter(finding__walk__municipality=municipality).select_related(
        "finding__walk", "finding__place", "responsible_unit", "responsible_organisation"
    )
    if show != "alla":
        show, measures = "oppna", measures.open()
    return render(
        request,
        "walks/measure_list.html",
        {"measures": measures.order_by("due_date", "pk"), "show": show, "today": timezone.localdate()},
    )


def _edit_measure(
    request: HttpRequest, finding: Finding, measure: Measure | None, full: bool
) -> HttpResponse:
    form = MeasureForm(request.POST or None, instance=measure, finding=finding, full=full)
    if request.method == "POST" and form.is_valid():
        try:
            saved, explanation = do_save_measure(form.instance, acting_user=request.user)
        except WalkError as exc:
            form.add_error(None, str(exc))
        else:
            _saved(request, _("Åtgärden är sparad."), explanation)
            return redirect("walks:finding_detail", pk=saved.finding_id)
    return render(
        request,
        "walks/form.html",
        {
            "form": form,
            "title": _("Ändra åtgärd") if measure else _("Ny åtgärd"),
            "intro": str(finding),
            "back": reverse("walks:finding_detail", args=[finding.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    finding = perms.get_finding_for_user(request, pk, manage=True)
    return _edit_measure(request, finding, None, full=True)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = perms.get_measure_for_user(request, pk, write=True)
    full = perms.can_manage_walks(request.user, measure.finding.walk.municipality_id)
    return _edit_measure(request, measure.finding, measure, full=full)


# --- protocol ------------------------------------------------------------------------------------------


def _protocol(walk: Walk):
    return build_protocol(load_walk(walk), today=timezone.localdate())


@login_required
@require_GET
def protocol_html(request: HttpRequest, pk: int) -> HttpResponse:
    walk = perms.get_walk_for_user(request, pk)
    return HttpResponse(render_html(_protocol(walk)))


def _download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    walk = perms.get_walk_for_user(request, pk)
    doc = _protocol(walk)
    if fmt == "pdf":
        content, content_type = render_pdf(doc), "application/pdf"
    else:
        content, content_type = render_docx(doc), DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="protokoll_trygghetsvandring_{walk.date}_{walk.pk}.{fmt}"'
    )
    return response


@login_required
@require_GET
def protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")


@login_required
@require_GET
def protocol_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "docx")


# --- public --------------------------------------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    walks = (
        Walk.objects.published()
        .select_related("municipality", "place")
        .order_by("municipality__name", "-date")
    )
    return render(request, "walks/public_list.html", {"walks": walks})


@require_GET
def public_walk(request: HttpRequest, pk: int) -> HttpResponse:
    """Each point, its category and what happens to it. No names, no photos (a photo may show a person),
    no free-text description of the finding; the measures' titles and status are public by design."""
    walk = perms.get_public_walk(pk)
    findings = list(
        walk.findings.select_related("place").prefetch_related(
            "measures__responsible_unit", "measures__responsible_organisation"
        )
    )
    return render(
        request,
        "walks/public_walk.html",
        {
            "walk": walk,
            "findings": findings,
            "organisations": [o.name for o in walk.organisations.all()],
            "today": timezone.localdate(),
        },
    )
