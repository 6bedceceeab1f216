"""Open data: the published plans with their statuses, the public statistics and the dialog results, as rows
for JSON and CSV files at stable URLs, and the DCAT-AP-SE catalogue describing them for dataportal.se.

What a file may hold is decided by :mod:`trygg.publishing.access` (published plans, follow-ups and comments
only) and by the suppression rules of the statistics and the dialog (counts below the threshold are empty).
Nothing here reads a single incident of the lägesbild.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Q

from trygg.dialog.models import Campaign
from trygg.dialog.queries import public_results
from trygg.indicators import suppression
from trygg.indicators.models import Indicator, Observation, Region
from trygg.lib.csv_safety import safe_cell
from trygg.places.models import Municipality
from trygg.plans.models import ActivityStatus, Plan
from trygg.plans.status_rules import LABELS, Status
from trygg.plans.tree import load_plan_tree

from . import access

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
LANGUAGE_SV = "http://publications.europa.eu/resource/authority/language/SWE"


def licence() -> str:
    """The licence of every dataset: CC0 unless the installation sets TRYGG_OPEN_DATA_LICENSE (a URI)."""
    return getattr(settings, "TRYGG_OPEN_DATA_LICENSE", "") or CC0


def status_text(status: str) -> str:
    return LABELS[Status(status)] if status else "Ej rapporterad"


# --- datasets as rows ----------------------------------------------------------------------------------

PLAN_COLUMNS = [
    "kommunkod",
    "kommun",
    "plan",
    "ar",
    "delomrade",
    "delomrade_rubrik",
    "insats",
    "aktivitet_id",
    "aktivitet",
    "politiskt_uppdrag",
    "planerad_start",
    "planerat_slut",
    "status",
    "status_text",
    "kommentar",
]


def plan_rows(plan: Plan, reader: access.Reader = access.PUBLIC) -> list[dict]:
    """One row per activity and visible follow-up year (all years the reader may see), report order."""
    rows = []
    for follow_up in access.follow_ups(reader, plan):
        tree = load_plan_tree(plan, follow_up)
        shown = _comment_ids(reader, plan, follow_up)
        for node in tree.activities:
            activity = node.activity
            rows.append(
                {
                    "kommunkod": plan.municipality.code,
                    "kommun": plan.owner_name,
                    "plan": plan.name,
                    "ar": follow_up.year,
                    "delomrade": activity.intervention.area.number,
                    "delomrade_rubrik": activity.intervention.area.title,
                    "insats": activity.intervention.name,
                    "aktivitet_id": activity.pk,
                    "aktivitet": activity.title,
                    "politiskt_uppdrag": activity.political_assignment,
                    "planerad_start": activity.planned_start.isoformat() if activity.planned_start else None,
                    "planerat_slut": activity.planned_end.isoformat() if activity.planned_end else None,
                    "status": node.status or None,
                    "status_text": status_text(node.status),
                    "kommentar": node.comment if activity.pk in shown else "",
                }
            )
    return rows


def _comment_ids(reader, plan, follow_up) -> set[int] | frozenset:
    """Ids of the activities whose comment of this follow-up the reader may see."""
    qs = ActivityStatus.objects.filter(follow_up=follow_up)
    if not reader.owns(plan.municipality_id):
        qs = qs.filter(comment_published=True)
    return set(qs.values_list("activity_id", flat=True))


STATISTICS_COLUMNS = [
    "indikator",
    "titel",
    "enhet",
    "kalla",
    "region",
    "period",
    "uppdelning",
    "varde",
    "status",
]


def public_indicators(municipality: Municipality):
    """Statistics the municipality may publish: the national catalogue (already published by Brå, Kolada,
    SCB) and its own local figures that need no protection (``Indicator.needs_protection`` false)."""
    local_open = Q(municipality=municipality) & (
        Q(sensitive=False) | Q(sensitive__isnull=True, is_local=False)
    )
    return Indicator.objects.filter(Q(municipality__isnull=True) | local_open)


def statistics_rows(municipality: Municipality) -> list[dict]:
    """Every public observation for the municipality's region; counts below the threshold of a local
    indicator are left empty (status "suppressed")."""
    region = Region.objects.filter(code=municipality.code).first()
    if region is None:
        return []
    k = suppression.threshold()
    observations = (
        Observation.objects.filter(region=region, indicator__in=public_indicators(municipality))
        .select_related("indicator")
        .order_by("indicator__code", "period_start", "period", "breakdown")
    )
    rows = []
    for o in observations:
        value, status = o.value, o.status
        if o.indicator.is_local and o.indicator.is_count and suppression.is_suppressed(value, k):
            value, status = None, Observation.Status.SUPPRESSED
        rows.append(
            {
                "indikator": o.indicator.code,
                "titel": o.indicator.title,
                "enhet": o.indicator.get_unit_display(),
                "kalla": o.indicator.source,
                "region": region.code,
                "period": o.period,
                "uppdelning": o.breakdown,
                "varde": value,
                "status": status,
            }
        )
    return rows


DIALOG_COLUMNS = ["kampanj_id", "kampanj", "oppnar", "stanger", "typ", "nyckel", "antal"]


def dialog_rows(municipality: Municipality) -> list[dict]:
    """Per campaign: approved submissions per category and per H3 cell (resolution 8), the suppression rules
    of the public results page applied (cells below k left out, categories below k empty). No comments, no
    positions, no times."""
    rows = []
    for campaign in Campaign.objects.filter(municipality=municipality).order_by("starts", "pk"):
        results = public_results(campaign)
        base = {
            "kampanj_id": campaign.pk,
            "kampanj": campaign.title,
            "oppnar": campaign.starts.isoformat(),
            "stanger": campaign.ends.isoformat(),
        }
        for label, n in results["categories"]:
            rows.append({**base, "typ": "kategori", "nyckel": label, "antal": n})
        for cell, n in results["cell_rows"]:
            rows.append({**base, "typ": "h3-cell", "nyckel": cell, "antal": n})
    return rows


# --- serialisation --------------------------------------------------------------------------------------


def to_csv(rows: Iterable[dict], columns: list[str]) -> str:
    """CSV (comma, UTF-8); text that a spreadsheet would run as a formula is neutralised (safe_cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row.get(c)) for c in columns])
    return out.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return safe_cell(value)


