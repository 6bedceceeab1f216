"""The rendered follow-up report, cached per version so that a repeat download is immediate.

The version is a digest of the report's document model (texts, every status and comment, the plan's
structure, the statistics section): whatever changes what the report says changes its version, so a cached
file can never be stale, and nothing has to remember to invalidate it. Building the document takes a few
queries; rendering it (DOCX, PDF) is what takes seconds, and that runs once per version, as a background
task when started from the web. Files live in the default storage so that the web process and a worker on
another machine share them; older versions of the same follow-up and format are removed when a new one is
written.
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


def document_version(document) -> str:
    """A digest of everything the report shows (dataclass reprs are deterministic)."""
    return hashlib.sha256(repr(document).encode("utf-8")).hexdigest()[:32]


def cached_report(follow_up: FollowUp, fmt: str, document=None) -> CachedReport:
    document = document if document is not None else build_follow_up_report(follow_up)
    return CachedReport(follow_up.pk, fmt, document_version(document))


def report_filename(follow_up: FollowUp, fmt: str) -> str:
    return f"{slugify(follow_up.title)}.{fmt}"


def render_and_store(follow_up: FollowUp, fmt: str) -> CachedReport:
    """Render the current version (unless it is stored already), store it and drop older versions."""
    document = build_follow_up_report(follow_up)
    cached = cached_report(follow_up, fmt, document)
    if not cached.exists():
        _replace(cached.path, render_document(document, fmt))
    if default_storage.exists(cached.pending_path):
        default_storage.delete(cached.pending_path)
    _drop_other_versions(cached)
    return cached


def _drop_other_versions(cached: CachedReport) -> None:
    try:
        _, files = default_storage.listdir(cached.folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    keep = {cached.path.rsplit("/", 1)[-1], cached.pending_path.rsplit("/", 1)[-1]}
    for name in files:
        same_format = name.endswith(f".{cached.fmt}") or name.endswith(f".{cached.fmt}.pending")
        if same_format and name not in keep:
            default_storage.delete(f"{cached.folder}/{name}")


def report_states(follow_up: FollowUp) -> dict[str, str]:
    """{format: "ready" | "pending" | "none"} for the current version, for the download buttons."""
    document = build_follow_up_report(follow_up)
    states = {}
    for fmt in REPORT_FORMATS:
        cached = cached_report(follow_up, fmt, document)
        states[fmt] = "ready" if cached.exists() else "pending" if cached.is_pending() else "none"
    return states
