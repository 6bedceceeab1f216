"""Load a municipality boundary from the bundled data files (see data/SOURCE.md)."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

from .models import Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"
BOUNDARIES = DATA_DIR / "swedish_municipalities.geojson"
SOURCE = "github.com/okfse/sweden-geojson (Valmyndigheten), förenklad"


class UnknownMunicipality(ValueError):
    pass


@lru_cache(maxsize=2)
def _features(path: Path) -> dict[str, dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {feature["properties"].get("id"): feature for feature in data["features"]}


def boundary_feature(code: str, path: Path = BOUNDARIES) -> dict:
    feature = _features(path).get(code)
    if feature is not None:
        return copy.deepcopy(feature)
    raise UnknownMunicipality(f"Kommunkoden {code!r} finns inte i {path.name} (fyra siffror, t.ex. 1482).")


def load_municipality(code: str, *, acting_user=None) -> Municipality:
    """Create or update the municipality with this kommunkod from the bundled boundary file (audited:
    places.actions.do_load_municipality)."""
    from .actions import do_load_municipality

    return do_load_municipality(code, acting_user=acting_user)
