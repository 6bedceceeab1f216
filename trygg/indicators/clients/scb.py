"""SCB PxWeb API v2 client: table metadata and JSON-stat 2.0 data, split so no call exceeds 150 000 cells."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from django.conf import settings

from .http import ApiError, JsonClient

DEFAULT_URL = "https://statistikdatabasen.scb.se/api/v2/"
MAX_CELLS = 150_000


def split_selection(
    selection: Mapping[str, Sequence[str]], max_cells: int = MAX_CELLS
) -> list[dict[str, list[str]]]:
    """Split a selection {variable: codes} into parts of at most max_cells cells each.

    The largest variable is cut first; the parts together cover every cell exactly once."""
    selection = {var: list(codes) for var, codes in selection.items()}
    if any(not codes for codes in selection.values()):
        raise ValueError("every variable needs at least one value code")
    cells = math.prod(len(codes) for codes in selection.values())
    if cells <= max_cells:
        return [selection]
    var = max(selection, key=lambda v: len(selection[v]))
    codes = selection[var]
    if len(codes) == 1:
        raise ValueError("cannot split a selection whose variables all have one value")
    rest = cells // len(codes)
    per_part = max(1, max_cells // rest) if rest <= max_cells else 1
    parts: list[dict[str, list[str]]] = []
    for start in range(0, len(codes), per_part):
        parts.extend(split_selection({**selection, var: codes[start : start + per_part]}, max_cells))
    return parts


class ScbClient(JsonClient):
    def __init__(self, base_url: str | None = None, **kwargs):
        super().__init__(base_url or getattr(settings, "TRYGG_SCB_URL", DEFAULT_URL), **kwargs)

    def metadata(self, table_id: str, *, lang: str = "sv") -> dict:
        return self.get_json(self.url(f"tables/{table_id}/metadata"), {"lang": lang})

    def expand(
        self, table_id: str, selection: Mapping[str, Sequence[str]], *, lang: str = "sv"
    ) -> dict[str, list[str]]:
        """Replace "*" by every value code of that variable (one metadata call, only when needed)."""
        if not any(list(codes) == ["*"] for codes in selection.values()):
            return {var: list(codes) for var, codes in selection.items()}
        meta = self.metadata(table_id, lang=lang)
        dims = meta.get("dimension", {}) if isinstance(meta, dict) else {}
        out = {}
        for var, codes in selection.items():
            if list(codes) == ["*"]:
                index = dims.get(var, {}).get("category", {}).get("index")
                if not index:
                    raise ApiError(f"SCB: tabellen {table_id} har ingen variabel {var!r}.")
                out[var] = list(index) if isinstance(index, dict | list) else []
            else:
                out[var] = list(codes)
        return out

    def data(self, table_id: str, selection: Mapping[str, Sequence[str]], *, lang: str = "sv") -> list[dict]:
        """JSON-stat 2.0 datasets covering the selection, one per ≤150 000-cell part."""
        datasets = []
        for part in split_selection(self.expand(table_id, selection, lang=lang)):
            params = [("lang", lang), ("outputFormat", "json-stat2")]
            params += [(f"valueCodes[{var}]", ",".join(codes)) for var, codes in part.items()]
            datasets.append(self.get_json(self.url(f"tables/{table_id}/data"), params))
        return datasets
