from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trygg.places.actions import do_load_municipality
from trygg.places.loading import UnknownMunicipality


class Command(BaseCommand):
    help = (
        "Load or update a hosted municipality (name, county, boundary) from the bundled file; audited. "
        "Without --code: the installation's default municipality (TRYGG_MUNICIPALITY_CODE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", default=None, help="kommunkod, t.ex. 1482")

    def handle(self, *args, code=None, **options):
        try:
            municipality = do_load_municipality(code or settings.TRYGG_MUNICIPALITY_CODE, acting_user=None)
        except UnknownMunicipality as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Läste in {municipality}.")
