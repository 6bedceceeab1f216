"""The rendered follow-up report, cached per version so that a repeat download is immediate.

The version is a digest of everything the report is made from: the follow-up's texts, every status and
comment, the plan's structure (areas, interventions, activities, their units) and the state of the
statistics (the section 3 charts): whatever changes what the report may say changes its version, so a cached
file can never be stale and nothing has to remember to invalidate it. The digest takes a handful of small
queries (building the document itself takes seconds because of the charts); rendering runs once per
version, as a background task when started from the web. Files live in the default storage so that the web process and a worker on
another machine share them; older versions of the same follow-up and format are removed when a new one is
written.

Formats are those of the report builder plus "pdfa", the archive variant (PDF/A-2u, for e-arkiv), cached
under its own format key. A PDF links the report's web (HTML) version on its first page: the caller passes
that address (`web_url`, absolute), and it becomes part of the cache key, so that a public download and the
internal one never hand out each other's link.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify

from .models import FollowUp
from .report import REPORT_FORMATS, build_follow_up_report, render_document

PENDING_SECONDS = 15 * 60  # a render marked pending longer than this is taken as lost and started again
# Part of every version: raise it when the renderers change what a file looks like (2: tagged PDF/UA-1,
# the web version linked from the cover, HTML without inline CSS), so that older files are not served.
RENDERER_VERSION = 2
ARCHIVE_FORMAT = "pdfa"
DOWNLOAD_FORMATS = {**REPORT_FORMATS, ARCHIVE_FORMAT: "application/pdf"}


@dataclass(frozen=True)
class CachedReport:
    follow_up_id: int
    fmt: str
    version: str

    @property
    def folder(self) -> str:
        return f"reports/{self.follow_up_id}"

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.version}.{self.fmt}"

    @property
    def pending_path(self) -> str:
        return f"{self.path}.pending"

    def exists(self) -> bool:
        return default_storage.exists(self.path)

    def read(self) -> bytes:
        with default_storage.open(self.path, "rb") as f:
            return f.read()

    def is_pending(self) -> bool:
        if not default_storage.exists(self.pending_path):
            return False
        try:
            with default_storage.open(self.pending_path, "rb") as f:
                started = float(f.read() or 0)
        except (OSError, ValueError):
            return False
        return time.time() - started < PENDING_SECONDS

    def mark_pending(self) -> None:
        _replace(self.pending_path, str(time.time()).encode())


def _replace(path: str, content: bytes) -> None:
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(content))


def follow_up_version(follow_up: FollowUp) -> str:
    """A digest of the rows the report is built from (see the module docstring)."""
    from django.db.models import Count, Max

    from trygg.indicators.models import Observation

    from .models import Activity, ActivityStatus, Area, FollowUp, Intervention

    fresh = FollowUp.objects.select_related("plan__program", "plan__municipality").get(pk=follow_up.pk)
    plan = fresh.plan
    parts = [
        (
            fresh.year,
            str(fresh.date),
            fresh.recipient,
            fresh.introduction,
            fresh.summary,
            fresh.current_analysis,
        ),
        (plan.pk, plan.name, plan.slug, plan.owner_name, plan.period_start, plan.period_end),
        list(
            Area.objects.filter(plan=plan).order_by("pk").values_list("pk", "number", "title", "description")
        ),
        list(
            Intervention.objects.filter(area__plan=plan)
            .order_by("pk")
            .values_list("pk", "area_id", "number", "title")
        ),
        list(
            Activity.objects.for_plan(plan)
            .order_by("pk")
            .values_list(
                "pk", "intervention_id", "title", "order", "political_assignment", "political_reference"
            )
        ),
        list(
            Activity.units.through.objects.filter(activity__intervention__area__plan=plan)
            .order_by("pk")
            .values_list("activity_id", "unit_id")
        ),
        list(
            ActivityStatus.objects.filter(follow_up=fresh)
            .order_by("activity_id")
            .values_list("activity_id", "status", "comment")
        ),
        # Section 3 carries charts from the statistics: any import changes the version.
        Observation.objects.aggregate(n=Count("pk"), last=Max("pk")),
        RENDERER_VERSION,
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def cached_report(
    follow_up: FollowUp, fmt: str, version: str | None = None, *, web_url: str = ""
) -> CachedReport:
    version = version or follow_up_version(follow_up)
    if web_url and fmt != "html":  # the HTML file is the web version; it does not link itself
        version += "-" + hashlib.sha256(web_url.encode("utf-8")).hexdigest()[:8]
    return CachedReport(follow_up.pk, fmt, version)


def report_filename(follow_up: FollowUp, fmt: str) -> str:
    if fmt == ARCHIVE_FORMAT:
        return f"{slugify(follow_up.title)}-arkiv-pdfa.pdf"
    return f"{slugify(follow_up.title)}.{fmt}"


def render_report(follow_up: FollowUp, fmt: str, *, web_url: str = "") -> bytes:
    """The report in one of DOWNLOAD_FORMATS; PDFs link `web_url` on their first page."""
    if fmt not in DOWNLOAD_FORMATS:
        raise ValueError(f"Okänt format ”{fmt}”. Välj html, docx, pdf eller pdfa.")
    document = build_follow_up_report(follow_up)
    document.cover.web_url = web_url
    if fmt == ARCHIVE_FORMAT:
        from trygg.documents.pdf import render_pdf  # WeasyPrint is slow to import; only a worker needs it

        return render_pdf(document, archive=True)
    return render_document(document, fmt)


def render_and_store(follow_up: FollowUp, fmt: str, *, web_url: str = "") -> CachedReport:
    """Render the current version (unless it is stored already), store it and drop older versions."""
    cached = cached_report(follow_up, fmt, web_url=web_url)
    if not cached.exists():
        _replace(cached.path, render_report(follow_up, fmt, web_url=web_url))
    if default_storage.exists(cached.pending_path):
        default_storage.delete(cached.pending_path)
    _drop_other_versions(cached)
    return cached


def _drop_other_versions(cached: CachedReport) -> None:
    """Files of this format made from older data go; the same version with another web link stays."""
    try:
        _, files = default_storage.listdir(cached.folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    current = cached.version.split("-", 1)[0]
    for name in files:
        same_format = name.endswith(f".{cached.fmt}") or name.endswith(f".{cached.fmt}.pending")
        if same_format and not name.startswith(current):
            default_storage.delete(f"{cached.folder}/{name}")


def report_states(follow_up: FollowUp, *, web_url: str = "") -> dict[str, str]:
    """{format: "ready" | "pending" | "none"} for the current version, for the download buttons."""
    version = follow_up_version(follow_up)
    states = {}
    for fmt in DOWNLOAD_FORMATS:
        cached = cached_report(follow_up, fmt, version, web_url=web_url)
        states[fmt] = "ready" if cached.exists() else "pending" if cached.is_pending() else "none"
    return states
