"""TRYGG_MUNICIPALITY_CODE is only the default municipality of a fresh single-municipality installation: the
session's first choice, the municipality `load_municipality` loads without --code, and the owner that
migrations give to data from before there were several. No view, report, statistic or export reads it to
decide whose data to show or whose name to print."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

from django.urls import reverse

from trygg.plans.actions import do_set_plan_published
from trygg.plans.tests.builders import build_plan
from trygg.publishing.opendata import NS

TRYGG = Path(__file__).resolve().parents[1]
# Where reading the setting is its one meaning (relative to trygg/).
ALLOWED = {
    "settings.py": "defines it",
    "accounts/tenancy.py": "the default of current_municipality (the session's first choice)",
    "places/management/commands/load_municipality.py": "the municipality loaded without --code",
}


def test_only_the_default_of_a_fresh_installation_reads_the_setting():
    readers = sorted(
        str(path.relative_to(TRYGG))
        for path in TRYGG.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "conftest.py"
        and re.search(
            r"settings\s*\.\s*TRYGG_MUNICIPALITY_CODE|[\"']TRYGG_MUNICIPALITY_CODE[\"']", path.read_text()
        )
    )
    assert set(readers) <= set(ALLOWED), f"modules that read TRYGG_MUNICIPALITY_CODE: {readers}"
    assert "accounts/tenancy.py" in readers, "the search itself finds the setting where it is read"


def test_the_open_data_catalogue_is_published_by_a_municipality_that_publishes_in_it(
    client, municipality, other_municipality, settings
):
    # Kungälv is the default and publishes only its statistics; Ale publishes those and a plan.
    settings.TRYGG_MUNICIPALITY_CODE = municipality.code
    plan, _ = build_plan(slug="trygg-i-ale", areas=1, activities=1, municipality=other_municipality)
    do_set_plan_published(plan, True, acting_user=None)
    root = ET.fromstring(client.get(reverse("publishing:catalogue")).content)  # noqa: S314 (our own output)
    catalogue = root.find("dcat:Catalog", NS)
    publisher = catalogue.find("dcterms:publisher/foaf:Agent/foaf:name", NS).text
    assert publisher == other_municipality.full_name == "Ale kommun"
