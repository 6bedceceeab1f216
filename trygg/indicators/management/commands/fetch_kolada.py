from django.core.management.base import BaseCommand, CommandError

from trygg.indicators import actions
from trygg.indicators.clients.http import ApiError
from trygg.indicators.clients.kolada import KoladaClient
from trygg.indicators.importers import ImportValidationError, parse_kolada


def _years(text: str) -> list[int]:
    if "-" in text:
        start, end = (int(part) for part in text.split("-", 1))
        return list(range(start, end + 1))
    return [int(part) for part in text.split(",")]


class Command(BaseCommand):
    help = (
        "Hämta nyckeltal från Kolada API v3 och importera dem (t.ex. --kpi N07540 --municipality 1482,0000)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kpi", required=True, help="kommaseparerade KPI-id")
        parser.add_argument(
            "--municipality", required=True, help="kommaseparerade Kolada-koder (0000 = riket)"
        )
        parser.add_argument("--years", required=True, help="2014-2023 eller 2022,2023")

    def handle(self, *args, kpi, municipality, years, **options):
        try:
            pages = KoladaClient().data(kpi.split(","), municipality.split(","), _years(years))
            result = actions.do_import_observations(parse_kolada(pages))
        except (ApiError, ImportValidationError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary))
