"""Importers: each parser validates a file into a ParsedImport without touching the database;
writer.write_observations() then upserts it (called by actions.do_import_observations in one transaction)."""

from .bra import parse_bra
from .common import ImportValidationError, IndicatorSpec, ParsedImport
from .jsonstat import parse_jsonstat
from .kolada import parse_catalogue, parse_kolada
from .local_csv import parse_local_csv
from .px import parse_px

PARSERS = {
    "jsonstat": parse_jsonstat,
    "px": parse_px,
    "bra": parse_bra,
    "kolada": parse_kolada,
    "local": parse_local_csv,
}


def parse(kind: str, data: bytes, **options) -> ParsedImport:
    """Parse file contents of a kind (see PARSERS) into a ParsedImport; raises ImportValidationError."""
    try:
        parser = PARSERS[kind]
    except KeyError:
        raise ImportValidationError([f"Okänd filtyp {kind!r}; välj en av {', '.join(PARSERS)}."]) from None
    return parser(data, **options)


__all__ = [
    "PARSERS",
    "ImportValidationError",
    "IndicatorSpec",
    "ParsedImport",
    "parse",
    "parse_bra",
    "parse_catalogue",
    "parse_jsonstat",
    "parse_kolada",
    "parse_local_csv",
    "parse_px",
]
