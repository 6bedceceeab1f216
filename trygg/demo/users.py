"""Demo logins for a local demo only (bin/run prints them). Password `trygg-demo` for all."""

from __future__ import annotations

from django.db import transaction

from trygg.accounts.models import Membership, Organisation, Role, Unit, User

DEMO_PASSWORD = "trygg-demo"  # noqa: S105 - documented local demo password
POLICE = "Polisen lokalpolisområde Kungälv/Ale"

# username, title, organisation (None = the municipality's own staff), {kommunkod: role}, unit names
DEMO_USERS = [
    ("samordnare", "Brottsförebyggande samordnare", None, {"1482": Role.COORDINATOR}, ["Säkerhetsenheten"]),
    ("enhet", "Enhetschef Säkerhetsenheten", None, {"1482": Role.UNIT_EDITOR}, ["Säkerhetsenheten"]),
    ("polis", "Kommunpolis Kungälv/Ale", POLICE, {"1482": Role.PARTNER, "1440": Role.PARTNER}, []),
    ("politiker", "Ledamot kommunstyrelsen", None, {"1482": Role.READER}, []),
    ("ale", "Trygghetssamordnare Ale", None, {"1440": Role.COORDINATOR}, []),
    ("admin", "Administratör", None, {}, []),
]


@transaction.atomic
def load_users(municipalities: dict) -> list[User]:
    """Create or reset the demo logins and their roles in the demo municipalities ({code: Municipality})."""
    police = Organisation.objects.get_or_create(name=POLICE, defaults={"kind": Organisation.Kind.POLICE})[0]
    for municipality in municipalities.values():
        Organisation.objects.get_or_create(
            name=municipality.full_name, defaults={"kind": Organisation.Kind.MUNICIPALITY}
        )
    users = []
    for username, title, organisation, roles, unit_names in DEMO_USERS:
        first, _, last = title.partition(" ")
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.is_superuser = username == "admin"
        user.is_staff = user.is_superuser or Role.COORDINATOR in roles.values()
        user.organisation = police if organisation else None
        user.save()
        user.memberships.exclude(municipality__code__in=list(roles)).delete()
        for code, role in roles.items():
            Membership.objects.update_or_create(
                user=user, municipality=municipalities[code], defaults={"role": role}
            )
        home = municipalities[next(iter(roles), "1482")]
        user.units.set([demo_unit(home, name) for name in unit_names])
        users.append(user)
    return users


def demo_unit(municipality, name: str, *, acting_user=None) -> Unit:
    """The municipality's unit with this name, created through plans.actions.do_create_unit when missing."""
    from trygg.plans.actions import do_create_unit

    found = Unit.objects.filter(municipality=municipality, name=name).first()
    return found or do_create_unit(municipality, name, acting_user=acting_user).obj


def describe(user: User) -> str:
    if user.is_superuser:
        return "Administratör (alla kommuner)"
    return ", ".join(
        f"{m.get_role_display()} i {m.municipality.name}"
        for m in user.memberships.select_related("municipality").order_by("municipality__name")
    )
