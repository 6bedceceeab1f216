from django.core.management.base import BaseCommand

from trygg.indicators.demo import load_demo_indicators


class Command(BaseCommand):
    help = (
        "Lägg in demostatistik: regioner, Kolada-katalogen, Kungälvs lokala nyckeltal och märkta demoserier."
    )

    def handle(self, *args, **options):
        result = load_demo_indicators()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demostatistik: {result.observations} observationer (lokala + demodata), "
                f"{result.population_observations} från SCB:s befolkningsfil."
            )
        )
