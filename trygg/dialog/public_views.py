"""The public, anonymous pages of the digital dialog: no login, no session, no tracking.

The submit view checks, in this order and before Django reads the body: the body size (413), the rate limit
per client kept as a salted daily hash in the shared cache (429), then CSRF (403), the honeypot (400), the
signed minimum fill time (400, the form shown again), and the form itself (400 with Swedish messages). Only
then is anything stored, through actions.do_submit. No IP address or user agent is read except to form the
rate-limit hash, and none is stored or logged (see logging.py and docs/dialog.md).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from . import protection, queries
from .actions import DialogError, SubmissionInput, do_submit
from .forms import PublicSubmissionForm
from .models import Campaign, Submission
from .photos import PhotoError
from .snapshot import campaign as cached_campaign
from .snapshot import for_campaign
from .snapshot import version_key as snapshot_version_key


def _campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("municipality"), pk=pk)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    campaigns = Campaign.objects.open_on(today).select_related("municipality").order_by("ends")
    return render(request, "dialog/public/index.html", {"campaigns": campaigns})


def _render_form(request, campaign, form, status=200, problem=""):
    places = list(form.places.values())  # the snapshot's list, in name order
    return render(
        request,
        "dialog/public/form.html",
        {
            "campaign": campaign,
            "form": form,
            "token": protection.make_token(campaign.pk),
            "places": places,
            "problem": problem,
            "area": campaign.area_geometry(),
            "tile_url": _tile_url(),
            "is_open": campaign.is_open(),
        },
        status=status,
    )


def _tile_url() -> str:
    from django.conf import settings

    return getattr(settings, "TRYGG_TILE_URL", "")


def _refusal(request, status: int, heading: str, text: str, campaign=None) -> HttpResponse:
    response = render(
        request,
        "dialog/public/refused.html",
        {"heading": heading, "text": text, "campaign": campaign},
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(int(protection.setting("DIALOG_RATE_WINDOW", 600)))
    return response


@csrf_exempt  # CSRF is checked below, after the size and rate checks, so that a huge body is never read
@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        if protection.body_too_large(request):
            return _refusal(
                request,
                413,
                "För mycket data",
                "Det du skickade var för stort. Bilden får vara högst 8 MB.",
                _campaign(pk),
            )
        # One round trip counts the client and reads the campaign's version, so that the campaign row is
        # taken from this process's copy while it is current (snapshot.campaign), not SELECTed each time.
        over, version = protection.count_and_read(request, read=snapshot_version_key(pk))
        campaign = cached_campaign(pk, version)
        if over:
            return _refusal(
                request,
                429,
                "För många synpunkter på kort tid",
                "Vänta en stund och försök sedan igen. Vid akuta ärenden, ring 112.",
                campaign,
            )
    else:
        campaign = _campaign(pk)
    return _submit_checked(request, campaign)


@csrf_protect
def _submit_checked(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    snapshot = for_campaign(campaign)
    if request.method == "GET":
        return _render_form(request, campaign, PublicSubmissionForm(campaign=campaign, snapshot=snapshot))
    if not campaign.is_open():
        return _refusal(
            request, 400, "Frågan är stängd", "Frågan tar inte emot synpunkter just nu.", campaign
        )
    if request.POST.get(protection.HONEYPOT_FIELD):
        return _refusal(
            request,
            400,
            "Synpunkten kunde inte tas emot",
            "Ett fält som ska lämnas tomt var ifyllt. Ladda om sidan och försök igen.",
            campaign,
        )
    form = PublicSubmissionForm(request.POST, request.FILES, campaign=campaign, snapshot=snapshot)
    try:
        protection.check_token(request.POST.get(protection.TOKEN_FIELD, ""), campaign.pk)
    except protection.TokenProblem as exc:
        form.is_valid()  # keep the resident's answers and show any other errors too
        return _render_form(request, campaign, form, status=400, problem=str(exc))
    if not form.is_valid():
        return _render_form(request, campaign, form, status=400)
    data = form.cleaned_data
    photo = data.get("photo")
    try:
        submission, explanation = do_submit(
            campaign,
            SubmissionInput(
                categories=data["categories"],
                time_of_day=data["time_of_day"],
                day_type=data["day_type"],
                lat=data.get("lat"),
                lon=data.get("lon"),
                place=form.places.get(data["place"]) if data.get("place") is not None else None,
                location_text=data.get("location_text", ""),
                text=data.get("text", ""),
                age_group=data.get("age_group", ""),
                gender=data.get("gender", ""),
                photo=photo.read() if photo else None,
            ),
            boundary=snapshot.boundary,
        )
    except (DialogError, PhotoError) as exc:
        form.add_error("photo" if isinstance(exc, PhotoError) else None, str(exc))
        return _render_form(request, campaign, form, status=400)
    url = f"{_receipt_url(campaign, submission)}{'?borttaget=1' if explanation else ''}"
    return redirect(url)


def _receipt_url(campaign: Campaign, submission: Submission) -> str:
    from django.urls import reverse

    return reverse("dialog_public:receipt", args=[campaign.pk, submission.receipt])


@require_GET
def receipt(request: HttpRequest, pk: int, receipt: str) -> HttpResponse:
    campaign = _campaign(pk)
    submission = get_object_or_404(
        Submission.objects.only("receipt", "status", "submitted_on", "campaign_id"),
        campaign=campaign,
        receipt=receipt.upper(),
    )
    return render(
        request,
        "dialog/public/receipt.html",
        {"campaign": campaign, "submission": submission, "redacted": request.GET.get("borttaget") == "1"},
    )


@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(pk)
    return render(
        request,
        "dialog/public/results.html",
        {
            "campaign": campaign,
            "area": campaign.area_geometry(),
            "tile_url": _tile_url(),
            **queries.public_results(campaign),
        },
    )
