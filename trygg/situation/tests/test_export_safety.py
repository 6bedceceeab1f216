"""The lägesbild CSV export neutralises formula-looking text in every column (description, category, place)."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from trygg.situation.models import Category

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
