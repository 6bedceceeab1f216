"""Import a plan with its follow-ups from a .json, .yaml/.yml or .xlsx file (trygg.plan/1)."""

from django.core.management.base import BaseCommand, CommandError

from trygg.accounts.models import User
from trygg.plans.exchange import PlanImportError, import_plan_file


def acting_user(username: str | None):
    """The user named by --user (recorded in the status history), or None for a system import."""
    if not username:
        return None
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"Det finns ingen användare ”{username}”.") from None


class Command(BaseCommand):
    help = "Importera en plan med uppföljningar från en fil (.json, .yaml, .yml eller .xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fil att importera")
        parser.add_argument("--user", help="användarnamn som står som ändrare i historiken")

    def handle(self, *args, **options):
        try:
            result = import_plan_file(options["file"], acting_user=acting_user(options["user"]))
        except PlanImportError as exc:
            raise CommandError("Importen avbröts, ingenting sparades:\n" + "\n".join(exc.errors)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Importerade planen ”{result.plan.name}” ({result.plan.slug}).")
        )
        self.stdout.write(result.summary())
