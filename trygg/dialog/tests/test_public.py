"""The resident's path: the form, a submission by place, by point and in words, the receipt, and the public
results (approved only, cells below k suppressed, comments only when the campaign publishes them)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.dialog.models import Submission

from .conftest import make_campaign, submit_direct

pytestmark = pytest.mark.django_db


def test_the_form_offers_the_campaigns_places_and_the_notice(resident, place):
    html = resident.client.get(resident.url).content.decode()
    assert f'<option value="{place.pk}">Komarken</option>' in html
    assert "allmän handling" in html and "Ring 112" in html and "IP-adress" in html
    assert 'name="webbplats"' in html


def test_a_resident_submits_by_choosing_a_place(resident, place):
    response = resident.post(resident.valid(place=str(place.pk)))
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = Submission.objects.get()
    assert submission.place == place and submission.location_kind == "place"
    assert submission.status == "pending" and submission.h3_r8 == place.h3_r8
    assert response["Location"] == reverse(
        "dialog_public:receipt", args=[resident.campaign.pk, submission.receipt]
    )
    receipt = resident.client.get(response["Location"]).content.decode()
    assert submission.receipt in receipt and "Vad händer nu?" in receipt


def test_a_resident_submits_a_point_or_words(resident, place):
    assert resident.post(resident.valid(lat="57,8745", lon=str(place.lon))).status_code == 302
    assert resident.post(resident.valid(location_text="Gångtunneln vid skolan")).status_code == 302
    kinds = sorted(Submission.objects.values_list("location_kind", flat=True))
    assert kinds == ["described", "point"]
    point = Submission.objects.get(location_kind="point")
    assert point.lat == pytest.approx(57.8745) and point.h3_r8 is not None


def test_without_any_location_the_form_says_what_to_do(resident):
    response = resident.post(resident.valid())
    assert response.status_code == 400
    assert "Ange var platsen är" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_closed_campaign_takes_no_submissions(kungalv, place):
    import datetime as dt

    from .conftest import Resident

    closed = make_campaign(kungalv, starts=dt.date(2020, 1, 1), ends=dt.date(2020, 2, 1))
    resident = Resident(closed)
    page = resident.client.get(resident.url).content.decode()
    assert "tar inte emot synpunkter" in page
    response = resident.client.post(resident.url, {"place": place.pk})
    assert response.status_code == 403  # no CSRF token: the form is not even shown
    assert not Submission.objects.exists()


def results(client, campaign) -> str:
    return client.get(reverse("dialog_public:results", args=[campaign.pk])).content.decode()


def test_a_cell_with_four_approved_submissions_is_not_shown(client, campaign, place):
    for _ in range(4):
        submit_direct(campaign, place=place)
    submit_direct(campaign, place=place, status="pending")
    submit_direct(campaign, place=place, status="rejected")
    from trygg.lib.geo import cell_to_h3

    html = results(client, campaign)
    assert cell_to_h3(place.h3_r8) not in html
    assert "4 synpunkter ligger i sådana områden" in html


def test_a_cell_with_five_approved_submissions_is_shown(client, campaign, place):
    for _ in range(5):
        submit_direct(campaign, place=place)
    from trygg.lib.geo import cell_to_h3

    html = results(client, campaign)
    assert f'<td>{cell_to_h3(place.h3_r8)}</td><td class="num">5</td>' in html


def test_the_threshold_is_a_setting(client, campaign, place, settings):
    settings.DIALOG_SUPPRESS_BELOW = 3
    for _ in range(3):
        submit_direct(campaign, place=place)
    from trygg.lib.geo import cell_to_h3

    assert cell_to_h3(place.h3_r8) in results(client, campaign)


def test_approved_comments_are_shown_only_when_the_campaign_publishes_them(client, kungalv, place):
    published = make_campaign(kungalv, publish_comments=True)
    private = make_campaign(kungalv, title="Intern", publish_comments=False)
    submit_direct(published, place=place, text="Lampan är trasig.")
    submit_direct(published, place=place, text="Väntar.", status="pending")
    submit_direct(private, place=place, text="Syns inte.")
    html = results(client, published)
    assert "Lampan är trasig." in html and "Väntar." not in html
    assert "Syns inte." not in results(client, private)


def test_the_public_pages_need_no_login(client, campaign):
    for url in (
        reverse("dialog_public:index"),
        reverse("dialog_public:submit", args=[campaign.pk]),
        reverse("dialog_public:results", args=[campaign.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "sessionid" not in response.cookies
