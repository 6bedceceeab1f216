from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.accounts import tenancy
from trygg.accounts.models import Unit

from . import permissions
from .actions import (
    PUBLIC_RECORD_REASON,
    PlanError,
    do_set_activity_status,
    do_update_follow_up,
    plan_reason,
    redaction_message,
)
from .exchange import PlanImportError, export_plan_json, export_plan_xlsx, import_plan_json, import_plan_xlsx
from .forms import ActivityStatusForm, FollowUpTextsForm, OverviewFilterForm, PlanImportForm
from .models import ActivityStatus, FollowUp, Plan, StatusChange
from .report import REPORT_FORMATS, draft_current_analysis, has_current_analysis_drafter
from .report_cache import DOWNLOAD_FORMATS, cached_report, report_filename, report_states
from .start import build_start_page
from .status_rules import Status, date_warnings
from .tasks import render_follow_up_report
from .tree import load_plan_tree


@require_GET
@login_required
def home(request):
    """Start: what needs me now in the current municipality (my unreported activities, overdue ones, the
    next lägesbild meeting and its open actions, new incidents since my last visit, deadlines)."""
    municipality = tenancy.current_municipality(request)
    page = build_start_page(request, municipality, timezone.localdate())
    return render(request, "start.html", {"page": page, "municipality": municipality})


@require_GET
@login_required
def plan_list(request):
    municipality = permissions.current_municipality_for_plans(request)
    plans = (
        Plan.objects.filter(municipality=municipality)
        .select_related("program", "municipality")
        .prefetch_related("follow_ups")
    )
    context = {
        "plans": plans,
        "municipality": municipality,
        "can_manage": permissions.can_manage_plans(request.user, municipality),
    }
    return render(request, "plans/plan_list.html", context)


@require_GET
@login_required
def plan_detail(request, slug: str):
    plan = permissions.get_plan_for_user(request, slug)
    follow_ups = list(plan.follow_ups.all())
    years = [f.year for f in follow_ups]
    units = Unit.objects.filter(
        municipality=plan.municipality_id, activities__intervention__area__plan=plan
    ).distinct()
    form = OverviewFilterForm(request.GET or None, years=years, units=units)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = filters.get("ar") or (years[0] if years else None)
    follow_up = next((f for f in follow_ups if f.year == year), None)
    tree = load_plan_tree(plan, follow_up)
    user_unit_ids = set(request.user.units.values_list("pk", flat=True))
    shown = tree.filtered(
        status=filters.get("status") or "",
        unit_id=filters.get("enhet"),
        political=form.political(),
        unit_ids=user_unit_ids if filters.get("mina") else None,
        unreported=bool(filters.get("ej_rapporterade")) and follow_up is not None,
    )
    editable = {
        node.activity.pk
        for node in shown.activities
        if permissions.can_edit_activity(
            request.user, node.activity, user_unit_ids, municipality_id=plan.municipality_id
        )
    }
    context = {
        "plan": plan,
        "follow_up": follow_up,
        "tree": shown,
        "total_counts": tree.counts,
        "overview": tree.areas,
        "form": form,
        "editable": editable,
        "is_filtered": any(
            filters.get(k) for k in ("status", "enhet", "politiskt", "mina", "ej_rapporterade")
        ),
        "has_units": bool(user_unit_ids),
    }
    return render(request, "plans/plan_detail.html", context)


