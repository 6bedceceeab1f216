from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trygg.places.loading import UnknownMunicipality, load_municipality


class Command(BaseCommand):
    help = (
        "Load (or update) the municipality boundary from the bundled file (default TRYGG_MUNICIPALITY_CODE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", default=None, help="kommunkod, t.ex. 1482")

    def handle(self, *args, code=None, **options):
        try:
            municipality = load_municipality(code or settings.TRYGG_MUNICIPALITY_CODE)
        except UnknownMunicipality as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Läste in {municipality}.")
