"""Focus areas and actions (åtgärder), with the effect check on the action page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ..actions import do_save_action, do_save_focus_area, do_set_action_status
from ..evaluation import action_effect
from ..forms import ActionForm, ActionStatusForm, FocusAreaForm
from ..models import Action, FocusArea, Meeting
from ..permissions import (
    can_write_situation,
    get_action_for_user,
    get_focus_area_for_user,
    require_situation_access,
)
from .common import form_page, object_from_query

ACTION_FILTERS = {
    "oppna": gettext_lazy("Öppna"),
    "forsenade": gettext_lazy("Försenade"),
    "alla": gettext_lazy("Alla"),
}


@login_required
@require_GET
def focus_area_list(request: HttpRequest) -> HttpResponse:
    municipality = require_situation_access(request)
    today = timezone.localdate()
    focus_areas = FocusArea.objects.filter(municipality=municipality).select_related(
        "place", "district", "category", "meeting"
    )
    return render(
        request,
        "situation/focus_area_list.html",
        {
            "focus_areas": focus_areas,
            "today": today,
            "can_write": can_write_situation(request.user, municipality),
        },
    )


def _edit_focus_area(request: HttpRequest, focus_area: FocusArea | None, municipality) -> HttpResponse:
    initial = {}
    if focus_area is None and request.method == "GET":
        meetings = Meeting.objects.filter(municipality=municipality)
        meeting = object_from_query(request, meetings, "mote", _("ett möte"))
        initial = {"meeting": meeting, "start": meeting.date if meeting else timezone.localdate(), "weeks": 4}
    return form_page(
        request,
        FocusAreaForm(request.POST or None, instance=focus_area, initial=initial, municipality=municipality),
        save=lambda form: do_save_focus_area(form.instance, acting_user=request.user),
        success=_("Fokusområdet är sparat."),
        next_url=lambda saved: reverse("situation:focus_area_detail", args=[saved.pk]),
        title=_("Ändra fokusområde") if focus_area else _("Nytt fokusområde"),
        back="situation:focus_area_list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def focus_area_create(request: HttpRequest) -> HttpResponse:
    return _edit_focus_area(request, None, require_situation_access(request, write=True))


@login_required
@require_http_methods(["GET", "POST"])
def focus_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    focus_area = get_focus_area_for_user(request, pk, write=True)
    return _edit_focus_area(request, focus_area, focus_area.municipality)


@login_required
@require_GET
def focus_area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    focus_area = get_focus_area_for_user(request, pk)
    return render(
        request,
        "situation/focus_area_detail.html",
        {
            "focus_area": focus_area,
            "actions": focus_area.actions.with_related(),
            "today": timezone.localdate(),
            "can_write": can_write_situation(request.user, focus_area.municipality_id),
        },
    )


@login_required
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    municipality = require_situation_access(request)
    today = timezone.localdate()
    show = request.GET.get("visa", "oppna")
    actions = Action.objects.filter(municipality=municipality).with_related()
    if show == "forsenade":
        actions = actions.overdue(today)
    elif show != "alla":
        show, actions = "oppna", actions.open()
    return render(
        request,
        "situation/action_list.html",
        {
            "actions": actions,
            "today": today,
            "show": show,
            "filters": ACTION_FILTERS,
            "can_write": can_write_situation(request.user, municipality),
        },
    )


def _edit_action(request: HttpRequest, action: Action | None, municipality) -> HttpResponse:
    initial = {}
    if action is None and request.method == "GET":
        focus_areas = FocusArea.objects.filter(municipality=municipality).select_related("meeting")
        focus_area = object_from_query(request, focus_areas, "fokusomrade", _("ett fokusområde"))
        meetings = Meeting.objects.filter(municipality=municipality)
        meeting = object_from_query(request, meetings, "mote", _("ett möte"))
        initial = {
            "focus_area": focus_area,
            "meeting": meeting or (focus_area.meeting if focus_area else None),
            "start_date": timezone.localdate(),
            "responsible_organisation": request.user.organisation_id,
        }
    return form_page(
        request,
        ActionForm(request.POST or None, instance=action, initial=initial, municipality=municipality),
        save=lambda form: do_save_action(form.instance, acting_user=request.user),
        success=_("Åtgärden är sparad."),
        next_url=lambda saved: reverse("situation:action_detail", args=[saved.pk]),
        title=_("Ändra åtgärd") if action else _("Ny åtgärd"),
        back="situation:action_list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest) -> HttpResponse:
    return _edit_action(request, None, require_situation_access(request, write=True))


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, write=True)
    return _edit_action(request, action, action.municipality)


@login_required
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk)
    today = timezone.localdate()
    effect, windows = action_effect(action, today)
    return render(
        request,
        "situation/action_detail.html",
        {
            "action": action,
            "effect": effect,
            "windows": windows,
            "today": today,
            "status_form": ActionStatusForm(initial={"status": action.status}),
            "can_write": can_write_situation(request.user, action.municipality_id),
        },
    )


@login_required
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    # The object first: another municipality's action is a 404 whatever the method.
    action = get_action_for_user(request, pk, write=request.method == "POST")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        action = do_set_action_status(action, form.cleaned_data["status"], acting_user=request.user)
        messages.success(
            request, _("Status ändrad till %(status)s.") % {"status": action.get_status_display()}
        )
    else:
        messages.error(request, _("Ogiltig status."))
    return redirect("situation:action_detail", pk=action.pk)
