"""Public plan pages (no login), open-data files and the catalogue; and the staff pages that decide what is
published (the coordinator's publishing page) and who may use the API (tokens).

What a resident may see is decided in :mod:`trygg.publishing.access`; anything else is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from trygg.accounts import tenancy
from trygg.accounts.models import Role
from trygg.dialog.queries import suppress_below as dialog_suppress_below
from trygg.places.models import Municipality
from trygg.plans import permissions as plan_permissions
from trygg.plans.actions import (
    PlanError,
    do_set_comment_published,
    do_set_follow_up_published,
    do_set_plan_published,
)
from trygg.plans.models import ActivityStatus, FollowUp
from trygg.plans.report_cache import DOWNLOAD_FORMATS as REPORT_FORMATS
from trygg.plans.report_cache import cached_report, report_filename
from trygg.plans.tasks import render_follow_up_report
from trygg.plans.tree import load_plan_tree

from . import access, opendata
from .actions import PublishingError, do_create_api_token, do_revoke_api_token
from .forms import ApiTokenForm, PublicFilterForm
from .models import ApiToken

FORMAT_LABELS = {
    "html": "Webbsida (HTML)",
    "docx": "Word (DOCX)",
    "pdf": "PDF",
    "pdfa": "PDF/A för arkivering",
}


# --- public pages ---------------------------------------------------------------------------------------


@require_GET
def index(request):
    plans = access.plans().order_by("municipality__name", "name")
    return render(request, "publishing/index.html", {"plans": plans})


@require_GET
def plan(request, slug: str):
    plan = access.get_plan(access.PUBLIC, slug)
    follow_ups = access.follow_ups(access.PUBLIC, plan)
    tree = load_plan_tree(plan, None)
    form = PublicFilterForm(
        request.GET or None, years=[f.year for f in follow_ups], areas=[n.area for n in tree.areas]
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = filters.get("ar") or (follow_ups[0].year if follow_ups else None)
    follow_up = next((f for f in follow_ups if f.year == year), None)
    if follow_up is not None:
        tree = load_plan_tree(plan, follow_up)
        shown_comments = set(
            ActivityStatus.objects.filter(follow_up=follow_up, comment_published=True).values_list(
                "activity_id", flat=True
            )
        )
        for node in tree.activities:
            if node.activity.pk not in shown_comments:
                node.comment = ""  # internal until the coordinator publishes it
    status = filters.get("status") or ""
    shown = tree.filtered(
        status="" if status == "none" else status,
        unreported=status == "none",
        political=form.political() if form.is_bound else None,
    )
    if filters.get("omrade"):
        shown.areas = [a for a in shown.areas if a.area.number == filters["omrade"]]
    context = {
        "plan": plan,
        "follow_up": follow_up,
        "follow_ups": follow_ups,
        "tree": shown,
        "total_counts": tree.counts,
        "form": form,
        "is_filtered": any(filters.get(k) for k in ("omrade", "status", "politiskt")),
        "shown_count": len(shown.activities),
        "reports": [(fmt, FORMAT_LABELS[fmt]) for fmt in REPORT_FORMATS] if follow_up else [],
        "open_data": [
            (fmt, reverse("publishing:plan_data", kwargs={"slug": plan.slug, "fmt": fmt}))
            for fmt in ("csv", "json")
        ],
    }
    return render(request, "publishing/plan.html", context)


@require_GET
def activity(request, slug: str, pk: int):
    plan = access.get_plan(access.PUBLIC, slug)
    activity = access.get_activity(access.PUBLIC, plan, pk)
    history = access.activity_history(access.PUBLIC, plan, activity)
    return render(
        request, "publishing/activity.html", {"plan": plan, "activity": activity, "history": history}
    )


@require_GET
def report(request, slug: str, year: int, fmt: str):
    """The follow-up report of a published year: from the report cache when rendered, else the render starts
    and the page asks the browser to come back (Refresh header, no JavaScript needed)."""
    if fmt not in REPORT_FORMATS:
        raise Http404("Okänt format.")
    plan = access.get_plan(access.PUBLIC, slug)
    follow_up = next((f for f in access.follow_ups(access.PUBLIC, plan) if f.year == year), None)
    if follow_up is None:
        raise Http404("Uppföljningen är inte publicerad.")
    # PDFs link the public web version on their first page (the accessible reference version).
    web_url = (
        ""
        if fmt == "html"
        else request.build_absolute_uri(reverse("publishing:report", args=[slug, year, "html"]))
    )
    cached = cached_report(follow_up, fmt, web_url=web_url)
    if not cached.exists() and not cached.is_pending():
        cached.mark_pending()
        render_follow_up_report.enqueue(
            follow_up.pk, fmt, web_url
        )  # immediate in tests, a worker in production
    if cached.exists():
        response = HttpResponse(cached.read(), content_type=REPORT_FORMATS[fmt])
        disposition = "inline" if fmt == "html" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{report_filename(follow_up, fmt)}"'
        return response
    context = {"plan": plan, "follow_up": follow_up, "format_label": FORMAT_LABELS[fmt]}
    response = render(request, "publishing/report_pending.html", context, status=202)
    response["Refresh"] = "3"
    response["Retry-After"] = "3"
    response["Cache-Control"] = "no-store"
    return response


# --- open data -------------------------------------------------------------------------------------------


def _data_response(fmt: str, name: str, meta: dict, rows: list[dict], columns: list[str]) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(opendata.to_csv(rows, columns), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = HttpResponse(opendata.to_json(meta, rows), content_type="application/json; charset=utf-8")
    else:
        raise Http404("Okänt format.")
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


@require_GET
def open_data(request):
    items = opendata.datasets(lambda name, **kw: reverse(f"publishing:{name}", kwargs=kw))
    return render(request, "publishing/open_data.html", {"datasets": items, "licence": opendata.licence()})


@require_GET
def plan_data(request, slug: str, fmt: str):
    plan = access.get_plan(access.PUBLIC, slug)
    meta = {"plan": plan.name, "kommun": plan.owner_name, "kommunkod": plan.municipality.code}
    return _data_response(fmt, plan.slug, meta, opendata.plan_rows(plan), opendata.PLAN_COLUMNS)


def _municipality(code: str) -> Municipality:
    return get_object_or_404(Municipality, code=code)


@require_GET
def statistics_data(request, code: str, fmt: str):
    m = _municipality(code)
    meta = {"kommun": m.full_name, "kommunkod": m.code}
    return _data_response(
        fmt, f"statistik-{m.code}", meta, opendata.statistics_rows(m), opendata.STATISTICS_COLUMNS
    )


@require_GET
def dialog_data(request, code: str, fmt: str):
    m = _municipality(code)
    meta = {"kommun": m.full_name, "kommunkod": m.code, "doljs_under": dialog_suppress_below()}
    return _data_response(fmt, f"dialog-{m.code}", meta, opendata.dialog_rows(m), opendata.DIALOG_COLUMNS)


@require_GET
def catalogue(request):
    """The DCAT-AP-SE catalogue (RDF/XML) that dataportal.se harvests."""
    items = opendata.datasets(lambda name, **kw: reverse(f"publishing:{name}", kwargs=kw))
    body = opendata.catalogue_rdf(
        items, absolute=request.build_absolute_uri, catalogue_url=request.build_absolute_uri()
    )
    response = HttpResponse(body, content_type="application/rdf+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- staff: what is published -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def manage(request, slug: str):
    """The coordinator's publishing page for one plan: the plan, each follow-up year, each comment."""
    plan = plan_permissions.get_plan_for_user(request, slug)
    if not plan_permissions.can_manage_plans(request.user, plan.municipality_id):
        raise PermissionDenied("Endast samordnare och administratörer får publicera planen.")
    follow_ups = list(FollowUp.objects.filter(plan=plan).order_by("-year"))
    if request.method == "POST":
        try:
            _apply_publishing(request, plan, follow_ups)
        except PlanError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Publiceringen är sparad.")
        return redirect("publishing:manage", slug=plan.slug)
    year = request.GET.get("ar")
    follow_up = next((f for f in follow_ups if str(f.year) == year), follow_ups[0] if follow_ups else None)
    tree = load_plan_tree(plan, follow_up)
    published_comments = set()
    if follow_up is not None:
        published_comments = set(
            ActivityStatus.objects.filter(follow_up=follow_up, comment_published=True).values_list(
                "activity_id", flat=True
            )
        )
    context = {
        "plan": plan,
        "follow_ups": follow_ups,
        "follow_up": follow_up,
        "tree": tree,
        "published_comments": published_comments,
    }
    return render(request, "publishing/manage.html", context)


