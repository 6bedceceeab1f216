from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trygg.indicators import actions
from trygg.indicators.importers import PARSERS, ImportValidationError


class Command(BaseCommand):
    help = "Importera en statistikfil (JSON-stat, PX, Brå-CSV, Kolada-JSON eller CSV-mallen för lokala nyckeltal)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(PARSERS), help="filtyp")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--indicator", help="indikatorkod för en tabell med ett enda innehåll (jsonstat, px)"
        )
        parser.add_argument("--language", help="språk i en flerspråkig PX-fil (t.ex. en)")
        parser.add_argument("--region", help="standardregion för CSV-mallen (kommunkod)")

    def handle(self, *args, kind, file, indicator=None, language=None, region=None, **options):
        if not file.is_file():
            raise CommandError(f"Filen {file} finns inte.")
        extra = {}
        if indicator and kind in {"jsonstat", "px"}:
            extra["indicator_code"] = indicator
        if language and kind == "px":
            extra["language"] = language
        if region and kind == "local":
            extra["default_region"] = region

        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done}/{total}")

        try:
            result = actions.do_import_file(kind, file.read_bytes(), progress=progress, **extra)
        except ImportValidationError as exc:
            raise CommandError(f"{file}: {exc.message} Ingenting importerades.") from exc
        self.stdout.write(self.style.SUCCESS(result.summary))
