"""Demo statistics: regions, the Kolada catalogue, SCB's population file, the clearly marked demo series for
Kungälv's report section 3, and each demo municipality's own local figures (Kungälv's from the reference
report; a few made-up ones for Ale, marked as such). Everything is written through the indicators app's
actions (the importers' one write path, one audit row per import); nothing in production imports this module.

The figures live in data/indicators/demo_indicators.yaml (its header says what is real and what is made up).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from trygg.indicators import actions, importers
from trygg.indicators.importers.common import (
    IndicatorSpec,
    ParsedImport,
    guess_higher_is_better,
    parse_period,
)
from trygg.indicators.regions import DATA_DIR as INDICATORS_DATA_DIR
from trygg.indicators.report_section import DEMO_SOURCE, draft_for

DATA_FILE = Path(__file__).resolve().parent / "data" / "indicators" / "demo_indicators.yaml"
POPULATION_FILE = INDICATORS_DATA_DIR / "scb_TAB6471_population.jsonstat2.json"  # SCB's real file, as is

# Heads the drafted block in a demo follow-up's section 3; also how a second call recognises it.
DRAFT_HEADING = "**Statistiken i korthet**"
DRAFT_HEADING_LINE = (
    f"{DRAFT_HEADING} (utkast framtaget av Trygg ur statistiken; samordnaren granskar och redigerar)"
)

__all__ = [
    "DEMO_SOURCE",
    "DRAFT_HEADING",
    "DRAFT_HEADING_LINE",
    "add_statistics_drafts",
    "demo_parsed",
    "load",
    "load_statistics",
]


def _spec_and_rows(entry: dict, default_source: str, *, is_local: bool) -> tuple[IndicatorSpec, list[tuple]]:
    breakdowns = dict(entry.get("breakdowns") or {})
    if entry.get("series"):
        breakdowns[""] = entry["series"]
    spec = IndicatorSpec(
        code=entry["code"],
        title=entry["title"],
        unit=entry.get("unit", "antal"),
        source=entry.get("source", default_source),
        description=entry.get("description", ""),
        higher_is_better=entry.get("higher_is_better", guess_higher_is_better(entry["title"])),
        breakdowns=sorted({key.split("=", 1)[0] for key in breakdowns if key}),
        is_local=is_local,
    )
    margins = entry.get("margins") or {}
    rows = []
    for breakdown, by_region in breakdowns.items():
        for region, by_year in by_region.items():
            for raw_year, value in by_year.items():
                period = parse_period(str(raw_year).replace("p", " prel."))
                rows.append(
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
    return spec, rows


def demo_parsed(path: Path | None = None) -> tuple[ParsedImport, dict[str, ParsedImport]]:
    """The YAML as (the shared demo series, {kommunkod: that municipality's local figures}); no database."""
    with (path or DATA_FILE).open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    shared = ParsedImport(source_label="Demodata", update_indicators=True)
    for entry in spec["demo"]:
        indicator, rows = _spec_and_rows(entry, spec["demo_source"], is_local=False)
        shared.indicators.append(indicator)
        shared.rows += rows
    local: dict[str, ParsedImport] = {}
    for code, entries in (spec.get("local") or {}).items():
        parsed = ParsedImport(source_label="Lokala nyckeltal (demodata)", only_local=True)
        for entry in entries:
            indicator, rows = _spec_and_rows(entry, spec["local_source"], is_local=True)
            parsed.indicators.append(indicator)
            parsed.rows += rows
        local[str(code)] = parsed
    return shared, local


def load(municipalities: dict, *, acting_user, with_population: bool = True) -> str:
    """Load the demo statistics for the demo municipalities ({kommunkod: Municipality}) and draft "Statistiken i
    korthet" into their plans' follow-ups; a short Swedish summary. Idempotent."""
    text = load_statistics(municipalities, acting_user=acting_user, with_population=with_population)
    drafts = add_statistics_drafts(municipalities, acting_user=acting_user)
    return f"{text}; utkast till nulägesanalysen i {drafts} uppföljningar."


def load_statistics(municipalities: dict, *, acting_user, with_population: bool = True) -> str:
    """Regions, the Kolada catalogue, the demo series, each municipality's local figures and (optionally)
    SCB's population file; a short Swedish summary."""
    actions.do_seed_regions(acting_user=acting_user)
    catalogue = actions.do_seed_kolada_catalogue(acting_user=acting_user)
    shared, local = demo_parsed()
    demo = actions.do_import_observations(shared, acting_user=acting_user)
    local_rows = 0
    for code, parsed in local.items():
        if code in municipalities:
            result = actions.do_import_observations(
                parsed, municipality=municipalities[code], acting_user=acting_user
            )
            local_rows += result.rows
    text = (
        f"{catalogue.indicators_created} nya Kolada-nyckeltal, {demo.rows} observationer demodata, "
        f"{local_rows} lokala värden"
    )
    if with_population:
        parsed = importers.parse_jsonstat(POPULATION_FILE.read_bytes())
        population = actions.do_import_observations(parsed, acting_user=acting_user).rows
        text += f", {population} från SCB:s befolkningsfil"
    return text


def add_statistics_drafts(municipalities: dict, *, acting_user) -> int:
    """Append the drafted "Statistiken i korthet" to section 3 of each demo follow-up; how many were added.

    Each follow-up is drafted from its own plan's municipality (report_section.draft_for); a municipality
    without statistics gets no draft. The demo's section 3 is the reference report's hand-written text; the
    draft follows it under a bold heading line, so the demo report shows both. A follow-up that already has
    the heading is left alone (a second call changes nothing). Written through the plans app's action, which
    redacts and audits it.
    """
    from trygg.plans.actions import do_update_follow_up
    from trygg.plans.models import FollowUp

    follow_ups = FollowUp.objects.select_related("plan__municipality").filter(
        plan__municipality__in=list(municipalities.values())
    )
    added = 0
    for follow_up in follow_ups.order_by("plan__municipality__code", "plan__slug", "year"):
        if DRAFT_HEADING in follow_up.current_analysis:
            continue
        draft = draft_for(follow_up).strip()
        if not draft:
            continue
        text = follow_up.current_analysis.rstrip()
        new_text = "\n\n".join(part for part in (text, DRAFT_HEADING_LINE, draft) if part) + "\n"
        do_update_follow_up(follow_up, {"current_analysis": new_text}, acting_user=acting_user)
        added += 1
    return added