def _apply_publishing(request, plan, follow_ups) -> None:
    """Each change through its own audited action; all or nothing."""
    from django.db import transaction

    with transaction.atomic():
        if "plan" in request.POST:
            do_set_plan_published(plan, request.POST.get("plan") == "1", acting_user=request.user)
        chosen = set(request.POST.getlist("ar"))
        if "arsval" in request.POST:
            for follow_up in follow_ups:
                do_set_follow_up_published(follow_up, str(follow_up.year) in chosen, acting_user=request.user)
        if "kommentarer_for" in request.POST:
            follow_up = next((f for f in follow_ups if str(f.year) == request.POST["kommentarer_for"]), None)
            if follow_up is None:
                raise PlanError("Välj en uppföljning.")
            chosen_comments = set(request.POST.getlist("kommentar"))
            for status in ActivityStatus.objects.filter(follow_up=follow_up).exclude(comment=""):
                do_set_comment_published(
                    status, str(status.activity_id) in chosen_comments, acting_user=request.user
                )


# --- staff: API tokens ---------------------------------------------------------------------------------

TOKEN_MANAGERS = (Role.ADMIN, Role.COORDINATOR)


def _token_municipality(request):
    municipality = tenancy.current_municipality(request)
    if municipality is None or not request.user.has_role_in(municipality, *TOKEN_MANAGERS):
        raise PermissionDenied("Endast samordnare och administratörer hanterar API-nycklar.")
    return municipality


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request):
    municipality = _token_municipality(request)
    form = ApiTokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = do_create_api_token(
                municipality, form.cleaned_data["name"], form.cleaned_data["role"], acting_user=request.user
            )
        except PublishingError as exc:
            form.add_error(None, str(exc))
        else:
            form = ApiTokenForm()
    context = {
        "municipality": municipality,
        "tokens": ApiToken.objects.filter(municipality=municipality),
        "form": form,
        "new_token": new_token,
    }
    response = render(request, "publishing/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the new token is shown once
    return response


@require_http_methods(["GET", "POST"])
@login_required
def token_revoke(request, pk: int):
    """GET asks to confirm, POST revokes."""
    token = tenancy.get_for_user_or_404(
        ApiToken.objects.all(), request.user, plan_permissions.READ_ROLES, pk=pk
    )
    if not request.user.has_role_in(token.municipality_id, *TOKEN_MANAGERS):
        raise PermissionDenied("Endast samordnare och administratörer hanterar API-nycklar.")
    if request.method == "GET":
        return render(request, "publishing/token_revoke.html", {"token": token})
    do_revoke_api_token(token, acting_user=request.user)
    messages.success(request, f"Nyckeln ”{token.name}” är återkallad.")
    return redirect("publishing:tokens")
