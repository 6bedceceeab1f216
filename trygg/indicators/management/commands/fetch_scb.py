from django.core.management.base import BaseCommand, CommandError

from trygg.indicators import actions
from trygg.indicators.clients.http import ApiError
from trygg.indicators.clients.scb import ScbClient
from trygg.indicators.importers import ImportValidationError, parse_jsonstat
from trygg.indicators.importers.common import merge


class Command(BaseCommand):
    help = "Hämta en tabell från SCB:s PxWeb API v2 som JSON-stat och importera den."

    def add_arguments(self, parser):
        parser.add_argument("table", help="tabell-id, t.ex. TAB638")
        parser.add_argument(
            "--select",
            action="append",
            required=True,
            help="Variabel=kod1,kod2 eller Variabel=* (flera --select)",
        )

    def handle(self, *args, table, select, **options):
        selection = {}
        for item in select:
            name, _sep, codes = item.partition("=")
            if not name or not codes:
                raise CommandError(f"--select {item!r} ska skrivas Variabel=kod1,kod2.")
            selection[name] = codes.split(",")
        try:
            datasets = ScbClient().data(table, selection)
            result = actions.do_import_observations(merge([parse_jsonstat(d) for d in datasets]))
        except (ApiError, ImportValidationError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary))
