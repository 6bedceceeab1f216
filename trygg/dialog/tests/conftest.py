"""Fixtures of the dialog tests: Kungälv with its demo places, an open campaign, and a resident's client
that fetches the form (CSRF cookie, signed timestamp) before posting, as a browser does."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trygg.demo import places as demo_places
from trygg.dialog.actions import SubmissionInput, do_moderate, do_save_campaign, do_submit
from trygg.dialog.models import DEFAULT_CATEGORIES, Campaign, Submission
from trygg.places.models import Place

RESIDENT_IP = "203.0.113.77"
RESIDENT_UA = "Mozilla/5.0 (Testbrowser; unik-ua-markör-4711)"


@pytest.fixture(autouse=True)
def _fast_form(settings):
    settings.DIALOG_MIN_FILL_SECONDS = 0
    settings.DIALOG_RATE_LIMIT = 1000
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    from trygg.dialog import snapshot

    cache.clear()
    snapshot.clear()  # the per-process campaign copies: another test may reuse the id


@pytest.fixture
def kungalv(municipality):
    demo_places.load(municipality, acting_user=None)
    return municipality


def make_campaign(municipality, **extra) -> Campaign:
    today = timezone.localdate()
    values = {
        "title": "Var känner du dig otrygg?",
        "question": "Markera platser där du känner dig otrygg.",
        "starts": today - dt.timedelta(days=7),
        "ends": today + dt.timedelta(days=21),
        "categories": list(DEFAULT_CATEGORIES),
        "publish_comments": True,
        **extra,
    }
    return do_save_campaign(Campaign(municipality=municipality, **values), acting_user=None)[0]


@pytest.fixture
def campaign(kungalv):
    return make_campaign(kungalv)


@pytest.fixture
def place(kungalv) -> Place:
    return Place.objects.get(municipality=kungalv, name="Komarken")


def submit_direct(
    campaign, *, place=None, lat=None, lon=None, status="approved", text="", **extra
) -> Submission:
    data = SubmissionInput(
        categories=extra.pop("categories", ["belysning"]),
        time_of_day=extra.pop("time_of_day", "kvall"),
        day_type=extra.pop("day_type", "vardag"),
        place=place,
        lat=lat,
        lon=lon,
        text=text,
        location_text=extra.pop("location_text", ""),
        **extra,
    )
    submission, _ = do_submit(campaign, data)
    if status != "pending":
        submission = do_moderate(submission, status, acting_user=None)
    return submission


class Resident:
    """A browser without an account: GETs the form (CSRF cookie + signed timestamp), then POSTs."""

    def __init__(self, campaign, ip=RESIDENT_IP, ua=RESIDENT_UA):
        self.campaign = campaign
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)
        self.url = reverse("dialog_public:submit", args=[campaign.pk])

    def form_fields(self) -> dict:
        page = self.client.get(self.url)
        assert page.status_code == 200
        html = page.content.decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        token = re.search(r'name="formular_id" value="([^"]+)"', html).group(1)
        return {"csrfmiddlewaretoken": csrf, "formular_id": token}

    def valid(self, **overrides) -> dict:
        data = {
            **self.form_fields(),
            "place": "",
            "location_text": "",
            "lat": "",
            "lon": "",
            "categories": ["belysning", "vaxtlighet"],
            "time_of_day": "kvall",
            "day_type": "vardag",
            "text": "Mörkt och buskigt vid gångvägen.",
            "age_group": "",
            "gender": "",
            "webbplats": "",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def post(self, data, **extra):
        return self.client.post(self.url, data, **extra)


@pytest.fixture
def resident(campaign):
    return Resident(campaign)


def jpeg_with_gps() -> bytes:
    """A small JPEG carrying EXIF with a GPS position and a camera model."""
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Hemlig Kameratillverkare"  # Make
    exif[0x0110] = "Modell X"  # Model
    gps = {1: "N", 2: (57.0, 52.0, 10.0), 3: "E", 4: (11.0, 58.0, 30.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()
