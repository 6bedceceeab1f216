"""Writes to the statistics tables. Each do_* function is one transaction: validate, then write."""

from __future__ import annotations

import logging
import operator
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from . import importers, regions
from .importers.common import (
    GENDER,
    OK,
    ImportValidationError,
    IndicatorSpec,
    ParsedImport,
    breakdown_key,
    parse_period,
)
from .importers.writer import WriteResult, write_observations
from .models import ImportJob, Indicator, Observation, Region

logger = logging.getLogger(__name__)

DATA_DIR = regions.DATA_DIR
ProgressCallback = Callable[[int, int], None]


# Indicators that carry each kommun's population (a total per year): Kolada's N01951 and SCB's population
# tables (content "Folkmängd"); recognised by code or by title. DEMO.* figures never form peer groups.
POPULATION_CODES = ("N01951",)
_POPULATION_TITLES = ("folkmängd", "invånare totalt")


@dataclass(slots=True)
class ImportResult:
    source: str
    rows: int
    created: int
    updated: int
    skipped: int
    indicators_created: int
    unchanged: int = 0
    groups_updated: int = 0  # kommuner whose population and peer group were set from this import

    @property
    def summary(self) -> str:
        text = (
            f"{self.source}: {self.rows} observationer lästa, {self.created} nya, {self.updated} uppdaterade, "
            f"{self.unchanged} oförändrade"
        )
        if self.indicators_created:
            text += f", {self.indicators_created} nya indikatorer"
        if self.skipped:
            text += f", {self.skipped} borttagna rader hoppades över"
        if self.groups_updated:
            text += f"; folkmängd och kommungrupp uppdaterade för {self.groups_updated} kommuner"
        return text + "."


@transaction.atomic
def do_import_observations(
    parsed: ParsedImport, *, acting_user=None, progress: ProgressCallback | None = None, fast: bool = True
) -> ImportResult:
    """Upsert a parsed file in one transaction; ImportValidationError (nothing written) on unknown codes."""
    result: WriteResult = write_observations(parsed, progress=progress, fast=fast)
    logger.info(
        "indicator import %s by %s: %s rows, %s created",
        parsed.source_label,
        getattr(acting_user, "username", None),
        result.rows,
        result.created,
    )
    # Kommun populations in the file: the peer groups (Region.group) follow them in the same transaction.
    groups = sum(
        do_update_region_groups(code, acting_user=acting_user) for code in _population_codes_in(parsed)
    )
    return ImportResult(
        source=parsed.source_label,
        rows=result.rows,
        created=result.created,
        updated=result.updated,
        skipped=parsed.skipped,
        indicators_created=result.indicators_created,
        unchanged=result.unchanged,
        groups_updated=groups,
    )


def is_population_indicator(code: str, title: str, unit: str, is_local: bool) -> bool:
    if is_local or code.startswith("DEMO.") or unit != Indicator.Unit.COUNT:
        return False
    folded = title.casefold()
    return code in POPULATION_CODES or folded.startswith(_POPULATION_TITLES)


def _population_codes_in(parsed: ParsedImport) -> list[str]:
    """Population indicators of which the file holds a kommun total (one small query)."""
    codes = set(map(operator.itemgetter(0), parsed.rows))
    candidates = [
        code
        for code, title, unit, local in Indicator.objects.filter(code__in=codes).values_list(
            "code", "title", "unit", "is_local"
        )
        if is_population_indicator(code, title, unit, local)
    ]
    if not candidates:
        return []
    municipal = {
        row[0]
        for row in parsed.rows
        if row[0] in candidates and row[5] == "" and row[6] is not None and len(row[1]) == 4
    }
    return sorted(municipal)


