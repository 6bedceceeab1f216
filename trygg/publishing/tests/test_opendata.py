"""Open data: the DCAT-AP-SE catalogue's required fields, the licence setting, CSV formula neutralising and
the suppression of small dialog counts."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET

import pytest
from django.test import override_settings
from django.urls import reverse

from trygg.plans.models import Activity
from trygg.publishing.opendata import CC0, NS

pytestmark = pytest.mark.django_db
RDF_RESOURCE = f"{{{NS['rdf']}}}resource"


def _catalogue(client):
    response = client.get(reverse("publishing:catalogue"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rdf+xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own output, in a test)


def _text(el, path):
    found = el.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _resource(el, path):
    found = el.find(path, NS)
    return found.get(RDF_RESOURCE, "") if found is not None else ""


def test_catalogue_has_the_required_dcat_ap_se_fields(client, published):
    root = _catalogue(client)
    catalogue = root.find("dcat:Catalog", NS)
    assert catalogue is not None
    for el in [catalogue, *catalogue.findall("dcat:dataset/dcat:Dataset", NS)]:
        assert _text(el, "dcterms:title"), "title"
        assert _text(el, "dcterms:description"), "description"
        assert _text(el, "dcterms:publisher/foaf:Agent/foaf:name"), "publisher"
    assert _resource(catalogue, "dcterms:license") == CC0
    datasets = catalogue.findall("dcat:dataset/dcat:Dataset", NS)
    titles = [_text(d, "dcterms:title") for d in datasets]
    assert any(published.plan.name in t for t in titles)
    for dataset in datasets:
        assert _text(dataset, "dcat:contactPoint/vcard:Organization/vcard:fn")
        distributions = dataset.findall("dcat:distribution/dcat:Distribution", NS)
        assert {_resource(d, "dcterms:format").rsplit("/", 1)[-1] for d in distributions} == {"JSON", "CSV"}
        for dist in distributions:
            access_url = _resource(dist, "dcat:accessURL")
            assert access_url.startswith("http://testserver/oppet/data/")
            assert _resource(dist, "dcterms:license") == CC0
            assert client.get(access_url.removeprefix("http://testserver")).status_code == 200, access_url


@override_settings(TRYGG_OPEN_DATA_LICENSE="https://creativecommons.org/licenses/by/4.0/")
def test_licence_is_configurable(client, published):
    catalogue = _catalogue(client).find("dcat:Catalog", NS)
    assert _resource(catalogue, "dcterms:license") == "https://creativecommons.org/licenses/by/4.0/"
    body = client.get(reverse("publishing:plan_data", args=[published.plan.slug, "json"])).json()
    assert body["licens"] == "https://creativecommons.org/licenses/by/4.0/"


def test_csv_neutralises_formula_cells(client, published):
    activity = published.shown.activity
    Activity.objects.filter(pk=activity.pk).update(title='  =HYPERLINK("http://evil","klick")')
    Activity.objects.exclude(pk=activity.pk).filter(pk=published.hidden.activity_id).update(title="-2+3")
    text = client.get(reverse("publishing:plan_data", args=[published.plan.slug, "csv"])).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    titles = {r["aktivitet_id"]: r["aktivitet"] for r in rows}
    assert titles[str(activity.pk)] == '\'  =HYPERLINK("http://evil","klick")'
    assert titles[str(published.hidden.activity_id)] == "'-2+3"
    assert rows[0]["ar"] == "2023"  # numbers stay numbers


def test_dialog_results_suppress_small_counts(client, municipality):
    from trygg.demo import places as demo_places
    from trygg.dialog.tests.conftest import make_campaign, submit_direct
    from trygg.places.models import Place

    demo_places.load(municipality, acting_user=None)
    campaign = make_campaign(municipality)
    crowded = Place.objects.get(municipality=municipality, name="Komarken")
    for _ in range(5):
        submit_direct(campaign, place=crowded, categories=["belysning"])
    lone = Place.objects.filter(municipality=municipality).exclude(pk=crowded.pk).first()
    submit_direct(campaign, place=lone, categories=["nedskrapning"])
    body = client.get(reverse("publishing:dialog_data", args=[municipality.code, "json"])).json()
    by_type = {}
    for row in body["rader"]:
        by_type.setdefault(row["typ"], []).append(row["antal"])
    assert by_type["h3-cell"] == [5]  # the lone submission's cell is left out
    assert sorted(n for n in by_type["kategori"] if n is not None) == [5]
    assert None in by_type["kategori"]  # the single category count is hidden
