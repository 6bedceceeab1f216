"""Role × URL access matrix: every named URL of the resolver, GET and an empty POST, for eight personas.

The expected status of every cell is in ``EXPECTED`` below (one row per URL name). A URL that the resolver has
and the table has not fails the suite, so a new URL needs a row; so does a row whose URL is gone.

Personas (columns, in this order)::

    A  anonymous
    N  logged in, no role anywhere
    R  reader of municipality A
    U  unit editor of A (unit Säkerhetsenheten, the unit of the plans' activities)
    P  partner of A (organisation Polisen)
    C  coordinator of A
    M  administrator of A (a municipality role, not a superuser)
    O  coordinator of municipality B ("other")

Objects named in a URL belong to A and come from the apps' ``tests/tenancy_cases.py``; public pages and the
shared categories get theirs from ``PUBLIC_KWARGS`` here (published objects of A). Every cell runs in its own
savepoint with fresh objects, so an empty POST that deletes or saves something cannot change the next cell.
Downloads are rendered for real (PDF, DOCX); background tasks run immediately (test settings).

Statuses: ``200``, ``302`` (a redirect, e.g. after a save), ``LOG`` (302 to the login page), ``400``, ``403``,
``404``, ``405`` ... A cell that answers 2xx or a redirect other than to the login page where the table says
403/404/405/LOG is an unexpected grant; the failure lists url, persona, method and status.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts.models import Organisation, Role
from trygg.conftest import make_user
from trygg.tests.test_tenant_isolation import CASES

PERSONAS = ("A", "N", "R", "U", "P", "C", "M", "O")
LOGIN = "LOG"


# --- URLs ----------------------------------------------------------------------------------------------------


def _url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or (entry.app_name or "") == "admin":
                continue
            yield from _url_names(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def _published_plan(m):
    from trygg.plans.actions import do_set_follow_up_published, do_set_plan_published
    from trygg.plans.tests.builders import build_plan

    plan, follow_up = build_plan(slug=f"oppen-{m.code}", areas=1, activities=1, municipality=m)
    do_set_plan_published(plan, True, acting_user=None)
    do_set_follow_up_published(follow_up, True, acting_user=None)
    activity = plan.areas.get().interventions.get().activities.get()
    return plan, follow_up, activity


def _public_plan_kwargs(m):
    plan, _, _ = _published_plan(m)
    return {"slug": plan.slug}


def _public_activity_kwargs(m):
    plan, _, activity = _published_plan(m)
    return {"slug": plan.slug, "pk": activity.pk}


def _public_report_kwargs(m):
    plan, follow_up, _ = _published_plan(m)
    return {"slug": plan.slug, "year": follow_up.year, "fmt": "html"}


def _api_history_kwargs(m):
    plan, _, activity = _published_plan(m)
    return {"slug": plan.slug, "activity_id": activity.pk}


def _national_indicator():
    from trygg.indicators.models import Indicator

    return Indicator.objects.national().order_by("code").first() or Indicator.objects.create(
        code="MATRIS", title="Matris"
    )


def _indicator_kwargs(m):
    return {"indicator_id": _national_indicator().pk}


def _campaign(m):
    from trygg.dialog.models import Campaign
    from trygg.dialog.tests.tenancy_cases import campaign

    return Campaign.objects.get(pk=campaign(m)["pk"])


def _receipt_kwargs(m):
    from trygg.dialog.models import Submission
    from trygg.dialog.tests.tenancy_cases import submission

    row = Submission.objects.get(pk=submission(m)["pk"])
    return {"pk": row.campaign_id, "receipt": row.receipt}


def _public_walk_kwargs(m):
    from trygg.walks.models import Walk

    walk = Walk.objects.create(
        municipality=m, title="Öppen vandring", date=dt.date(2024, 4, 10), published=True
    )
    return {"pk": walk.pk}


def _public_contact_kwargs(m):
    from trygg.assessments.models import CoordinationFunction

    CoordinationFunction.objects.update_or_create(municipality=m, defaults={"email": "trygg@example.se"})
    return {"code": m.code}


def _category_kwargs(m):
    from trygg.situation.models import Category

    return {"pk": Category.objects.get_or_create(slug="ovrigt", defaults={"name": "Övrigt"})[0].pk}


# URLs whose parameters are not an object of a municipality's own (tenancy EXEMPT): public pages and the shared
# category taxonomy. Each builds a published object of A, so that the public cells show a real page.
PUBLIC_KWARGS = {
    "assessments:public_contact": _public_contact_kwargs,
    "dialog_public:submit": lambda m: {"pk": _campaign(m).pk},
    "dialog_public:receipt": _receipt_kwargs,
    "dialog_public:results": lambda m: {"pk": _campaign(m).pk},
    "walks:public_walk": _public_walk_kwargs,
    "situation:category_edit": _category_kwargs,
    "publishing:plan": _public_plan_kwargs,
    "publishing:activity": _public_activity_kwargs,
    "publishing:report": _public_report_kwargs,
    "publishing:plan_data": lambda m: {**_public_plan_kwargs(m), "fmt": "json"},
    "publishing:statistics_data": lambda m: {"code": m.code, "fmt": "json"},
    "publishing:dialog_data": lambda m: {"code": m.code, "fmt": "json"},
    "api-v1:get_plan": _public_plan_kwargs,
    "api-v1:list_activities": _public_plan_kwargs,
    "api-v1:list_statuses": _public_plan_kwargs,
    "api-v1:activity_history": _api_history_kwargs,
    "api-v1:list_observations": _indicator_kwargs,
    "api-v1:lagesbild_cells": lambda m: {"code": m.code},
    "api-v1:lagesbild_counts": lambda m: {"code": m.code},
}


# Query strings some URLs need to answer with their page instead of a 400/422 on a missing parameter.
QUERY = {
    "indicators:export_csv": lambda m: {"indicator": _national_indicator().code},
    "indicators:export_xlsx": lambda m: {"indicator": _national_indicator().code},
    "api-v1:lagesbild_cells": lambda m: {"year": 2024, "month": 5},
    "api-v1:lagesbild_counts": lambda m: {"year": 2024},
}


def _url(url_name, municipality) -> str:
    make = PUBLIC_KWARGS.get(url_name) or CASES.get(url_name)
    try:
        url = reverse(url_name, kwargs=make(municipality) if make else {})
    except NoReverseMatch:
        pytest.fail(
            f"{url_name} takes parameters: add a case to its app's tests/tenancy_cases.py or, for a public "
            "page or a shared object, a maker to PUBLIC_KWARGS here"
        )
    return f"{url}?{urlencode(QUERY[url_name](municipality))}" if url_name in QUERY else url


# --- Expected statuses -------------------------------------------------------------------------------------
# One row per URL name: (GET, POST), each eight statuses in the persona order A N R U P C M O.
# U and P own none of the objects (no finding, incident or measure of theirs, nothing their organisation is
# responsible for), so where they may change only their own, the row shows 403 for them.

# fmt: off
#                   A   N   R   U   P   C   M   O
PUBLIC =           "200 200 200 200 200 200 200 200"  # no login needed; the same for everyone
NO_METHOD =        "405 405 405 405 405 405 405 405"  # the method is refused before any login check
NOT_FOUND =        "404 404 404 404 404 404 404 404"
BAD_REQUEST =      "400 400 400 400 400 400 400 400"
LOGGED_OUT =       "LOG LOG LOG LOG LOG LOG LOG LOG"
LOGIN_ONLY =       "LOG 200 200 200 200 200 200 200"  # any account, own data only (no municipality)
LOGIN_REDIRECT =   "LOG 302 302 302 302 302 302 302"
LOGIN_NO_METHOD =  "LOG 405 405 405 405 405 405 405"  # login first, then the method is refused
ANY_ROLE =         "LOG 403 200 200 200 200 200 200"  # a role in the current municipality (O: its own, B)
READ =             "LOG 404 200 200 200 200 200 404"  # a role in the object's municipality (A)
READ_POST_ONLY =   "LOG 404 405 405 405 405 405 404"  # a POST-only action: readers reach the method check
WRITERS =          "LOG 403 403 403 200 200 200 200"  # lägesbild writers: partner, coordinator, admin
WRITE =            "LOG 404 403 403 200 200 200 404"  # ... of the object's municipality
WRITE_POST_ONLY =  "LOG 404 403 403 405 405 405 404"
WRITE_DONE =       "LOG 404 403 403 302 302 302 404"  # ... and the empty POST does it
RECORD =           "LOG 404 403 200 200 200 200 404"  # walk findings: unit editor, partner, coordinator, admin
UNIT_WRITE =       "LOG 404 403 200 403 200 200 404"  # the unit editor of the activity's unit, coordinator, admin
MANAGERS =         "LOG 403 403 403 403 200 200 200"  # coordinator, admin of the current municipality
MANAGE =           "LOG 404 403 403 403 200 200 404"  # coordinator, admin of the object's municipality
MANAGE_POST_ONLY = "LOG 404 403 403 403 405 405 404"
MANAGE_DONE =      "LOG 404 403 403 403 302 302 404"  # ... and the empty POST does it (delete, publish, revoke)
ADMINS =           "LOG 403 403 403 403 403 200 403"  # a municipality's administrator (the audit trail)
SUPERUSERS =       "LOG 403 403 403 403 403 403 403"  # installation administrators only: nobody here
# fmt: on

EXPECTED: dict[str, tuple[str, str]] = {
    # project
    "home": (LOGIN_ONLY, NO_METHOD),
    "login": (PUBLIC, PUBLIC),  # an empty POST re-renders the form with its errors
    "logout": (NO_METHOD, LOGGED_OUT),
    "privacy": (PUBLIC, NO_METHOD),
    "switch_municipality": (LOGIN_NO_METHOD, LOGIN_REDIRECT),  # no kommun given: back with a message
    "two_factor_enrol": (LOGIN_ONLY, LOGIN_ONLY),
    "two_factor_qr": (LOGIN_ONLY, LOGIN_ONLY),
    "two_factor_verify": (LOGIN_REDIRECT, LOGIN_REDIRECT),  # no confirmed device yet: to the enrolment
    "oidc_authentication_init": (NOT_FOUND, NOT_FOUND),  # single sign-on is off in the test settings
    "oidc_authentication_callback": (NOT_FOUND, NOT_FOUND),
    "audit_list": (ADMINS, LOGIN_NO_METHOD),
    "audit_export": (ADMINS, LOGIN_NO_METHOD),
    # plans
    "plans:plan_list": (ANY_ROLE, NO_METHOD),
    "plans:plan_import": (MANAGERS, MANAGERS),
    "plans:plan_detail": (READ, NO_METHOD),
    "plans:plan_export": (READ, NO_METHOD),
    "plans:follow_up_detail": (READ, NO_METHOD),
    "plans:follow_up_edit": (MANAGE, MANAGE),
    "plans:follow_up_report": (READ, NO_METHOD),
    "plans:follow_up_row": (
        "LOG 404 302 302 302 302 302 404",  # to the row on the follow-up page
        "LOG 404 403 400 403 400 400 404",
    ),
    "plans:activity_detail": (READ, NO_METHOD),
    "plans:activity_status_edit": (UNIT_WRITE, UNIT_WRITE),
    # indicators
    "indicators:dashboard": (ANY_ROLE, LOGIN_NO_METHOD),
    "indicators:composite": (ANY_ROLE, LOGIN_NO_METHOD),
    "indicators:export_csv": (ANY_ROLE, LOGIN_NO_METHOD),
    "indicators:export_xlsx": (ANY_ROLE, LOGIN_NO_METHOD),
    "indicators:import": (MANAGERS, MANAGERS),
    "indicators:import_job": (MANAGE, LOGIN_NO_METHOD),
    "indicators:local_template": (MANAGERS, LOGIN_NO_METHOD),
    "indicators:local_figures": (MANAGERS, MANAGERS),
    # places
    "places:place_list": (ANY_ROLE, LOGIN_NO_METHOD),
    "places:places_geojson": (ANY_ROLE, LOGIN_NO_METHOD),
    "places:place_create": (MANAGERS, MANAGERS),
    "places:place_edit": (MANAGE, MANAGE),
    # lägesbild: readers and unit editors see aggregates only (no single incident, raw export or brief)
    "situation:map": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:map_data": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:map_view": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:table": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:method": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:export_csv": (WRITERS, LOGIN_NO_METHOD),
    "situation:export_geojson": (WRITERS, LOGIN_NO_METHOD),
    "situation:incident_create": (WRITERS, WRITERS),
    "situation:incident_detail": (WRITE, LOGIN_NO_METHOD),
    "situation:incident_edit": (MANAGE, MANAGE),  # a partner edits only its own organisation's incidents
    "situation:meeting_list": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:meeting_create": (WRITERS, WRITERS),
    "situation:meeting_detail": (READ, LOGIN_NO_METHOD),
    "situation:meeting_edit": (WRITE, WRITE),
    "situation:meeting_recompute": (WRITE_POST_ONLY, WRITE_DONE),
    "situation:meeting_brief_pdf": (WRITE, LOGIN_NO_METHOD),
    "situation:meeting_brief_docx": (WRITE, LOGIN_NO_METHOD),
    "situation:focus_area_list": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:focus_area_create": (WRITERS, WRITERS),
    "situation:focus_area_detail": (READ, LOGIN_NO_METHOD),
    "situation:focus_area_edit": (WRITE, WRITE),
    "situation:action_list": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:action_create": (WRITERS, WRITERS),
    "situation:action_detail": (READ, LOGIN_NO_METHOD),
    "situation:action_edit": (WRITE, WRITE),
    "situation:action_status": (READ_POST_ONLY, WRITE_DONE),
    "situation:camera_list": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:camera_create": (MANAGERS, MANAGERS),
    "situation:camera_edit": (MANAGE, MANAGE),
    "situation:category_list": (ANY_ROLE, LOGIN_NO_METHOD),
    "situation:category_create": (SUPERUSERS, SUPERUSERS),
    "situation:category_edit": (SUPERUSERS, SUPERUSERS),
    # walks
    "walks:walk_list": (ANY_ROLE, LOGIN_NO_METHOD),
    "walks:walk_create": (MANAGERS, MANAGERS),
    "walks:walk_detail": (READ, LOGIN_NO_METHOD),
    "walks:walk_edit": (MANAGE, MANAGE),
    "walks:stop_add": (MANAGE, MANAGE),
    "walks:stop_delete": (MANAGE_POST_ONLY, MANAGE_DONE),
    "walks:finding_create": (RECORD, RECORD),
    "walks:finding_detail": (READ, LOGIN_NO_METHOD),
    "walks:finding_edit": (MANAGE, MANAGE),  # U, P: only findings they or their organisation recorded
    "walks:finding_delete": (MANAGE, MANAGE_DONE),
    "walks:photo_add": (READ_POST_ONLY, MANAGE_DONE),
    "walks:photo": (READ, LOGIN_NO_METHOD),
    "walks:photo_delete": (READ_POST_ONLY, MANAGE_DONE),
    "walks:measure_list": (ANY_ROLE, LOGIN_NO_METHOD),
    "walks:measure_create": (MANAGE, MANAGE),
    "walks:measure_edit": (
        MANAGE,
        MANAGE,
    ),  # U, P: only measures their unit or organisation is responsible for
    "walks:protocol_html": (READ, LOGIN_NO_METHOD),
    "walks:protocol_pdf": (READ, LOGIN_NO_METHOD),
    "walks:protocol_docx": (READ, LOGIN_NO_METHOD),
    "walks:public_list": (PUBLIC, NO_METHOD),
    "walks:public_walk": (PUBLIC, NO_METHOD),
    # dialog (staff); every read role reads submissions, exports and moderation need the manage role
    "dialog:campaign_list": (ANY_ROLE, LOGIN_NO_METHOD),
    "dialog:campaign_create": (MANAGERS, MANAGERS),
    "dialog:campaign_detail": (READ, LOGIN_NO_METHOD),
    "dialog:campaign_edit": (MANAGE, MANAGE),
    "dialog:submission_list": (READ, LOGIN_NO_METHOD),
    "dialog:moderation_queue": (MANAGE, LOGIN_NO_METHOD),  # unmoderated text: those who moderate
    "dialog:campaign_analysis": (READ, LOGIN_NO_METHOD),
    "dialog:export_csv": (MANAGE, LOGIN_NO_METHOD),
    "dialog:export_geojson": (MANAGE, LOGIN_NO_METHOD),
    "dialog:submission_detail": (MANAGE, LOGIN_NO_METHOD),  # the case's submission is not yet approved
    "dialog:submission_moderate": (MANAGE_POST_ONLY, MANAGE_DONE),
    "dialog:submission_redact": (MANAGE_POST_ONLY, MANAGE_DONE),
    "dialog:submission_focus_area": (MANAGE_POST_ONLY, MANAGE_DONE),
    "dialog:submission_action": (MANAGE_POST_ONLY, MANAGE_DONE),
    "dialog:submission_walk_stop": (MANAGE_POST_ONLY, MANAGE_DONE),
    "dialog:submission_photo": (MANAGE, LOGIN_NO_METHOD),
    # dialog (public)
    "dialog_public:index": (PUBLIC, NO_METHOD),
    "dialog_public:submit": (PUBLIC, BAD_REQUEST),  # an empty POST lacks the signed form token
    "dialog_public:receipt": (PUBLIC, NO_METHOD),
    "dialog_public:results": (PUBLIC, NO_METHOD),
    # the law's cycle
    "assessments:index": (ANY_ROLE, LOGIN_NO_METHOD),
    "assessments:coordination": (ANY_ROLE, LOGIN_NO_METHOD),
    "assessments:coordination_function_edit": (MANAGERS, MANAGERS),
    "assessments:public_contact": (PUBLIC, NO_METHOD),
    "assessments:assessment_detail": (READ, LOGIN_NO_METHOD),
    "assessments:assessment_html": (READ, LOGIN_NO_METHOD),
    "assessments:assessment_pdf": (READ, LOGIN_NO_METHOD),
    "assessments:assessment_docx": (READ, LOGIN_NO_METHOD),
    "assessments:problem_detail": (READ, LOGIN_NO_METHOD),
    "assessments:actionplan_detail": (READ, LOGIN_NO_METHOD),
    "assessments:actionplan_html": (READ, LOGIN_NO_METHOD),
    "assessments:actionplan_pdf": (READ, LOGIN_NO_METHOD),
    "assessments:actionplan_docx": (READ, LOGIN_NO_METHOD),
    "assessments:actionplan_adopt": (MANAGE, MANAGE),
    "assessments:measure_link": (MANAGE, MANAGE),
    "assessments:activity_chain": (READ, LOGIN_NO_METHOD),
    "assessments:forum_detail": (READ, LOGIN_NO_METHOD),
    **{
        f"assessments:{kind}_create": (MANAGERS, MANAGERS)  # a new record of the current municipality
        for kind in ("assessment", "actionplan", "agreement", "promise", "forum", "councilreport")
    },
    **{
        f"assessments:{kind}_create": (MANAGE, MANAGE)  # a new record under a parent of A
        for kind in (
            "source",
            "evidence",
            "contribution",
            "consultation",
            "problem",
            "cause",
            "goal",
            "measure",
            "member",
            "forummeeting",
        )
    },  # fmt: skip
    **{
        f"assessments:{kind}_{verb}": (MANAGE, MANAGE if verb == "edit" else MANAGE_DONE)
        for kind in (
            "assessment",
            "source",
            "evidence",
            "contribution",
            "consultation",
            "problem",
            "cause",
            "actionplan",
            "goal",
            "measure",
            "agreement",
            "promise",
            "forum",
            "member",
            "forummeeting",
            "councilreport",
        )
        for verb in ("edit", "delete")
    },  # fmt: skip
    # publishing: public pages and open data, and the coordinators' publishing and API keys
    "publishing:index": (PUBLIC, NO_METHOD),
    "publishing:plan": (PUBLIC, NO_METHOD),
    "publishing:activity": (PUBLIC, NO_METHOD),
    "publishing:report": (PUBLIC, NO_METHOD),
    "publishing:open_data": (PUBLIC, NO_METHOD),
    "publishing:catalogue": (PUBLIC, NO_METHOD),
    "publishing:plan_data": (PUBLIC, NO_METHOD),
    "publishing:statistics_data": (PUBLIC, NO_METHOD),
    "publishing:dialog_data": (PUBLIC, NO_METHOD),
    "publishing:manage": (MANAGE, MANAGE_DONE),
    "publishing:tokens": (MANAGERS, MANAGERS),
    "publishing:token_revoke": (MANAGE, MANAGE_DONE),
    # the read API: no session roles at all (published data, or a token's), read-only
    "api-v1:api-root": (NOT_FOUND, NOT_FOUND),  # no docs page (its scripts would break the CSP)
    "api-v1:openapi-json": (PUBLIC, PUBLIC),  # the schema, for any method
    "api-v1:list_plans": (PUBLIC, NO_METHOD),
    "api-v1:get_plan": (PUBLIC, NO_METHOD),
    "api-v1:list_activities": (PUBLIC, NO_METHOD),
    "api-v1:list_statuses": (PUBLIC, NO_METHOD),
    "api-v1:activity_history": (PUBLIC, NO_METHOD),
    "api-v1:list_indicators": (PUBLIC, NO_METHOD),
    "api-v1:list_observations": (PUBLIC, NO_METHOD),
    "api-v1:lagesbild_cells": (PUBLIC, NO_METHOD),
    "api-v1:lagesbild_counts": (PUBLIC, NO_METHOD),
}


# --- The matrix ----------------------------------------------------------------------------------------------

PERSONA_NAMES = {
    "A": "anonymous",
    "N": "no role",
    "R": "reader",
    "U": "unit_editor",
    "P": "partner",
    "C": "coordinator",
    "M": "admin (municipal)",
    "O": "other municipality's coordinator",
}
URL_NAMES = sorted(set(_url_names()))


def _app(url_name: str) -> str:
    return url_name.split(":")[0] if ":" in url_name else "project"


APPS = sorted({_app(name) for name in URL_NAMES})


def _granted(status: str) -> bool:
    """The request did what it asked: a page, a file, or a redirect after doing it (not to the login page)."""
    return status != LOGIN and status[0] in "23"


def _status(response) -> str:
    if response.status_code == 302 and response["Location"].split("?")[0] == reverse("login"):
        return LOGIN
    return str(response.status_code)


@pytest.fixture
def people(municipality, other_municipality, unit):
    police = Organisation.objects.get_or_create(name="Polisen", kind=Organisation.Kind.POLICE)[0]
    users = {
        "A": None,
        "N": make_user("ingen", Role.NONE),
        "R": make_user("lasare", Role.READER),
        "U": make_user("enhet", Role.UNIT_EDITOR, units=[unit]),
        "P": make_user("polis", Role.PARTNER, organisation=police),
        "C": make_user("samordnare", Role.COORDINATOR),
        "M": make_user("kommunadmin", Role.ADMIN),
        "O": make_user("ale-samordnare", Role.COORDINATOR, municipality=other_municipality),
    }
    assert not users["M"].is_superuser
    for user in filter(None, users.values()):  # an authenticator being set up, so the QR code is there
        TOTPDevice.objects.create(user=user, name="Trygg", confirmed=False)
    return users


@pytest.fixture
def matrix_settings(settings):
    settings.DIALOG_MIN_FILL_SECONDS = 0
    settings.DIALOG_RATE_LIMIT = 100_000
    settings.TRYGG_API_RATE_LIMIT = 100_000
    assert not settings.TRYGG_REQUIRE_2FA
    return settings


def _fresh_caches():
    """Rate-limit counters, cached map payloads and the dialog's campaign copies: ids are reused after each
    cell's rollback, so nothing of one cell may be seen by the next."""
    from trygg.dialog import snapshot

    cache.clear()
    snapshot.clear()