def population_source() -> str | None:
    """The population indicator with kommun totals of the latest year (most kommuner on a tie), or None."""
    from django.db.models import Count, Max

    rows = (
        Observation.objects.filter(
            region__kind=Region.Kind.MUNICIPALITY, breakdown="", status=OK, value__isnull=False
        )
        .exclude(indicator__code__startswith="DEMO.")
        .filter(indicator__unit=Indicator.Unit.COUNT, indicator__is_local=False)
        .values("indicator__code", "indicator__title")
        .annotate(latest=Max("period_end"), kommuner=Count("region", distinct=True))
    )
    found = [
        (row["latest"], row["kommuner"], row["indicator__code"])
        for row in rows
        if is_population_indicator(
            row["indicator__code"], row["indicator__title"], Indicator.Unit.COUNT, False
        )
    ]
    return max(found)[2] if found else None


def do_import_file(
    kind: str, data: bytes, *, acting_user=None, progress: ProgressCallback | None = None, **options
) -> ImportResult:
    """Parse (validating everything, no writes) and then import a file of a given kind."""
    parsed = importers.parse(kind, data, **options)
    return do_import_observations(parsed, acting_user=acting_user, progress=progress)


@transaction.atomic
def do_seed_regions(*, acting_user=None) -> int:
    """Create or update riket, the 7 polisregioner, 21 län and 290 kommuner with their parent links.

    Returns how many regions were created or changed (0 when already up to date)."""
    rows = regions.all_regions()
    existing = {r.code: r for r in Region.objects.all()}
    to_create = [
        Region(code=row.code, kind=row.kind, name=row.name, short_name=row.short_name)
        for row in rows
        if row.code not in existing
    ]
    Region.objects.bulk_create(to_create)
    by_code = {r.code: r for r in Region.objects.all()}
    changed = []
    for row in rows:
        region = by_code[row.code]
        county = by_code.get(row.county_code) if row.county_code else None
        police = by_code.get(row.police_region_code) if row.police_region_code else None
        new = (row.kind, row.name, row.short_name, getattr(county, "pk", None), getattr(police, "pk", None))
        if new != (region.kind, region.name, region.short_name, region.county_id, region.police_region_id):
            region.kind, region.name, region.short_name = row.kind, row.name, row.short_name
            region.county, region.police_region = county, police
            changed.append(region)
    Region.objects.bulk_update(
        changed, ["kind", "name", "short_name", "county", "police_region"], batch_size=500
    )
    new_codes = {r.code for r in to_create}
    updated = sum(1 for r in changed if r.code not in new_codes)
    logger.info(
        "seeded regions by %s: %s new, %s updated",
        getattr(acting_user, "username", None),
        len(to_create),
        updated,
    )
    return len(to_create) + updated


def do_seed_kolada_catalogue(data: bytes | None = None, *, acting_user=None) -> ImportResult:
    """Create or update the Kolada KPIs (the shipped safety subset unless a catalogue file is given)."""
    if data is None:
        data = (DATA_DIR / "kolada_safety_kpis.csv").read_bytes()
    parsed = importers.parse_catalogue(data)
    return do_import_observations(parsed, acting_user=acting_user)


@transaction.atomic
def do_update_region_groups(indicator_code: str, *, acting_user=None) -> int:
    """Set Region.population and the size-class group of every kommun from the latest total observation."""
    latest: dict[int, tuple[int, str, float]] = {}
    qs = (
        Observation.objects.filter(
            indicator__code=indicator_code, breakdown="", status=OK, region__kind=Region.Kind.MUNICIPALITY
        )
        .order_by("region_id", "period_end", "period")
        .values_list("region_id", "period_end", "period", "value")
    )
    for region_id, _end, period, value in qs:
        latest[region_id] = (region_id, period, value)
    regions_ = list(Region.objects.filter(pk__in=latest))
    for region in regions_:
        _id, period, value = latest[region.pk]
        region.population, region.population_period = int(value), period
        region.group = regions.size_class(value)
    Region.objects.bulk_update(regions_, ["population", "population_period", "group"], batch_size=500)
    logger.info(
        "region groups from %s by %s: %s kommuner",
        indicator_code,
        getattr(acting_user, "username", None),
        len(regions_),
    )
    return len(regions_)


