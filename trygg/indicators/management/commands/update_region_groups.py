"""Set each kommun's population and peer group (Region.group) from a population indicator."""

from django.core.management.base import BaseCommand, CommandError

from trygg.indicators import actions
from trygg.indicators.models import Indicator


class Command(BaseCommand):
    help = (
        "Uppdatera kommunernas folkmängd och kommungrupp (storleksklass) från folkmängden i databasen "
        "(Koladas N01951 eller SCB:s folkmängdstabell)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator", help="indikatorkod med folkmängd per kommun (standard: den med senaste året)"
        )

    def handle(self, *args, indicator=None, **options):
        code = indicator or actions.population_source()
        if code is None:
            raise CommandError(
                "Det finns ingen folkmängd per kommun i databasen. Importera folkmängd från SCB "
                "(eller Koladas N01951) först, t.ex. med fetch_kolada --kpi N01951."
            )
        if not Indicator.objects.filter(code=code).exists():
            raise CommandError(f"Indikatorn {code} finns inte.")
        count = actions.do_update_region_groups(code)
        if count == 0:
            raise CommandError(f"{code} har inga värden per kommun; inga kommungrupper uppdaterades.")
        self.stdout.write(self.style.SUCCESS(f"Kommungrupper uppdaterade för {count} kommuner från {code}."))
