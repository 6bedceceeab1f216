"""Writes to the statistics tables. Each do_* function is one transaction: validate, then write.

Local figures and local indicators (a municipality's own, small) go through the one write path
(trygg.accounts.writes): cleaned, redacted, one audit row each with the true old and new values. File imports
keep the fast bulk writer (national tables reach hundreds of thousands of rows), which cleans indicator names
and descriptions by the same rules, and leave one audit row per import with its counts.
"""

from __future__ import annotations

import logging
import operator
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from trygg.accounts import writes
from trygg.accounts.models import AuditEvent
from trygg.lib.text import NotANumber, parse_decimal

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
from .models import LOCAL_PREFIX, ImportJob, Indicator, Observation, Region

logger = logging.getLogger(__name__)

DATA_DIR = regions.DATA_DIR
ProgressCallback = Callable[[int, int], None]
IMPORT_AUDIT = "indicators.import"  # the action of an import's one audit row
LOCAL_KIND = "local"


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
    indicators_updated: int = 0
    redacted: str = ""  # Swedish: the personal data removed from indicator names and descriptions

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
        text += "."
        if self.redacted:
            text += f" {self.redacted}"
        return text

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.indicators_created or self.indicators_updated)


def _is_local(parsed: ParsedImport) -> bool:
    return parsed.only_local or any(spec.is_local for spec in parsed.indicators)


@transaction.atomic
def do_import_observations(
    parsed: ParsedImport,
    *,
    municipality=None,
    acting_user=None,
    progress: ProgressCallback | None = None,
    fast: bool = True,
) -> ImportResult:
    """Upsert a parsed file in one transaction; ImportValidationError (nothing written) on unknown codes.

    Local figures need the `municipality` that owns them (their indicators are created in it, and only its
    own local indicators can be named); a national file writes the shared catalogue whatever municipality
    started it. One audit row per import that changed anything, with its counts."""
    local = _is_local(parsed)
    result: WriteResult = write_observations(
        parsed,
        municipality_id=getattr(municipality, "pk", None) if local else None,
        progress=progress,
        fast=fast,
    )
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
    outcome = ImportResult(
        source=parsed.source_label,
        rows=result.rows,
        created=result.created,
        updated=result.updated,
        skipped=parsed.skipped,
        indicators_created=result.indicators_created,
        unchanged=result.unchanged,
        groups_updated=groups,
        indicators_updated=result.indicators_updated,
        redacted=result.redacted,
    )
    if outcome.changed:
        _audit_import(outcome, municipality if local else None, acting_user)
    return outcome


def _audit_import(outcome: ImportResult, municipality, acting_user) -> AuditEvent:
    """One audit row for a whole import: counts, not the rows (a national table has hundreds of thousands)."""
    changes = {
        "source": [None, outcome.source],
        "observations_read": [None, outcome.rows],
        "observations_created": [None, outcome.created],
        "observations_updated": [None, outcome.updated],
        "indicators_created": [None, outcome.indicators_created],
        "indicators_updated": [None, outcome.indicators_updated],
    }
    if municipality is not None:
        changes["municipality"] = [None, municipality.code]
    return AuditEvent.objects.create(
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        action=IMPORT_AUDIT,
        object_type=Observation._meta.label_lower,
        object_id=municipality.code if municipality is not None else "",
        object_repr=outcome.source[:300],
        changes=changes,
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
        for code, title, unit, local in Indicator.objects.national()
        .filter(code__in=codes)
        .values_list("code", "title", "unit", "is_local")
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
    kind: str,
    data: bytes,
    *,
    municipality=None,
    acting_user=None,
    progress: ProgressCallback | None = None,
    **options,
) -> ImportResult:
    """Parse (validating everything, no writes) and then import a file of a given kind. Local figures are
    imported for `municipality` (default region: its own)."""
    if kind == LOCAL_KIND and municipality is not None:
        options.setdefault("default_region", municipality.code)
    parsed = importers.parse(kind, data, **options)
    return do_import_observations(
        parsed, municipality=municipality, acting_user=acting_user, progress=progress
    )


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
            indicator__code=indicator_code,
            indicator__municipality__isnull=True,
            breakdown="",
            status=OK,
            region__kind=Region.Kind.MUNICIPALITY,
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


def local_regions(municipality):
    """The regions a municipality's local figures may be about: itself, its län, its polisregion, riket."""
    home = Region.objects.filter(code=municipality.code).first()
    return Region.objects.comparison_for(home) if home else Region.objects.none()