@transaction.atomic
def do_save_local_observation(
    indicator: Indicator,
    region: Region,
    period: str,
    value: float | None,
    *,
    gender: str = "",
    preliminary: bool = False,
    acting_user=None,
) -> Observation:
    """Enter or correct one local figure (manual entry page). Empty value records "uppgift saknas"."""
    parsed_period = parse_period(period)
    if parsed_period is None:
        raise ImportValidationError([f"Perioden {period!r} är inte ett år (t.ex. 2023 eller 2021–2022)."])
    if gender not in {"", "K", "M"}:
        raise ImportValidationError(["Kön ska vara K, M eller tomt."])
    if value is not None and value < 0:
        raise ImportValidationError(["Ett lokalt nyckeltal kan inte vara negativt."])
    obs, _created = Observation.objects.update_or_create(
        indicator=indicator,
        region=region,
        period=parsed_period.label,
        breakdown=breakdown_key({GENDER: gender}),
        defaults={
            "period_start": parsed_period.start,
            "period_end": parsed_period.end,
            "value": value,
            "status": Observation.Status.OK if value is not None else Observation.Status.MISSING,
            "preliminary": preliminary or parsed_period.preliminary,
            "imported_at": timezone.now(),
        },
    )
    logger.info(
        "local figure %s %s %s = %s by %s",
        indicator.code,
        region.code,
        parsed_period.label,
        value,
        getattr(acting_user, "username", None),
    )
    return obs


@transaction.atomic
def do_create_local_indicator(
    code: str, title: str, unit: str, *, description: str = "", source: str = "", acting_user=None
) -> Indicator:
    if Indicator.objects.filter(code=code).exists():
        raise ImportValidationError([f"Det finns redan en indikator med koden {code}."])
    return Indicator.objects.create(
        code=code,
        title=title,
        unit=unit,
        description=description,
        source=source or "Lokal uppgift",
        is_local=True,
    )


# --- background import jobs ----------------------------------------------------------------------------------


def do_create_import_job(kind: str, uploaded_file, *, acting_user) -> ImportJob:
    job = ImportJob(kind=kind, created_by=acting_user, original_name=Path(uploaded_file.name).name[:255])
    job.file.save(job.original_name or "import", uploaded_file, save=False)
    job.save()
    return job


def _job_progress(job: ImportJob) -> ProgressCallback | None:
    """Batch progress while the import transaction is open, written on a second connection so the import
    page can see it before commit. Only on PostgreSQL: SQLite allows one writer, and that is the import."""
    if connection.vendor != "postgresql":
        return None
    last = {"percent": -1}
    table = connection.ops.quote_name(ImportJob._meta.db_table)

    def report(done: int, total: int) -> None:
        percent = min(10 + int(89 * done / total), 99) if total else 99
        if percent == last["percent"]:
            return
        last["percent"] = percent
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with side.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET progress = %s WHERE id = %s", [percent, job.pk])  # noqa: S608
        finally:
            side.close()

    return report


def do_run_import_job(job: ImportJob) -> ImportJob:
    """Run a queued job: parse, import, record the outcome on the job (never raises for bad files)."""
    job.status, job.progress = ImportJob.Status.RUNNING, 1
    job.save(update_fields=["status", "progress"])
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        parsed = importers.parse(job.kind, data)
        ImportJob.objects.filter(pk=job.pk).update(progress=10, rows_read=len(parsed.rows))
        result = do_import_observations(parsed, acting_user=job.created_by, progress=_job_progress(job))
    except ImportValidationError as exc:
        job.status, job.message = ImportJob.Status.FAILED, exc.message
    except Exception:
        logger.exception("import job %s failed", job.pk)
        job.status, job.message = ImportJob.Status.FAILED, "Ett oväntat fel inträffade; inget importerades."
    else:
        job.status, job.message = ImportJob.Status.DONE, result.summary
        job.rows_read, job.created_count, job.updated_count = result.rows, result.created, result.updated
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "progress",
            "finished_at",
            "rows_read",
            "created_count",
            "updated_count",
        ]
    )
    return job


def local_indicator_spec(
    code: str, title: str, unit: str = "antal", description: str = "", source: str = "Lokal uppgift"
) -> IndicatorSpec:
    return IndicatorSpec(
        code=code, title=title, unit=unit, description=description, source=source, is_local=True
    )
