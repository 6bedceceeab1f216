"""Load the demo plan "Trygg i Kungälv" with its 2023 follow-up (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from trygg.plans.demo import DEMO_PLAN_PATH, load_demo_plan
from trygg.plans.exchange import PlanImportError

from .import_plan import acting_user


class Command(BaseCommand):
    help = "Ladda demoplanen Trygg i Kungälv med uppföljning 2023 (kan köras flera gånger)."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="användarnamn som står som ändrare i historiken")

    def handle(self, *args, **options):
        try:
            result = load_demo_plan(acting_user=acting_user(options["user"]))
        except PlanImportError as exc:
            raise CommandError(
                f"Demodata i {DEMO_PLAN_PATH} kunde inte laddas:\n" + "\n".join(exc.errors)
            ) from None
        self.stdout.write(self.style.SUCCESS(str(result)))
        self.stdout.write(result.summary())
