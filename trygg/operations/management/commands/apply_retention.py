"""manage.py apply_retention [--dry-run]: anonymise or delete what has passed its retention period.

Run nightly (docs/deployment.md: a systemd timer or cron). Prints one line per step and municipality.
"""

from django.core.management.base import BaseCommand

from trygg.operations import retention


class Command(BaseCommand):
    help = "Gallring: avidentifierar eller raderar uppgifter som passerat sin lagringstid (docs/privacy.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle göras utan att ändra något."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        periods = retention.policy()
        self.stdout.write(
            "Lagringstider: " + ", ".join(f"{key}={value}" for key, value in sorted(periods.items()))
        )
        batches = retention.due(periods=periods)
        if not batches:
            self.stdout.write("Inget att gallra.")
            return
        total = 0
        for batch in batches:
            verb = "skulle ändras" if dry_run else "ändras"
            self.stdout.write(
                f"{batch.municipality}: {batch.step.description} – {len(batch.ids)} {verb} "
                f"(händelser före {batch.cutoff:%Y-%m-%d})"
            )
            if not dry_run:
                total += retention.apply([batch]).get(batch.step.key, 0)
        if dry_run:
            self.stdout.write("Torrkörning: inget ändrades.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Klart: {total} rader gallrade."))
