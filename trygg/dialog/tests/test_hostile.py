"""Hostile input on the public endpoint: each gets the right response, nothing unsafe is stored, and every
public and staff page renders stored text inert."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from trygg.accounts.models import AuditEvent
from trygg.dialog.models import Submission

from .conftest import Resident, jpeg_with_gps

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE dialog_submission; -- OR 1=1"
TEMPLATE = "{{ settings.SECRET_KEY }} {% debug %} ${7*7}"


@pytest.mark.parametrize("text", [SCRIPT, SQL, TEMPLATE], ids=["html", "sql", "template"])
def test_markup_sql_and_template_syntax_are_stored_as_text_and_rendered_inert(
    resident, place, text, personas, login, client
):
    assert (
        resident.post(resident.valid(place=str(place.pk), text=text, location_text=text)).status_code == 302
    )
    submission = Submission.objects.get()
    assert submission.text == text  # stored literally: it is text, not code
    from .conftest import submit_direct

    submission.status = "approved"
    submission.save(update_fields=["status"])
    for _ in range(4):
        submit_direct(resident.campaign, place=place)
    pages = [reverse("dialog_public:results", args=[resident.campaign.pk])]
    public = [client.get(url).content.decode() for url in pages]
    login(personas["coordinator"])
    staff_urls = [
        reverse("dialog:submission_detail", args=[submission.pk]),
        reverse("dialog:submission_list", args=[resident.campaign.pk]),
        reverse("dialog:moderation_queue", args=[resident.campaign.pk]),
    ]
    staff = [client.get(url).content.decode() for url in staff_urls]
    from django.conf import settings

    for html in public + staff:
        assert "<script>alert" not in html and "<img src=x" not in html
        assert settings.SECRET_KEY not in html
    detail = staff[0]
    if text == SCRIPT:
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in detail
        assert "&lt;script&gt;" in public[0]  # the published comment
    elif text == TEMPLATE:
        assert "{{ settings.SECRET_KEY }} {% debug %} ${7*7}" in detail  # shown literally, never evaluated
    else:
        assert "&#x27;; DROP TABLE dialog_submission; -- OR 1=1" in detail
        assert Submission.objects.count() == 5  # the table is still there


def test_a_one_megabyte_text_is_refused_with_a_swedish_message(resident, place):
    response = resident.post(resident.valid(place=str(place.pk), text="a" * 1_000_000))
    assert response.status_code == 400
    assert "högst 2000 tecken" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(resident, place, settings):
    settings.DIALOG_MAX_BODY_BYTES = 500_000
    data = resident.valid(place=str(place.pk), text="b" * 600_000)
    response = resident.post(data)
    assert response.status_code == 413
    assert "för stort" in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        ("59.33", "18.06", "utanför området"),  # Stockholm
        ("NaN", "11.98", "inte"),
        ("inf", "11.98", "inte"),
        ("abc", "11.98", "tal"),
        ("57.87", "", "saknar en koordinat"),
        ("1e400", "11.98", "inte"),
    ],
)
def test_bad_coordinates_are_refused(resident, lat, lon, message):
    response = resident.post(resident.valid(lat=lat, lon=lon))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_a_point_outside_a_campaigns_own_area_is_refused(kungalv, place):
    from .conftest import make_campaign

    lat, lon = place.lat, place.lon
    square = {
        "type": "Polygon",
        "coordinates": [
            [
                [lon - 0.01, lat - 0.01],
                [lon + 0.01, lat - 0.01],
                [lon + 0.01, lat + 0.01],
                [lon - 0.01, lat + 0.01],
                [lon - 0.01, lat - 0.01],
            ]
        ],
    }
    small = make_campaign(kungalv, area=square)
    resident = Resident(small)
    assert resident.post(resident.valid(lat=str(lat + 0.05), lon=str(lon))).status_code == 400
    assert resident.post(resident.valid(lat=str(lat), lon=str(lon))).status_code == 302


@pytest.mark.parametrize(
    "field,value",
    [
        ("categories", ["inbrott"]),
        ("time_of_day", "midnatt"),
        ("day_type", "x"),
        ("age_group", "200"),
        ("gender", "<b>"),
        ("place", "999999999999999999999"),
    ],
)
def test_unknown_choices_are_refused(resident, place, field, value):
    data = resident.valid(location_text="Torget")
    data[field] = value
    response = resident.post(data)
    assert response.status_code == 400
    assert "Det finns något att rätta till" in response.content.decode()
    assert not Submission.objects.exists()


def test_personal_data_in_text_is_redacted_before_it_is_stored(resident, place):
    text = (
        "Ring mig på 070-123 45 67 eller mejla kalle.anka@example.se, mitt pnr 19811218-9876, "
        "bilen ABC 123 står där."
    )
    response = resident.post(
        resident.valid(place=str(place.pk), text=text, location_text="Vid porten till 19811218-9876")
    )
    assert response.status_code == 302 and "borttaget=1" in response["Location"]
    submission = Submission.objects.get()
    for secret in ("070-123 45 67", "kalle.anka@example.se", "19811218-9876", "ABC 123"):
        assert secret not in submission.text and secret not in submission.location_text
        assert not AuditEvent.objects.filter(changes__icontains=secret).exists()
    assert set(submission.redacted_kinds.split(",")) >= {
        "personnummer",
        "phone",
        "email",
        "registration_number",
    }
    receipt = resident.client.get(response["Location"]).content.decode()
    assert "Vi tog bort uppgifter" in receipt


def test_bidi_and_nul_characters_are_removed(resident, place):
    resident.post(resident.valid(place=str(place.pk), text="abc\u202edef\u2066ghi"))
    assert Submission.objects.get().text == "abcdefghi"
    data = resident.valid(place=str(place.pk), text="nul\x00here")
    response = resident.post(data)
    assert response.status_code in (302, 400)  # Django's form refuses NUL; either way none is stored
    assert all("\x00" not in s.text for s in Submission.objects.all())  # SQLite LIKE cannot look for NUL


def test_a_jpeg_with_gps_exif_is_stored_without_it(resident, place):
    from PIL import Image

    original = jpeg_with_gps()
    assert b"Hemlig Kameratillverkare" in original
    photo = SimpleUploadedFile("bild.jpg", original, content_type="image/jpeg")
    response = resident.post(resident.valid(place=str(place.pk), photo=photo))
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Submission.objects.get().photo
    data = stored.read()
    assert b"Hemlig Kameratillverkare" not in data and b"Exif" not in data
    import io

    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and not image.getexif()
    assert stored.name.startswith("dialog/") and "bild" not in stored.name


def test_a_non_image_named_jpg_is_refused(resident, place):
    fake = SimpleUploadedFile("bild.jpg", b"<?php system($_GET['c']); ?>" * 10, content_type="image/jpeg")
    response = resident.post(resident.valid(place=str(place.pk), photo=fake))
    assert response.status_code == 400
    assert "inte en bild" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_post_without_csrf_is_refused(campaign, place):
    resident = Resident(campaign)
    data = resident.valid(place=str(place.pk))
    data.pop("csrfmiddlewaretoken")
    resident.client.cookies.clear()
    assert resident.post(data).status_code == 403
    assert not Submission.objects.exists()


def test_a_filled_honeypot_is_refused(resident, place):
    response = resident.post(resident.valid(place=str(place.pk), webbplats="http://spam.example"))
    assert response.status_code == 400
    assert "ska lämnas tomt" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_too_fast_submission_is_refused_and_the_answers_kept(resident, place, settings):
    settings.DIALOG_MIN_FILL_SECONDS = 60
    response = resident.post(resident.valid(place=str(place.pk), text="Mitt svar"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "för snabbt" in html and "Mitt svar" in html
    assert not Submission.objects.exists()


def test_a_forged_or_foreign_token_is_refused(resident, place, kungalv):
    from trygg.dialog.protection import make_token

    from .conftest import make_campaign

    other = make_campaign(kungalv, title="Annan")
    for token in ("forged:token", make_token(other.pk)):
        response = resident.post(resident.valid(place=str(place.pk), formular_id=token))
        assert response.status_code == 400
    assert not Submission.objects.exists()


def test_over_the_rate_limit_the_client_gets_429(resident, place, settings):
    settings.DIALOG_RATE_LIMIT = 3
    codes = [resident.post(resident.valid(place=str(place.pk))).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Submission.objects.count() == 3
    other = Resident(resident.campaign, ip="198.51.100.9")
    assert other.post(other.valid(place=str(place.pk))).status_code == 302


def test_wrong_methods_are_refused(client, campaign):
    url = reverse("dialog_public:submit", args=[campaign.pk])
    assert client.put(url).status_code == 405
    assert client.post(reverse("dialog_public:results", args=[campaign.pk])).status_code == 405
