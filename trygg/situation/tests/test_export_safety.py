"""The lägesbild CSV export neutralises formula-looking text in every column (description, category, place)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from trygg.situation.models import Category
from trygg.situation.polisen import police_link

HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", " =1+1"]


def test_formula_cells_are_neutralised_in_the_csv(client, personas, make_incident):
    category = Category.objects.create(name='=HYPERLINK("https://evil.example")', slug="ond")
    for text in HOSTILE:
        make_incident(category.slug, place="Komarken", description=text)
    client.force_login(personas["coordinator"])
    response = client.get(reverse("situation:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert len(data) == len(HOSTILE)
    described = sorted(row[header.index("beskrivning")] for row in data)
    assert described == sorted("'" + text for text in HOSTILE)
    assert {row[header.index("kategori")] for row in data} == {"'" + category.name}
    # coordinates stay numbers: never prefixed
    assert all(not row[header.index("latitud")].startswith("'") for row in data)


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "/aktuellt/handelser/2023/december/31/x/",
            "https://polisen.se/aktuellt/handelser/2023/december/31/x/",
        ),
        ("https://polisen.se/aktuellt/handelser/1", "https://polisen.se/aktuellt/handelser/1"),
        ("https://www.polisen.se/a", "https://www.polisen.se/a"),
        ("http://polisen.se/a", ""),
        ("javascript:alert(1)", ""),
        ("//evil.example/a", ""),
        ("https://polisen.se.evil.example/a", ""),
        ("https://user@polisen.se/a", ""),
        ("https://polisen.se:8443/a", ""),
    ],
)
def test_the_police_link_is_only_ever_a_page_on_polisen_se(url, expected):
    assert police_link(url) == expected


def test_a_stored_link_elsewhere_is_not_rendered(client, personas, make_incident):
    incident = make_incident("ungdomshang", place="Komarken", external_url="javascript:alert(1)")
    client.force_login(personas["coordinator"])
    page = client.get(reverse("situation:incident_detail", args=[incident.pk])).content.decode()
    assert "javascript:alert" not in page and "polisens händelse" not in page
    incident.external_url = "https://polisen.se/aktuellt/handelser/1"
    incident.save()
    page = client.get(reverse("situation:incident_detail", args=[incident.pk])).content.decode()
    assert 'href="https://polisen.se/aktuellt/handelser/1"' in page