@transaction.atomic
def do_save_local_observation(
    indicator: Indicator,
    region: Region,
    period: str,
    value: float | str | None,
    *,
    gender: str = "",
    preliminary: bool = False,
    acting_user=None,
) -> writes.Written:
    """Enter or correct one local figure (manual entry page). Empty value records "uppgift saknas".
    A value may be written "3,5" or "3.5". One audit row with the old and new value; none when unchanged."""
    if not indicator.is_local or indicator.municipality_id is None:
        raise ImportValidationError([f"{indicator.title} är officiell statistik och kan inte ändras här."])
    parsed_period = parse_period(period)
    if parsed_period is None:
        raise ImportValidationError([f"Perioden {period!r} är inte ett år (t.ex. 2023 eller 2021–2022)."])
    if gender not in {"", "K", "M"}:
        raise ImportValidationError(["Kön ska vara K, M eller tomt."])
    if isinstance(value, str):
        try:
            value = float(parse_decimal(value)) if value.strip() else None
        except NotANumber as exc:
            raise ImportValidationError([str(exc)]) from exc
    if value is not None and value < 0:
        raise ImportValidationError(["Ett lokalt nyckeltal kan inte vara negativt."])
    if not local_regions(indicator.municipality).filter(pk=region.pk).exists():
        raise ImportValidationError(
            [f"{region} är inte kommunen, dess län, polisregion eller riket; välj ett av dem."]
        )
    key = {
        "indicator": indicator,
        "region": region,
        "period": parsed_period.label,
        "breakdown": breakdown_key({GENDER: gender}),
    }
    values = {
        "period_start": parsed_period.start,
        "period_end": parsed_period.end,
        "value": value,
        "status": Observation.Status.OK if value is not None else Observation.Status.MISSING,
        "preliminary": preliminary or parsed_period.preliminary,
    }
    now = timezone.now()
    existing = Observation.objects.filter(**key).first()
    if existing is None:
        return writes.create(
            Observation,
            {**key, **values, "imported_at": now},
            acting_user=acting_user,
            action=_action("create"),
        )
    written = writes.update(existing, values, acting_user=acting_user, action=_action("update"))
    if written.changes:  # imported_at tells when a value last changed (as for imports)
        Observation.objects.filter(pk=existing.pk).update(imported_at=now)
    return written


def _action(verb: str, model: str = "observation") -> str:
    return f"indicators.{model}.{verb}"


@transaction.atomic
def do_create_local_indicator(
    municipality,
    code: str,
    title: str,
    unit: str,
    *,
    description: str = "",
    source: str = "",
    sensitive: bool = True,
    acting_user=None,
) -> writes.Written:
    """A municipality's own indicator (only its users see it). The code starts with LOKAL.; the name,
    description and source are redacted (`Written.explanation` says what was removed). ``sensitive``:
    small counts are protected in every published table (see secondary_suppression)."""
    if not code.startswith(LOCAL_PREFIX) or len(code) <= len(LOCAL_PREFIX):
        raise ImportValidationError([f"Koden för ett lokalt nyckeltal ska börja med {LOCAL_PREFIX}"])
    if Indicator.objects.visible_in(municipality).filter(code=code).exists():
        raise ImportValidationError([f"Det finns redan en indikator med koden {code}."])
    values = {
        "municipality": municipality,
        "code": code,
        "title": title,
        "unit": unit,
        "description": description,
        "source": source or "Lokal uppgift",
        "is_local": True,
        "sensitive": sensitive,
    }
    try:
        return writes.create(
            Indicator, values, acting_user=acting_user, action=_action("create", "indicator")
        )
    except writes.WriteError as exc:
        raise ImportValidationError([str(exc)]) from exc


# --- background import jobs ----------------------------------------------------------------------------------


def may_import(user, municipality, kind: str) -> bool:
    """Local figures: a coordinator or administrator of the municipality. National statistics are shared by
    every municipality of the installation, so only an administrator of the whole installation imports them."""
    from trygg.accounts.models import Role

    if not getattr(user, "is_authenticated", False):
        return False
    if kind != LOCAL_KIND:
        return bool(user.is_superuser)
    return user.has_role_in(municipality, Role.ADMIN, Role.COORDINATOR)


def _stored_name(name: str) -> str:
    """The file's name on disk: the kind of file only (the user's name, which may hold anything, is kept
    redacted in original_name)."""
    suffix = Path(name).suffix.lower()
    return "import" + (suffix if suffix[1:].isalnum() and len(suffix) <= 8 else "")


@transaction.atomic
def do_create_import_job(kind: str, uploaded_file, *, municipality, acting_user) -> writes.Written:
    """Record an uploaded file as a queued job of the municipality it was started in."""
    if kind not in ImportJob.Kind.values:
        raise ImportValidationError([f"Okänd filtyp {kind!r}."])
    if not may_import(acting_user, municipality, kind):
        raise ImportValidationError(["Du har inte behörighet att importera den här typen av fil."])
    original = Path(uploaded_file.name).name[:255]
    uploaded_file.name = _stored_name(original)
    values = {
        "municipality": municipality,
        "kind": kind,
        "original_name": original,
        "file": uploaded_file,
        "created_by": acting_user if getattr(acting_user, "pk", None) else None,
    }
    return writes.create(ImportJob, values, acting_user=acting_user, action=_action("create", "importjob"))


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
        options = {"default_region": job.municipality.code} if job.kind == LOCAL_KIND else {}
        parsed = importers.parse(job.kind, data, **options)
        ImportJob.objects.filter(pk=job.pk).update(progress=10, rows_read=len(parsed.rows))
        result = do_import_observations(
            parsed, municipality=job.municipality, acting_user=job.created_by, progress=_job_progress(job)
        )
    except ImportValidationError as exc:
        job.status, job.message = ImportJob.Status.FAILED, exc.message
    except Exception:
        logger.exception("import job %s failed", job.pk)
        job.status, job.message = ImportJob.Status.FAILED, "Ett oväntat fel inträffade; inget importerades."
    else:
        job.status, job.message = ImportJob.Status.DONE, result.summary
        job.rows_read, job.created_count, job.updated_count = result.rows, result.created, result.updated
    # The message quotes cells of the file (a bad value, an unknown region): cleaned and redacted like any text.
    job.message = writes.clean_values(ImportJob, {"message": job.message[: writes.TEXT_MAX]})[0]["message"]
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
