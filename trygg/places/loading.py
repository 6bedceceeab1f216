"""Load a municipality boundary from the bundled data files (see data/SOURCE.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.db import transaction

from .models import Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"
BOUNDARIES = DATA_DIR / "swedish_municipalities.geojson"
COUNTIES = DATA_DIR / "counties.csv"
SOURCE = "github.com/okfse/sweden-geojson (Valmyndigheten), förenklad"


class UnknownMunicipality(ValueError):
    pass


def _county_names() -> dict[str, str]:
    with COUNTIES.open(encoding="utf-8") as fh:
        return {row["county_code"]: row["county_name"] for row in csv.DictReader(fh)}


def boundary_feature(code: str, path: Path = BOUNDARIES) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["properties"].get("id") == code:
            return feature
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
            "county_name": _county_names().get(county_code, ""),
            "geometry": feature["geometry"],
            "source": SOURCE,
        },
    )
    return municipality