def _cell(url_name, municipality, user, method) -> tuple[str, str, str]:
    """(status, url, error) of one request, in a savepoint that is rolled back with the objects it made."""
    _fresh_caches()
    client = Client(raise_request_exception=False)
    with transaction.atomic():
        url = _url(url_name, municipality)
        if user is not None:
            client.force_login(user)
        response = client.get(url) if method == "GET" else client.post(url, {})
        error = ""
        if response.status_code >= 500 and getattr(response, "exc_info", None):
            error = repr(response.exc_info[1])
        transaction.set_rollback(True)
    return _status(response), url, error


def test_every_url_has_a_row():
    missing = sorted(set(URL_NAMES) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(URL_NAMES))
    assert not missing, f"URLs without a row in EXPECTED (test_matrix prints what they answer): {missing}"
    assert not stale, f"rows in EXPECTED for URLs that no longer exist: {stale}"
    for name, row in EXPECTED.items():
        for half in row:
            assert len(half.split()) == len(PERSONAS), f"{name}: {half!r} needs one status per persona"


@pytest.mark.parametrize("app", APPS)
def test_matrix(app, matrix_settings, municipality, people):
    grants, losses, changes, new_rows = [], [], [], []
    for name in (n for n in URL_NAMES if _app(n) == app):
        observed = {}
        for m_index, method in enumerate(("GET", "POST")):
            statuses = []
            for p_index, persona in enumerate(PERSONAS):
                got, url, error = _cell(name, municipality, people[persona], method)
                statuses.append(got)
                if name not in EXPECTED:
                    continue
                expected = EXPECTED[name][m_index].split()[p_index]
                if got == expected:
                    continue
                line = (
                    f"{name} [{url}] {PERSONA_NAMES[persona]} ({persona}) {method}: "
                    f"expected {expected}, got {got}{' ' + error if error else ''}"
                )
                if _granted(got) and not _granted(expected):
                    grants.append(line)
                elif _granted(expected) and not _granted(got):
                    losses.append(line)
                else:
                    changes.append(line)
            observed[method] = " ".join(statuses)
        if name not in EXPECTED:
            new_rows.append(f'    "{name}": ("{observed["GET"]}", "{observed["POST"]}"),')
    report = []
    if grants:
        report += [f"{len(grants)} UNEXPECTED GRANTS (access where the table refuses it):", *grants]
    if losses:
        report += [f"{len(losses)} LOST ACCESS (refused where the table grants it):", *losses]
    if changes:
        report += [f"{len(changes)} other changes:", *changes]
    if new_rows:
        report += ["URLs without a row in EXPECTED; they answer now (check, then add):", *new_rows]
    assert not report, "\n".join(report)
