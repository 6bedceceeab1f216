"""Import a plan with its follow-ups from a .json, .yaml/.yml or .xlsx file (trygg.plan/1)."""

from django.core.management.base import BaseCommand, CommandError

from trygg.accounts.models import User
from trygg.lib.sweden import code_for_name
from trygg.places.models import Municipality
from trygg.plans.exchange import PlanImportError, import_plan_file


def acting_user(username: str | None):
    """The user named by --user (recorded in the history and audit, and whose role is checked), or None for
    a system import."""
    if not username:
        return None
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"Det finns ingen användare ”{username}”.") from None


def municipality(value: str | None) -> Municipality | None:
    """The municipality named by --municipality (kommunkod or name), which must be hosted here."""
    if not value:
        return None
    code = code_for_name(value)
    if code is None:
        raise CommandError(f"”{value}” är ingen svensk kommun (ange t.ex. 1482 eller ”Kungälvs kommun”).")
    found = Municipality.objects.filter(code=code).first()
    if found is None:
        raise CommandError(
            f"Kommunen {code} finns inte i Trygg ännu: kör först manage.py load_municipality --code {code}."
        )
    return found


class Command(BaseCommand):
    help = "Importera en plan med uppföljningar från en fil (.json, .yaml, .yml eller .xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fil att importera")
        parser.add_argument("--user", help="användarnamn som står som ändrare i historiken")
        parser.add_argument(
            "--municipality", help="kommunkod eller namn, när filen inte anger vilken kommun planen hör till"
        )

    def handle(self, *args, **options):
        try:
            result = import_plan_file(
                options["file"],
                acting_user=acting_user(options["user"]),
                municipality=municipality(options["municipality"]),
            )
        except PlanImportError as exc:
            raise CommandError("Importen avbröts, ingenting sparades:\n" + "\n".join(exc.errors)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Importerade planen ”{result.plan.name}” ({result.plan.slug}).")
        )
        self.stdout.write(result.summary())
