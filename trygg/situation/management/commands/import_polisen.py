import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trygg.places.models import Municipality
from trygg.situation.polisen import PolisenFormatError, import_events


class Command(BaseCommand):
    help = (
        "Import a saved Polisen events JSON file (polisen.se/api/events) into every hosted municipality the "
        "events fall in (or one, --code)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--code", default=None, help="bara denna kommun (kommunkod, t.ex. 1482)")

    def handle(self, *args, file: Path, code=None, **options):
        municipalities = None
        if code:
            municipalities = list(Municipality.objects.filter(code=code))
            if not municipalities:
                raise CommandError(
                    f"Kommunen {code} finns inte i installationen. Kör 'manage.py load_municipality --code {code}'."
                )
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"Filen {file} finns inte.") from None
        except OSError:
            raise CommandError(f"Kunde inte läsa filen {file}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} är inte en textfil i UTF-8.") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file} är inte giltig JSON (fel på rad {exc.lineno}, kolumn {exc.colno})."
            ) from None
        try:
            result = import_events(data, municipalities=municipalities)
        except PolisenFormatError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.summary())
