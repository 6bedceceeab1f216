from django.core.management.base import BaseCommand

from trygg.places.demo import load_demo_places


class Command(BaseCommand):
    help = "Load the municipality boundary, approximate districts and the named demo places."

    def handle(self, *args, **options):
        municipality = load_demo_places()
        self.stdout.write(f"Demoplatser för {municipality}: {municipality.places.count()} platser.")
