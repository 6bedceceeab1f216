import errno
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trygg.accounts.writes import WriteError
from trygg.indicators import actions
from trygg.indicators.importers import PARSERS, ImportValidationError
from trygg.places.models import Municipality

# The operating system's messages are English ("[Errno 2] No such file or directory"): said in Swedish.
_OS_ERRORS = {
    errno.ENOENT: "finns inte",
    errno.EACCES: "får inte läsas (behörighet saknas)",
    errno.EPERM: "får inte läsas (behörighet saknas)",
    errno.EISDIR: "är en mapp, inte en fil",
    errno.ENOTDIR: "finns inte (en del av sökvägen är ingen mapp)",
    errno.ENAMETOOLONG: "har ett för långt namn",
    errno.ELOOP: "kunde inte öppnas (för många symboliska länkar)",
}


def os_error_text(exc: OSError) -> str:
    return _OS_ERRORS.get(exc.errno, "kunde inte läsas (fel i filsystemet)")


class Command(BaseCommand):
    help = "Importera en statistikfil (JSON-stat, PX, Brå-CSV, Kolada-JSON eller CSV-mallen för lokala nyckeltal)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(PARSERS), help="filtyp")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--indicator", help="indikatorkod för en tabell med ett enda innehåll (jsonstat, px)"
        )
        parser.add_argument("--language", help="språk i en flerspråkig PX-fil (t.ex. en)")
        parser.add_argument(
            "--municipality",
            help="kommunkod för lokala nyckeltal (t.ex. 1482): kommunen som äger dem (krävs för --kind local)",
        )
        parser.add_argument("--region", help="standardregion för CSV-mallen (kommunkod)")

    def handle(
        self, *args, kind, file, indicator=None, language=None, municipality=None, region=None, **options
    ):
        owner = None
        if kind == "local":
            if not municipality:
                raise CommandError(
                    "Ange --municipality (kommunkod) för lokala nyckeltal: kommunen som äger dem."
                )
            owner = Municipality.objects.filter(code=municipality.strip()).first()
            if owner is None:
                raise CommandError(
                    f"Kommunen {municipality!r} finns inte i Trygg; lägg till den med load_municipality --code."
                )
        extra = {}
        if indicator and kind in {"jsonstat", "px"}:
            extra["indicator_code"] = indicator
        if language and kind == "px":
            extra["language"] = language
        if region and kind == "local":
            extra["default_region"] = region
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {file} {os_error_text(exc)}.") from exc

        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done}/{total}")

        try:
            result = actions.do_import_file(kind, data, municipality=owner, progress=progress, **extra)
        except (ImportValidationError, WriteError) as exc:
            message = exc.message if isinstance(exc, ImportValidationError) else str(exc)
            raise CommandError(f"{file}: {message} Ingenting importerades.") from exc
        self.stdout.write(self.style.SUCCESS(result.summary))
