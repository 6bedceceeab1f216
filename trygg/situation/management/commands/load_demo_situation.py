from django.core.management.base import BaseCommand

from trygg.situation.demo import load_demo_situation


class Command(BaseCommand):
    help = "Load demo places, cameras, ~2 years of synthetic incidents (seeded) and meetings from the report."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1482)

    def handle(self, *args, seed: int, **options):
        summary = load_demo_situation(seed=seed)
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in summary.items()))
