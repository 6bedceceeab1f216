"""Meetings and their brief (HTML preview, PDF, DOCX)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.documents.docx import render_docx
from trygg.documents.html import render_html
from trygg.documents.pdf import render_pdf

from ..actions import do_save_meeting, do_store_meeting_figures
from ..brief import build_brief, figures_are_current, meeting_figures
from ..forms import MeetingForm
from ..models import Action, FocusArea, Meeting
from ..permissions import can_write_situation, get_meeting_for_user, require_situation_access
from .common import form_page

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    municipality = require_situation_access(request)
    meetings = (
        Meeting.objects.filter(municipality=municipality)
        .prefetch_related("organisations")
        .annotate(
            n_focus_areas=Count("focus_areas", distinct=True), n_actions=Count("actions", distinct=True)
        )
    )
    return render(
        request,
        "situation/meeting_list.html",
        {
            "meetings": meetings,
            "municipality": municipality,
            "can_write": can_write_situation(request.user, municipality),
        },
    )


def _edit(request: HttpRequest, meeting: Meeting | None, municipality) -> HttpResponse:
    def save(form: MeetingForm) -> tuple[Meeting, str]:
        return do_save_meeting(
            form.instance,
            organisations=form.cleaned_data["organisations"],
            units=form.cleaned_data["units"],
            acting_user=request.user,
            base=form.base,
        )

    initial = {} if meeting else {"date": timezone.localdate()}
    return form_page(
        request,
        MeetingForm(request.POST or None, instance=meeting, initial=initial, municipality=municipality),
        save=save,
        success=_("Mötet är sparat."),
        next_url=lambda saved: reverse("situation:meeting_detail", args=[saved.pk]),
        title=_("Ändra möte") if meeting else _("Nytt lägesbildsmöte"),
        back="situation:meeting_list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None, require_situation_access(request, write=True))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, write=True)
    return _edit(request, meeting, meeting.municipality)


def _figures(request: HttpRequest, meeting: Meeting, *, recompute: bool = False) -> dict:
    """The meeting's figures: the stored ones while current (brief.figures_are_current), else computed
    now and, once the period has closed, stored for everyone after (the first reader pays once)."""
    previous = meeting.previous()
    if not recompute and figures_are_current(meeting, previous):
        return meeting.figures
    figures = meeting_figures(meeting, meeting.municipality, previous, today=timezone.localdate())
    if figures["final"] or recompute:
        do_store_meeting_figures(meeting, figures, acting_user=request.user)
    return figures


@login_required
@require_http_methods(["GET", "POST"])
def meeting_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """Räkna om: compute the brief's figures afresh (incidents reported late) and store them. POST only;
    the meeting is looked up first so that another municipality's meeting is a 404 on any method."""
    meeting = get_meeting_for_user(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _figures(request, meeting, recompute=True)
    messages.success(request, _("Siffrorna i underlaget är omräknade."))
    return redirect("situation:meeting_detail", pk=meeting.pk)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    works = can_write_situation(request.user, meeting.municipality_id)
    figures = brief_html = None
    if works:  # the brief lists places and incidents: only for those who work the lägesbild (minimisation)
        figures = _figures(request, meeting)
        doc = build_brief(meeting, meeting.municipality, today=timezone.localdate(), figures=figures)
        brief_html = render_html(doc, standalone=False)
    return render(
        request,
        "situation/meeting_detail.html",
        {
            "meeting": meeting,
            "organisations": meeting.organisations.all(),
            "units": meeting.units.all(),
            "focus_areas": FocusArea.objects.filter(meeting=meeting).select_related(
                "place", "district", "category"
            ),
            "actions": Action.objects.filter(meeting=meeting).with_related(),
            "brief_html": brief_html,
            "can_write": works,
            "today": timezone.localdate(),
            "figures_stored": works and meeting.figures == figures,
        },
    )


NO_BRIEF = (
    "Underlaget till mötet visar platser och enskilda händelser och är till för dem som arbetar med "
    "lägesbilden (samordnare och samverkansparter)."
)


def _brief_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    if not can_write_situation(request.user, meeting.municipality_id):
        raise PermissionDenied(NO_BRIEF)
    figures = _figures(request, meeting)
    doc = build_brief(meeting, meeting.municipality, today=timezone.localdate(), figures=figures)
    # The meeting page is the brief's web version: the PDF's first page links it (accessible reference).
    doc.cover.web_url = request.build_absolute_uri(reverse("situation:meeting_detail", args=[meeting.pk]))
    if fmt == "pdf":
        content, content_type = render_pdf(doc), "application/pdf"
    else:
        content, content_type = render_docx(doc), DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="underlag_lagesbild_{meeting.date}.{fmt}"'
    return response


@login_required
@require_GET
def meeting_brief_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _brief_download(request, pk, "pdf")


@login_required
@require_GET
def meeting_brief_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _brief_download(request, pk, "docx")
