import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trygg.places.models import MunicipalityNotLoaded
from trygg.situation.polisen import PolisenFormatError, import_events


class Command(BaseCommand):
    help = "Import a saved Polisen events JSON file (polisen.se/api/events) for the municipality."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            result = import_events(data)
        except OSError as exc:
            raise CommandError(f"Kunde inte läsa {file}: {exc.strerror}") from None
        except ValueError as exc:  # JSON errors and PolisenFormatError
            if isinstance(exc, PolisenFormatError):
                raise CommandError(str(exc)) from None
            raise CommandError(f"{file} är inte giltig JSON: {exc}") from None
        except MunicipalityNotLoaded as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.summary())
