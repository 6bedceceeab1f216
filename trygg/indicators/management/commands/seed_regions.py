from django.core.management.base import BaseCommand

from trygg.indicators import actions
from trygg.indicators.models import Region


class Command(BaseCommand):
    help = "Lägg upp riket, 7 polisregioner, 21 län och 290 kommuner (SCB-koder) med sina kopplingar."

    def handle(self, *args, **options):
        changed = actions.do_seed_regions()
        self.stdout.write(
            self.style.SUCCESS(f"{Region.objects.count()} regioner ({changed} nya eller ändrade).")
        )
