from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError

from .import_indicators import os_error_text


class Command(BaseCommand):
    help = "Lägg upp Koladas nyckeltal (trygghetsurvalet som följer med Trygg, eller en egen katalogfil)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="Kolada-katalog som CSV eller /v3/kpi-JSON")

    def handle(self, *args, file=None, **options):
        try:
            data = file.read_bytes() if file else None
        except OSError as exc:
            raise CommandError(f"Filen {file} {os_error_text(exc)}.") from exc
        try:
            result = actions.do_seed_kolada_catalogue(data)
        except ImportValidationError as exc:
            raise CommandError(f"{exc.message} Ingenting importerades.") from exc
        self.stdout.write(self.style.SUCCESS(f"Kolada-katalogen: {result.indicators_created} nya nyckeltal."))
