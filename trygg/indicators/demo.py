"""Demo statistics: regions, the Kolada catalogue, Kungälv's local figures and clearly marked demo series.

The figures live in data/demo_indicators.yaml (see its header for what is real and what is synthetic).
Codes the report's section 3 charts use are exported as constants here.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from django.db import transaction

from . import actions, importers
from .importers.common import IndicatorSpec, ParsedImport, guess_higher_is_better, parse_period
from .regions import DATA_DIR

DEMO_SOURCE = "Demodata (ej officiell statistik)"
DEMO_PLAN_SLUG = "trygg-i-kungalv"
# Heads the drafted block in the demo follow-up's section 3; also how a second call recognises it.
DRAFT_HEADING = "**Statistiken i korthet**"
DRAFT_HEADING_LINE = (
    f"{DRAFT_HEADING} (utkast framtaget av Trygg ur statistiken; samordnaren granskar och redigerar)"
)
CRIMES_PER_100K = "DEMO.anmalda_brott_per_100k"
CRIMES_BY_CATEGORY = "DEMO.anmalda_brott_kategori"
NTU_UNSAFE_EVENING = "DEMO.ntu_otrygghet_kvall"
OPEN_COMPARISONS_RANK = "DEMO.oppna_jamforelser_rang"
POPULATION = "DEMO.folkmangd"  # yearly, Kungälv and riket: turns the demo rates back into counts
POPULATION_MONTHLY = "TAB6471.000007SF"  # SCB's real file, imported as is


@dataclass(slots=True)
class DemoResult:
    regions: int
    catalogue: int
    observations: int
    population_observations: int


def demo_parsed(path=None) -> ParsedImport:
    """The YAML demo figures as a ParsedImport (no database)."""
    with (path or DATA_DIR / "demo_indicators.yaml").open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    parsed = ParsedImport(source_label="Demodata", update_indicators=True)
    for group, source in (("local", spec["local_source"]), ("demo", spec["demo_source"])):
        for entry in spec[group]:
            breakdowns = dict(entry.get("breakdowns") or {})
            if entry.get("series"):
                breakdowns[""] = entry["series"]
            parsed.indicators.append(
                IndicatorSpec(
                    code=entry["code"],
                    title=entry["title"],
                    unit=entry.get("unit", "antal"),
                    source=entry.get("source", source),
                    description=entry.get("description", ""),
                    higher_is_better=entry.get("higher_is_better", guess_higher_is_better(entry["title"])),
                    breakdowns=sorted({key.split("=", 1)[0] for key in breakdowns if key}),
                    is_local=group == "local",
                )
            )
            margins = entry.get("margins") or {}
            for breakdown, by_region in breakdowns.items():
                for region, by_year in by_region.items():
                    for raw_year, value in by_year.items():
                        period = parse_period(str(raw_year).replace("p", " prel."))
                        parsed.rows.append(
                            (
                                entry["code"],
                                str(region),
                                period.label,
                                period.start,
                                period.end,
                                breakdown,
                                float(value),
                                "ok",
                                period.preliminary,
                                margins.get(str(region)) if not breakdown else None,
                                None,
                                None,
                            )
                        )
    return parsed


@transaction.atomic
def load_demo_indicators(*, acting_user=None, with_population: bool = True) -> DemoResult:
    """Seed regions and the Kolada catalogue, then the demo and local figures, then SCB's population file."""
    region_count = actions.do_seed_regions(acting_user=acting_user)
    catalogue = actions.do_seed_kolada_catalogue(acting_user=acting_user)
    demo = actions.do_import_observations(demo_parsed(), acting_user=acting_user)
    population = 0
    if with_population:
        data = (DATA_DIR / "scb_TAB6471_population.jsonstat2.json").read_bytes()
        population = actions.do_import_observations(
            importers.parse_jsonstat(data), acting_user=acting_user
        ).rows
    return DemoResult(region_count, catalogue.indicators_created, demo.rows, population)


def add_statistics_draft_to_demo(year: int = 2023, *, acting_user=None) -> bool:
    """Append the drafted "Statistiken i korthet" to the demo follow-up's section 3; True if it was added.

    The demo plan's section 3 is the reference report's hand-written text; the draft from the statistics
    (report_section.draft_for) follows it under a bold heading line, so the demo report shows both. Nothing
    is added when the demo plan or the statistics are missing, or when the heading is already there (a
    second call changes nothing). Written through the plans app's own action, which audits it.
    """
    from trygg.plans.actions import do_update_follow_up
    from trygg.plans.models import FollowUp

    from .report_section import draft_for

    follow_up = FollowUp.objects.select_related("plan").filter(plan__slug=DEMO_PLAN_SLUG, year=year).first()
    if follow_up is None or DRAFT_HEADING in follow_up.current_analysis:
        return False
    draft = draft_for(follow_up).strip()
    if not draft:
        return False
    text = follow_up.current_analysis.rstrip()
    new_text = "\n\n".join(part for part in (text, DRAFT_HEADING_LINE, draft) if part) + "\n"
    do_update_follow_up(follow_up, {"current_analysis": new_text}, acting_user=acting_user)
    return True
