"""Load all demo data (idempotent) and create the demo logins, printed on screen."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from trygg.accounts.models import Organisation, Role, Unit, User

# Demo logins for a local demo only (bin/run prints them). Never used outside DEBUG/TRYGG_DEV.
DEMO_USERS = [
    ("samordnare", Role.COORDINATOR, "Brottsförebyggande samordnare", None, []),
    ("enhet", Role.UNIT_EDITOR, "Enhetschef Säkerhetsenheten", None, ["Säkerhetsenheten"]),
    ("polis", Role.PARTNER, "Kommunpolis", "Polisen lokalpolisområde Kungälv/Ale", []),
    ("politiker", Role.READER, "Ledamot kommunstyrelsen", None, []),
    ("admin", Role.ADMIN, "Administratör", None, []),
]
DEMO_PASSWORD = "trygg-demo"  # noqa: S105 - documented local demo password

# Each app's demo loader, in dependency order: (module, function).
LOADERS = [
    ("trygg.plans.demo", "load_demo_plan"),
    ("trygg.indicators.demo", "load_demo_indicators"),
    ("trygg.places.demo", "load_demo_places"),
    ("trygg.situation.demo", "load_demo_situation"),
]


class Command(BaseCommand):
    help = "Ladda demodata (Kungälvs uppföljning 2023 m.m.) och skapa demoinloggningar."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = self._demo_users()
        for module_name, function_name in LOADERS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            result = getattr(module, function_name)()
            self.stdout.write(f"» Demodata: {module_name} {result or ''}".rstrip())
        # With statistics loaded, add the drafted "Statistiken i korthet" to section 3 of the demo report.
        try:
            from trygg.indicators.demo import add_statistics_draft_to_demo
        except ImportError:
            pass
        else:
            if add_statistics_draft_to_demo():
                self.stdout.write("» Demodata: utkast till nulägesanalys från statistiken")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):"))
        for user in users:
            self.stdout.write(f"  {user.username:<11} {user.get_role_display()}")

    def _demo_users(self):
        police = Organisation.objects.get_or_create(
            name="Polisen lokalpolisområde Kungälv/Ale", defaults={"kind": Organisation.Kind.POLICE}
        )[0]
        Organisation.objects.get_or_create(
            name="Kungälvs kommun", defaults={"kind": Organisation.Kind.MUNICIPALITY}
        )
        users = []
        for username, role, title, organisation, unit_names in DEMO_USERS:
            first, _, last = title.partition(" ")
            user, created = User.objects.get_or_create(
                username=username, defaults={"role": role, "first_name": first, "last_name": last}
            )
            if created or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
            user.role = role
            user.is_staff = role in (Role.ADMIN, Role.COORDINATOR)
            user.is_superuser = role == Role.ADMIN
            user.organisation = police if organisation else None
            user.save()
            user.units.set([Unit.objects.get_or_create(name=name)[0] for name in unit_names])
            users.append(user)
        return users