def to_json(meta: dict, rows: list[dict]) -> str:
    return json.dumps({**meta, "licens": licence(), "rader": rows}, ensure_ascii=False, indent=1)


# --- the catalogue --------------------------------------------------------------------------------------


@dataclass
class Dataset:
    key: str  # stable, part of the dataset's URI
    title: str
    description: str
    municipality: Municipality
    urls: dict[str, str]  # format ("json", "csv") -> path
    landing_page: str = ""
    theme: str = "JUST"  # EU data theme: Justice, legal system and public safety


def datasets(path_for: Callable[..., str]) -> list[Dataset]:
    """Every dataset the installation publishes. ``path_for(name, **kwargs)`` reverses a publishing URL."""
    found: list[Dataset] = []
    for plan in Plan.objects.filter(published=True).select_related("municipality").order_by("pk"):
        found.append(
            Dataset(
                key=f"plan-{plan.slug}",
                title=f"{plan.name}: aktiviteter och status",
                description=(
                    f"{plan.owner_name}s plan {plan.name} ({plan.period_start}–{plan.period_end}): delområden, "
                    "insatser och aktiviteter med status per uppföljningsår och publicerade kommentarer."
                ),
                municipality=plan.municipality,
                urls={fmt: path_for("plan_data", slug=plan.slug, fmt=fmt) for fmt in ("json", "csv")},
                landing_page=path_for("plan", slug=plan.slug),
            )
        )
    hosted = Municipality.objects.order_by("code")
    with_campaigns = set(Campaign.objects.values_list("municipality_id", flat=True))
    for m in hosted:
        found.append(
            Dataset(
                key=f"statistik-{m.code}",
                title=f"Statistik om brott och trygghet, {m.full_name}",
                description=(
                    f"Nyckeltal om brott och trygghet för {m.full_name} (Brå, Kolada, SCB och kommunens egna "
                    "nyckeltal som får publiceras). Små antal i kommunens egna nyckeltal redovisas inte."
                ),
                municipality=m,
                urls={fmt: path_for("statistics_data", code=m.code, fmt=fmt) for fmt in ("json", "csv")},
                theme="GOVE",
            )
        )
        if m.pk in with_campaigns:
            found.append(
                Dataset(
                    key=f"dialog-{m.code}",
                    title=f"Digital trygghetsvandring, resultat, {m.full_name}",
                    description=(
                        "Invånarnas markeringar av otrygga platser, räknade per kategori och per område "
                        "(H3-cell). Antal under gränsen för röjande redovisas inte."
                    ),
                    municipality=m,
                    urls={fmt: path_for("dialog_data", code=m.code, fmt=fmt) for fmt in ("json", "csv")},
                )
            )
    return found


NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
FORMATS = {
    "json": ("JSON", "application/json"),
    "csv": ("CSV", "text/csv"),
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def catalogue_rdf(items: list[Dataset], *, absolute: Callable[[str], str], catalogue_url: str) -> bytes:
    """The DCAT-AP-SE catalogue as RDF/XML: catalogue, datasets, distributions, publishers (foaf:Agent)
    and contact points (vcard:Organization), with the mandatory and recommended properties."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(_q("rdf:RDF"))

    def sub(parent, name, text=None, *, resource=None, lang=None, datatype=None):
        el = ET.SubElement(parent, _q(name))
        if resource is not None:
            el.set(_q("rdf:resource"), resource)
        if text is not None:
            el.text = text
        if lang:
            el.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
        if datatype:
            el.set(_q("rdf:datatype"), datatype)
        return el

    def agent(parent, municipality: Municipality):
        holder = sub(parent, "dcterms:publisher")
        a = sub(holder, "foaf:Agent")
        a.set(_q("rdf:about"), absolute(f"/oppet/#kommun-{municipality.code}"))
        sub(a, "foaf:name", municipality.full_name, lang="sv")
        sub(a, "dcterms:type", resource="http://purl.org/adms/publishertype/LocalAuthority")

    def contact(parent, municipality: Municipality):
        holder = sub(parent, "dcat:contactPoint")
        c = sub(holder, "vcard:Organization")
        sub(c, "vcard:fn", municipality.full_name, lang="sv")
        email = getattr(settings, "TRYGG_OPEN_DATA_CONTACT_EMAIL", "")
        if email:
            sub(c, "vcard:hasEmail", resource=f"mailto:{email}")
        sub(c, "vcard:hasURL", resource=absolute("/oppet/"))

    catalogue = sub(root, "dcat:Catalog")
    catalogue.set(_q("rdf:about"), catalogue_url)
    sub(
        catalogue,
        "dcterms:title",
        getattr(settings, "TRYGG_OPEN_DATA_TITLE", "") or "Trygg: öppna data",
        lang="sv",
    )
    sub(
        catalogue,
        "dcterms:description",
        "Öppna data om kommunernas brottsförebyggande arbete och trygghet: publicerade planer med status, "
        "statistik och resultat av digital dialog.",
        lang="sv",
    )
    # The catalogue's publisher is a municipality that publishes in it (the one, or the one with the most
    # datasets), never the installation's default municipality, which may publish nothing here.
    counts = Counter(item.municipality.code for item in items)
    if counts:
        code = min(counts, key=lambda c: (-counts[c], c))
        agent(catalogue, next(item.municipality for item in items if item.municipality.code == code))
    sub(catalogue, "dcterms:license", resource=licence())
    sub(catalogue, "dcterms:language", resource=LANGUAGE_SV)
    sub(catalogue, "foaf:homepage", resource=absolute("/oppet/"))

    for item in items:
        holder = sub(catalogue, "dcat:dataset")
        ds = sub(holder, "dcat:Dataset")
        ds.set(_q("rdf:about"), absolute(f"/oppet/data/#{item.key}"))
        sub(ds, "dcterms:identifier", absolute(f"/oppet/data/#{item.key}"))
        sub(ds, "dcterms:title", item.title, lang="sv")
        sub(ds, "dcterms:description", item.description, lang="sv")
        agent(ds, item.municipality)
        contact(ds, item.municipality)
        sub(ds, "dcat:theme", resource=THEME + item.theme)
        sub(ds, "dcterms:language", resource=LANGUAGE_SV)
        sub(ds, "dcat:keyword", "trygghet", lang="sv")
        sub(ds, "dcat:keyword", "brottsförebyggande", lang="sv")
        if item.landing_page:
            sub(ds, "dcat:landingPage", resource=absolute(item.landing_page))
        for fmt, path in item.urls.items():
            name, media = FORMATS[fmt]
            dholder = sub(ds, "dcat:distribution")
            dist = sub(dholder, "dcat:Distribution")
            dist.set(_q("rdf:about"), absolute(path))
            sub(dist, "dcterms:title", f"{item.title} ({name})", lang="sv")
            sub(dist, "dcat:accessURL", resource=absolute(path))
            sub(dist, "dcat:downloadURL", resource=absolute(path))
            sub(dist, "dcterms:format", resource=FILE_TYPE + name)
            sub(dist, "dcat:mediaType", resource=MEDIA_TYPE + media)
            sub(dist, "dcterms:license", resource=licence())
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
