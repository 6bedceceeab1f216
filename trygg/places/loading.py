"""Load a municipality boundary from the bundled data files (see data/SOURCE.md)."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from trygg.lib.sweden import county_names

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


@transaction.atomic
def load_municipality(code: str) -> Municipality:
    """Create or update the municipality with this kommunkod from the bundled boundary file."""
    feature = boundary_feature(code)
    props = feature["properties"]
    county_code = props.get("lan_code", "")
    municipality, _ = Municipality.objects.update_or_create(
        code=code,
        defaults={
            "name": props["kom_namn"],
            "county_code": county_code,
            "county_name": county_names().get(county_code, ""),
            "geometry": feature["geometry"],
            "source": SOURCE,
        },
    )
    return municipality