@require_GET
@login_required
def activity_detail(request, pk: int):
    activity = permissions.get_activity_for_user(request, pk)
    plan = activity.intervention.area.plan
    statuses = {s.follow_up_id: s for s in ActivityStatus.objects.filter(activity=activity)}
    follow_ups = [(f, statuses.get(f.pk)) for f in plan.follow_ups.all()]
    history = StatusChange.objects.filter(activity=activity).select_related("changed_by", "follow_up")
    context = {
        "activity": activity,
        "plan": plan,
        "follow_ups": follow_ups,
        "history": history,
        "can_edit": permissions.can_edit_activity(request.user, activity),
    }
    return render(request, "plans/activity_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def activity_status_edit(request, pk: int, year: int):
    activity = permissions.get_activity_for_user(request, pk, write=True)
    plan = activity.intervention.area.plan
    follow_up = FollowUp.objects.filter(plan=plan, year=year).first()
    if follow_up is None:
        raise Http404(_("Planen har ingen uppföljning för %(year)s.") % {"year": year})
    current = ActivityStatus.objects.filter(activity=activity, follow_up=follow_up).first()
    stored = _stored_status(activity, follow_up)

    if request.method == "POST":
        form = ActivityStatusForm(request.POST)
        previewing = "preview" in request.POST or request.headers.get("HX-Request") == "true"
        if form.is_valid() and not previewing:
            try:
                stored = do_set_activity_status(
                    activity,
                    follow_up,
                    form.cleaned_data["status"],
                    form.cleaned_data["comment"],
                    acting_user=request.user,
                    base=form.base,
                )
            except PlanError as exc:
                form.add_error("status", str(exc))
                form.refresh_if_stale(exc, lambda: _stored_status(activity, follow_up))
            else:
                messages.success(request, _("Status och kommentar är sparade."))
                if notice := redaction_message(stored.redactions, "kommentaren"):
                    messages.warning(request, notice)
                for warning in _warnings(activity, follow_up, form.cleaned_data["status"]):
                    messages.warning(request, warning)
                back = request.POST.get("next", "")
                if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
                    return redirect(back)
                return redirect("plans:activity_detail", pk=activity.pk)
    else:
        initial = {"status": current.status, "comment": current.comment} if current else {}
        if not initial:
            derived = activity.derived_status(on=follow_up.date)
            initial = {"status": (derived or Status.ONGOING).value, "comment": ""}
        form = ActivityStatusForm(initial=initial, base_values=stored)

    status_value = form["status"].value()
    context = {
        "activity": activity,
        "plan": plan,
        "follow_up": follow_up,
        "form": form,
        "preview_comment": form["comment"].value() or "",
        "next": request.POST.get("next", "") if request.method == "POST" else request.GET.get("next", ""),
        "warnings": _warnings(activity, follow_up, status_value),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "plans/activity_status_edit.html#preview", context)
    return render(request, "plans/activity_status_edit.html", context)


def _warnings(activity, follow_up, status_value) -> list[str]:
    try:
        status = Status(status_value)
    except ValueError:
        return []
    return date_warnings(status, activity.planned_start, activity.planned_end, follow_up.date)


FOLLOW_UP_FILTERS = ("mina", "ej_rapporterade")


def _follow_up_filters(params) -> dict[str, bool]:
    return {key: params.get(key) in ("1", "on", "true") for key in FOLLOW_UP_FILTERS}


def _filter_query(filters: dict[str, bool]) -> str:
    return urlencode({key: "1" for key, on in filters.items() if on})


def _follow_up_context(request, follow_up, filters, *, editing=None, form=None) -> dict:
    plan = follow_up.plan
    tree = load_plan_tree(plan, follow_up)
    user_unit_ids = set(request.user.units.values_list("pk", flat=True))
    shown = tree.filtered(
        unit_ids=user_unit_ids if filters["mina"] else None, unreported=filters["ej_rapporterade"]
    )
    editable = {
        node.activity.pk
        for node in shown.activities
        if permissions.can_edit_activity(
            request.user, node.activity, user_unit_ids, municipality_id=plan.municipality_id
        )
    }
    all_nodes = tree.activities
    return {
        "nodes": {n.activity.pk: n for n in all_nodes},
        "follow_up": follow_up,
        "plan": plan,
        "counts": tree.counts,
        "areas": shown.areas,
        "shown_count": len(shown.activities),
        "reported": sum(1 for n in all_nodes if n.status),
        "total": len(all_nodes),
        "filters": filters,
        "filter_query": _filter_query(filters),
        "editable": editable,
        "editing": editing,
        "row_form": form,
        "has_units": bool(user_unit_ids),
        "formats": REPORT_FORMATS,
        "reports": report_states(follow_up, web_url=report_web_url(request, follow_up)),
        "can_manage": permissions.can_manage_plans(request.user, plan.municipality_id),
    }


@require_GET
@login_required
def follow_up_detail(request, slug: str, year: int):
    follow_up = permissions.get_follow_up_for_user(request, slug, year)
    filters = _follow_up_filters(request.GET)
    if request.headers.get("HX-Request") == "true" and request.GET.get("del") == "progress":
        return render(
            request, "plans/follow_up_detail.html#progress", _follow_up_context(request, follow_up, filters)
        )
    editing, form = None, None
    if (pk := request.GET.get("redigera", "")).isdigit():
        editing = int(pk)
        form = _row_form(editing, follow_up)
    context = _follow_up_context(request, follow_up, filters, editing=editing, form=form)
    if editing not in context["editable"]:
        context["editing"] = context["row_form"] = None
    return render(request, "plans/follow_up_detail.html", context)


def _stored_status(activity, follow_up) -> dict[str, str]:
    """The status and comment as stored ("" when not reported): what an edit form is based on."""
    current = ActivityStatus.objects.filter(activity=activity, follow_up=follow_up).first()
    return (
        {"status": current.status, "comment": current.comment} if current else {"status": "", "comment": ""}
    )


def _row_form(activity_pk: int, follow_up) -> ActivityStatusForm:
    current = ActivityStatus.objects.filter(activity_id=activity_pk, follow_up=follow_up).first()
    initial = (
        {"status": current.status, "comment": current.comment} if current else {"status": "", "comment": ""}
    )
    return ActivityStatusForm(initial=initial, base_values=initial, auto_id=f"a{activity_pk}_%s")


@require_http_methods(["GET", "POST"])
@login_required
def follow_up_row(request, slug: str, year: int, pk: int):
    """One activity's row on the follow-up page: shown, edited in place (HTMX) or saved. Without
    JavaScript the "Ändra" link opens the same row in the full page and saving returns to it."""
    follow_up = permissions.get_follow_up_for_user(request, slug, year)
    activity = permissions.get_activity_for_user(
        request, pk, write=request.method == "POST" or "redigera" in request.GET
    )
    if activity.intervention.area.plan_id != follow_up.plan_id:
        raise Http404(_("Aktiviteten hör inte till den här planen."))
    filters = _follow_up_filters(request.POST if request.method == "POST" else request.GET)
    htmx = request.headers.get("HX-Request") == "true"
    form, saved = None, False
    if request.method == "POST":
        form = ActivityStatusForm(request.POST, auto_id=f"a{pk}_%s")
        if form.is_valid():
            try:
                stored = do_set_activity_status(
                    activity,
                    follow_up,
                    form.cleaned_data["status"],
                    form.cleaned_data["comment"],
                    acting_user=request.user,
                    base=form.base,
                )
            except PlanError as exc:
                form.add_error("status", str(exc))
                form.refresh_if_stale(exc, lambda: _stored_status(activity, follow_up))
            else:
                saved = True
                notices = [_("Status och kommentar är sparade för ”%(title)s”.") % {"title": activity.title}]
                if notice := redaction_message(stored.redactions, "kommentaren"):
                    notices.append(notice)
                notices += _warnings(activity, follow_up, form.cleaned_data["status"])
                if not htmx:
                    messages.success(request, notices[0])
                    for notice in notices[1:]:
                        messages.warning(request, notice)
                    url = reverse("plans:follow_up_detail", args=[slug, year])
                    query = _filter_query(filters)
                    return redirect(f"{url}{'?' + query if query else ''}#a-{pk}")
                form = None
        if form is not None and not htmx:
            context = _follow_up_context(request, follow_up, filters, editing=pk, form=form)
            return render(request, "plans/follow_up_detail.html", context, status=400)
    elif "redigera" in request.GET:
        form = _row_form(pk, follow_up)
    if not htmx:
        url = reverse("plans:follow_up_detail", args=[slug, year])
        query = _filter_query(filters)
        if form is not None:
            query = f"{query}&redigera={pk}" if query else f"redigera={pk}"
        return redirect(f"{url}?{query}#a-{pk}" if query else f"{url}#a-{pk}")
    context = _follow_up_context(
        request, follow_up, filters, editing=pk if form is not None else None, form=form
    )
    context.update(
        {
            "node": context["nodes"].get(pk),
            "editable": {pk} if permissions.can_edit_activity(request.user, activity) else set(),
            "saved": saved,
            "notices": notices if saved else [],
        }
    )
    response = render(request, "plans/follow_up_detail.html#row", context, status=200)
    if saved:
        response["HX-Trigger"] = "progress-changed"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def follow_up_edit(request, slug: str, year: int):
    follow_up = permissions.get_follow_up_for_user(request, slug, year, write=True)
    if request.method == "POST" and "draft" in request.POST:
        # Put the proposal into the form, unsaved: the coordinator accepts, edits or replaces it.
        data = request.POST.copy()
        draft = draft_current_analysis(follow_up)
        data["current_analysis"] = draft or data.get("current_analysis", "")
        form = FollowUpTextsForm(data, instance=FollowUp.objects.get(pk=follow_up.pk))
        if draft:
            messages.info(
                request,
                _(
                    "Ett textförslag från statistiken har lagts in i Nulägesanalys. Det sparas först när du trycker på Spara."
                ),
            )
        else:
            messages.warning(request, _("Det finns ingen statistik att skriva ett förslag från."))
        context = {"form": form, "follow_up": follow_up, "can_draft": draft is not None}
        return render(request, "plans/follow_up_edit.html", context)
    form = FollowUpTextsForm(request.POST or None, instance=FollowUp.objects.get(pk=follow_up.pk))
    if request.method == "POST" and form.is_valid():
        try:
            written = do_update_follow_up(follow_up, form.cleaned_data, acting_user=request.user)
        except PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Uppföljningens texter är sparade."))
            if notice := plan_reason(written.explanation):
                messages.warning(request, notice)
            return redirect("plans:follow_up_detail", slug=slug, year=year)
    context = {"form": form, "follow_up": follow_up, "can_draft": has_current_analysis_drafter()}
    return render(request, "plans/follow_up_edit.html", context)


@require_GET
@login_required
def follow_up_report(request, slug: str, year: int, fmt: str):
    """The report file, from the cache when this version is rendered already; otherwise the render starts
    in the background and the page says "Rapporten skapas…" and reloads itself (no JavaScript needed)
    until the file is ready, then the same URL answers with the file. fmt "pdfa" is the archive PDF."""
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404(_("Okänt format."))
    follow_up = permissions.get_follow_up_for_user(request, slug, year)
    web_url = report_web_url(request, follow_up)
    cached = cached_report(follow_up, fmt, web_url=web_url)
    if not cached.exists():
        # The same version rendered without the link (by a worker started elsewhere) is as good a report.
        unlinked = cached_report(follow_up, fmt, cached.version.split("-", 1)[0])
        cached = unlinked if unlinked.exists() else cached
    if not cached.exists() and not cached.is_pending():
        cached.mark_pending()
        start_render(follow_up, fmt, web_url)
    if cached.exists():
        response = HttpResponse(cached.read(), content_type=DOWNLOAD_FORMATS[fmt])
        disposition = "inline" if fmt == "html" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{report_filename(follow_up, fmt)}"'
        return response
    context = {"follow_up": follow_up, "plan": follow_up.plan, "fmt": fmt, "format_label": FORMAT_LABELS[fmt]}
    response = render(request, "plans/report_pending.html", context, status=202)
    response["Retry-After"] = "3"
    response["Cache-Control"] = "no-store"
    return response


def report_web_url(request, follow_up) -> str:
    """The absolute address of the report's HTML version, which the PDFs link on their first page."""
    path = reverse("plans:follow_up_report", args=[follow_up.plan.slug, follow_up.year, "html"])
    return request.build_absolute_uri(path)


def start_render(follow_up, fmt: str, web_url: str = "") -> None:
    render_follow_up_report.enqueue(follow_up.pk, fmt, web_url)  # immediate in tests, a worker in production


FORMAT_LABELS = {
    "html": "webbsida (HTML)",
    "docx": "Word (DOCX)",
    "pdf": "PDF",
    "pdfa": "PDF/A för arkivering",
}


REDACTIONS_SHOWN = 10  # the import's summary lists this many redactions, then counts the rest


@require_http_methods(["GET", "POST"])
@login_required
def plan_import(request):
    permissions.require_import(request)
    municipality = tenancy.current_municipality(request)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        importer = import_plan_xlsx if upload.name.lower().endswith(".xlsx") else import_plan_json
        try:
            content = upload.read()
        except OSError:
            errors = [_("Filen kunde inte läsas. Försök igen.")]
        else:
            try:
                # A file that names no municipality is imported into the current one.
                result = importer(content, acting_user=request.user, municipality=municipality)
            except PlanImportError as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Importen är klar: %(summary)s") % {"summary": result})
                shown = result.redactions[:REDACTIONS_SHOWN]
                for line in shown:
                    messages.warning(request, f"{line}: {PUBLIC_RECORD_REASON}")
                if rest := len(result.redactions) - len(shown):
                    messages.warning(
                        request,
                        _("… och personuppgifter på %(count)s ställen till (samma slags uppgifter).")
                        % {"count": rest},
                    )
                return redirect("plans:plan_detail", slug=result.plan.slug)
    context = {"form": form, "errors": errors, "municipality": municipality}
    return render(request, "plans/plan_import.html", context)


@require_GET
@login_required
def plan_export(request, slug: str, fmt: str):
    plan = permissions.get_plan_for_user(request, slug)
    if fmt == "json":
        content, content_type = export_plan_json(plan).encode("utf-8"), "application/json"
    elif fmt == "xlsx":
        content = export_plan_xlsx(plan)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404(_("Okänt format."))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}.{fmt}"'
    return response
