"""Kolada API v3 client: data for KPIs × municipalities × years in ≤25-id segments, following next_url."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from django.conf import settings

from .http import ApiError, JsonClient

DEFAULT_URL = "https://api.kolada.se/v3/"
MAX_IDS = 25  # Kolada accepts at most 25 ids per path segment
MAX_PAGES = 10_000


def chunks(ids: Iterable[str], size: int = MAX_IDS) -> Iterator[list[str]]:
    iterator = iter(ids)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class KoladaClient(JsonClient):
    def __init__(self, base_url: str | None = None, **kwargs):
        super().__init__(base_url or getattr(settings, "TRYGG_KOLADA_URL", DEFAULT_URL), **kwargs)

    def _pages(self, url: str) -> list[dict]:
        pages: list[dict] = []
        seen: set[str] = set()
        while url:
            if url in seen or len(pages) >= MAX_PAGES:
                raise ApiError(f"Kolada: sidorna länkar runt i en slinga vid {url}.")
            seen.add(url)
            page = self.get_json(url)
            if not isinstance(page, dict) or not isinstance(page.get("values"), list):
                raise ApiError(f'Kolada: oväntat svar från {url} (saknar "values").')
            pages.append(page)
            url = page.get("next_url") or page.get("next_page") or ""
        return pages

    def data(
        self, kpis: Iterable[str], municipalities: Iterable[str], years: Iterable[int | str]
    ) -> list[dict]:
        """All data pages for the combination; each path segment carries at most 25 ids."""
        kpis, municipalities = sorted(set(kpis)), sorted(set(municipalities))
        years = sorted({str(y) for y in years})
        pages: list[dict] = []
        for k, m, y in itertools.product(chunks(kpis), chunks(municipalities), chunks(years)):
            path = f"data/kpi/{','.join(k)}/municipality/{','.join(m)}/year/{','.join(y)}"
            pages.extend(self._pages(self.url(path)))
        return pages

    def kpis(self, ids: Iterable[str]) -> list[dict]:
        """KPI metadata entries (the catalogue) for the given ids."""
        entries: list[dict] = []
        for chunk in chunks(sorted(set(ids))):
            for page in self._pages(self.url(f"kpi/{','.join(chunk)}")):
                entries.extend(page["values"])
        return entries
