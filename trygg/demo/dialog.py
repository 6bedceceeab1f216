"""Demo digital dialog for Kungälv: one open campaign with made-up submissions at the demo places (most
approved, some waiting for moderation). Written through trygg.dialog.actions; idempotent by title."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from trygg.dialog.actions import SubmissionInput, do_moderate, do_save_campaign, do_submit
from trygg.dialog.models import DEFAULT_CATEGORIES, Campaign
from trygg.places.models import Municipality, Place

TITLE = "Digital trygghetsvandring: centrala Kungälv"
TEXTS = [
    "",
    "",
    "Mörkt på gångvägen efter klockan sex.",
    "Buskarna skymmer sikten vid tunneln.",
    "Mycket klotter och krossat glas.",
    "Bilar kör fort förbi övergångsstället.",
    "Ingen rör sig här på kvällen.",
]


def load(municipality: Municipality, *, acting_user) -> str:
    if municipality.code != "1482":
        return ""
    if Campaign.objects.filter(municipality=municipality, title=TITLE).exists():
        return "dialogkampanjen finns redan"
    places = list(Place.objects.filter(municipality=municipality, active=True).order_by("name")[:8])
    if not places:
        return ""
    today = timezone.localdate()
    campaign = do_save_campaign(
        Campaign(
            municipality=municipality,
            title=TITLE,
            question="Var i centrala Kungälv känner du dig otrygg, och varför?",
            starts=today - dt.timedelta(days=14),
            ends=today + dt.timedelta(days=30),
            categories=list(DEFAULT_CATEGORIES),
            publish_comments=True,
        ),
        acting_user=acting_user,
    )[0]
    rng = random.Random(1482)  # noqa: S311 - made-up demo data
    for i in range(60):
        place = places[min(int(rng.expovariate(0.5)), len(places) - 1)]
        data = SubmissionInput(
            categories=rng.sample(campaign.categories[:6], k=rng.choice([1, 1, 2])),
            time_of_day=rng.choice(["kvall", "kvall", "natt", "dag"]),
            day_type=rng.choice(["vardag", "helg", "bada"]),
            place=place,
            text=rng.choice(TEXTS),
            age_group=rng.choice(["", "16-24", "25-44", "45-64", "65+"]),
            gender=rng.choice(["", "kvinna", "man"]),
        )
        submission, _ = do_submit(campaign, data)
        if i % 6:
            do_moderate(submission, "approved", acting_user=acting_user)
    return "1 dialogkampanj med 60 påhittade synpunkter"
