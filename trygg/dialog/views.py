"""Staff side of the digital dialog: campaigns, the moderation queue, the case list with filters, the hex
map and breakdowns, exports, the analysis, and turning a submission into a focus area or a measure."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from . import analysis, permissions, queries
from .actions import (
    DialogError,
    do_make_action,
    do_make_focus_area,
    do_make_walk_stop,
    do_moderate,
    do_redact_text,
    do_save_campaign,
)
from .forms import (
    ActionFromSubmissionForm,
    CampaignForm,
    FocusAreaFromSubmissionForm,
    ModerationForm,
    RedactForm,
    SubmissionFilterForm,
)
from .models import Campaign, Submission

PAGE_SIZE = 50


def _map_context() -> dict:
    return {
        "tile_url": getattr(settings, "TRYGG_TILE_URL", ""),
        "tile_attribution": getattr(settings, "TRYGG_TILE_ATTRIBUTION", ""),
    }


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    municipality = permissions.require_dialog_access(request)
    campaigns = Campaign.objects.filter(municipality=municipality).select_related("municipality")
    return render(
        request,
        "dialog/campaign_list.html",
        {
            "campaigns": campaigns,
            "municipality": municipality,
            "can_manage": permissions.can_manage(request.user, municipality),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    municipality = permissions.require_dialog_access(request, manage=True)
    return _campaign_form(request, Campaign(municipality=municipality), "Ny dialogkampanj")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.get_campaign_for_user(request, pk, manage=True)
    return _campaign_form(request, campaign, f"Ändra {campaign.title}")


def _campaign_form(request, campaign: Campaign, title: str) -> HttpResponse:
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            saved, explanation = do_save_campaign(form.save(), acting_user=request.user)
        except DialogError as exc:
            form.add_error(None, str(exc))
        else:
            if explanation:
                messages.warning(request, explanation)
            return redirect("dialog:campaign_detail", pk=saved.pk)
    return render(request, "dialog/campaign_form.html", {"form": form, "title": title, "campaign": campaign})


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.get_campaign_for_user(request, pk)
    rows = list(campaign.submissions.exclude(status=Submission.Status.REJECTED).select_related("place"))
    counts = analysis.cell_counts(s.h3_r8 for s in rows)
    return render(
        request,
        "dialog/campaign_detail.html",
        {
            "campaign": campaign,
            "can_manage": permissions.can_manage(request.user, campaign.municipality_id),
            "pending": sum(s.status == Submission.Status.PENDING for s in rows),
            "approved": sum(s.status == Submission.Status.APPROVED for s in rows),
            "total": len(rows),
            "breakdowns": queries.breakdowns(rows),
            "hexes": queries.hex_features(counts),
            "hex_rows": sorted(counts.items(), key=lambda item: -item[1])[:20],
            "public_url": reverse("dialog_public:submit", args=[campaign.pk]),
            **_map_context(),
        },
    )


def _filtered(request, campaign):
    form = SubmissionFilterForm(request.GET or None)
    qs = form.filter(campaign.submissions.select_related("place"))
    return form, qs


@login_required
@require_GET
def submission_list(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.get_campaign_for_user(request, pk)
    form, qs = _filtered(request, campaign)
    can_manage = permissions.can_manage(request.user, campaign.municipality_id)
    if not can_manage:  # unmoderated text is for those who moderate
        qs = qs.filter(status=Submission.Status.APPROVED)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "dialog/submission_list.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": can_manage,
        },
    )


@login_required
@require_GET
def moderation_queue(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.get_campaign_for_user(request, pk, manage=True)
    pending = campaign.submissions.pending().select_related("place").order_by("pk")
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "dialog/moderation_queue.html",
        {
            "campaign": campaign,
            "page": page,
            "can_manage": permissions.can_manage(request.user, campaign.municipality_id),
        },
    )


@login_required
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_submission_for_user(request, pk)
    return render(
        request,
        "dialog/submission_detail.html",
        {
            "submission": submission,
            "campaign": submission.campaign,
            "can_manage": permissions.can_manage(request.user, submission.campaign.municipality_id),
            "redact_form": RedactForm(initial={"text": submission.text}),
            "focus_form": FocusAreaFromSubmissionForm(initial={"start": timezone.localdate(), "weeks": 4}),
            "action_form": ActionFromSubmissionForm(
                initial={"title": ", ".join(submission.category_labels())}
            ),
            "statuses": Submission.Status,
            "walks": _planned_walks(submission),
        },
    )


def _planned_walks(submission: Submission) -> list:
    try:
        from trygg.walks.models import Walk
    except ImportError:
        return []
    return list(
        Walk.objects.filter(municipality_id=submission.campaign.municipality_id, status="planned").order_by(
            "date"
        )
    )


def _back(request, submission) -> HttpResponse:
    target = request.POST.get("next", "")
    if target == "queue":
        return redirect("dialog:moderation_queue", pk=submission.campaign_id)
    return redirect("dialog:submission_detail", pk=submission.pk)


@login_required
def submission_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_submission_for_user(request, pk, manage=True)
    if request.method != "POST":  # after the lookup: another municipality's id is a 404 on any method
        return HttpResponseNotAllowed(["POST"])
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Välj godkänn eller avvisa.")
        return _back(request, submission)
    do_moderate(submission, form.cleaned_data["status"], acting_user=request.user)
    messages.success(request, f"Synpunkt {submission.receipt}: {submission.get_status_display().lower()}.")
    return _back(request, submission)


@login_required
def submission_redact(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_submission_for_user(request, pk, manage=True)
    if request.method != "POST":  # after the lookup: another municipality's id is a 404 on any method
        return HttpResponseNotAllowed(["POST"])
    form = RedactForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request, submission)
    try:
        _, explanation = do_redact_text(submission, form.cleaned_data["text"], acting_user=request.user)
    except DialogError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Texten är ändrad. Den borttagna texten har inte sparats.")
        if explanation:
            messages.warning(request, explanation)
    return _back(request, submission)


@login_required
def submission_focus_area(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_submission_for_user(request, pk, manage=True)
    if request.method != "POST":  # after the lookup: another municipality's id is a 404 on any method
        return HttpResponseNotAllowed(["POST"])
    form = FocusAreaFromSubmissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ange startdatum och antal veckor (1–52).")
        return _back(request, submission)
    try:
        area = do_make_focus_area(submission, acting_user=request.user, **form.cleaned_data)
    except DialogError as exc:
        messages.error(request, str(exc))
        return _back(request, submission)
    messages.success(request, f"Fokusområdet är skapat från synpunkt {submission.receipt}.")
    return redirect("situation:focus_area_detail", pk=area.pk)


@login_required
def submission_action(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_submission_for_user(request, pk, manage=True)
    if request.method != "POST":  # after the lookup: another municipality's id is a 404 on any method
        return HttpResponseNotAllowed(["POST"])
    form = ActionFromSubmissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rubriken får vara högst 300 tecken.")
        return _back(request, submission)
    try:
        action = do_make_action(submission, title=form.cleaned_data["title"], acting_user=request.user)
    except DialogError as exc:
        messages.error(request, str(exc))
        return _back(request, submission)
    messages.success(request, f"Åtgärden är skapad från synpunkt {submission.receipt}.")
    return redirect("situation:action_detail", pk=action.pk)


@login_required
@require_GET
def submission_photo(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_submission_for_user(request, pk)
    if not submission.photo:
        raise Http404("Synpunkten har inget foto.")
    response = FileResponse(submission.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    campaign = permissions.get_campaign_for_user(request, pk, manage=True)
    _, qs = _filtered(request, campaign)
    rows = list(qs.order_by("pk"))
    name = f"synpunkter-{campaign.pk}-{timezone.localdate():%Y%m%d}"
    if fmt == "geojson":
        response = HttpResponse(
            queries.export_geojson(rows), content_type="application/geo+json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.geojson"'
    else:
        response = HttpResponse(queries.export_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_GET
def campaign_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = permissions.get_campaign_for_user(request, pk)
    rows = list(
        campaign.submissions.exclude(status=Submission.Status.REJECTED).only("time_of_day", "categories")
    )
    table = analysis.dark_vs_day(
        [(s.time_of_day, s.categories) for s in rows], queries.campaign_labels(campaign)
    )
    walk_rows = walk_feeling_rows(campaign)
    return render(
        request,
        "dialog/analysis.html",
        {
            "campaign": campaign,
            "table": table,
            "n": len(rows),
            "dark_n": table[0].dark_n if table else 0,
            "day_n": table[0].day_n if table else 0,
            "comparisons": len(table),
            "walk_correlations": analysis.feeling_vs_parameters(walk_rows) if walk_rows else [],
            "walk_n": len(walk_rows or []),
            "walks_available": walk_rows is not None,
            "can_manage": permissions.can_manage(request.user, campaign.municipality_id),
        },
    )


WALK_PARAMETERS = (
    "lighting",
    "openness",
    "visibility",
    "people",
    "security",
    "walk_path",
    "public_transport",
    "gender_usage",
)


def walk_feeling_rows(campaign: Campaign):
    """[(feeling, {parameter label: score})] of the walks' findings in the campaign's municipality (read only
    from trygg.walks); None when that app offers no scored findings."""
    try:
        from trygg.walks.models import Finding
    except ImportError:
        return None
    fields = {f.name: f for f in Finding._meta.get_fields()}
    if "feeling" not in fields or not all(p in fields for p in WALK_PARAMETERS):
        return None
    rows = Finding.objects.filter(walk__municipality=campaign.municipality, feeling__isnull=False).values(
        "feeling", *WALK_PARAMETERS
    )
    labels = {p: str(fields[p].verbose_name) for p in WALK_PARAMETERS}
    return [(r["feeling"], {labels[p]: r[p] for p in WALK_PARAMETERS if r[p] is not None}) for r in rows]


@login_required
def submission_walk_stop(request: HttpRequest, pk: int) -> HttpResponse:
    submission = permissions.get_submission_for_user(request, pk, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    from trygg.walks.models import Walk

    walk = Walk.objects.filter(
        municipality_id=submission.campaign.municipality_id, pk=_int(request.POST.get("walk"))
    ).first()
    if walk is None:
        messages.error(request, "Välj en vandring i listan.")
        return _back(request, submission)
    try:
        do_make_walk_stop(submission, walk, acting_user=request.user)
    except DialogError as exc:
        messages.error(request, str(exc))
        return _back(request, submission)
    messages.success(request, f"Synpunkt {submission.receipt} är ett stopp på vandringen {walk.title}.")
    return _back(request, submission)


def _int(raw) -> int | None:
    from trygg.lib.formfields import parse_pk

    return parse_pk(str(raw or ""))
