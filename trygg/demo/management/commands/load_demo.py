"""Load all demo data (idempotent) and create the demo logins, printed on screen."""

from django.core.management.base import BaseCommand

from trygg.places.loading import load_municipality

from ...users import DEMO_PASSWORD, describe, load_users

# Kungälv (the reference report) and its neighbour Ale (made up), both in lokalpolisområde Kungälv/Ale.
DEMO_MUNICIPALITIES = ("1482", "1440")


class Command(BaseCommand):
    help = "Ladda demodata (Kungälvs uppföljning 2023 och grannkommunen Ale) och skapa demoinloggningar."

    def handle(self, *args, **options):
        from trygg.demo import assessments, dialog, indicators, places, plans, situation, walks

        municipalities = {code: load_municipality(code) for code in DEMO_MUNICIPALITIES}
        users = load_users(municipalities)
        coordinator = next(u for u in users if u.username == "admin")
        # Each loader writes through the apps' do_* actions, in dependency order.
        for municipality in municipalities.values():
            self.stdout.write(
                f"» {municipality.full_name}: platser {places.load(municipality, acting_user=coordinator)}"
            )
            self.stdout.write(
                f"» {municipality.full_name}: plan {plans.load(municipality, acting_user=coordinator)}"
            )
        self.stdout.write(f"» Statistik: {indicators.load(municipalities, acting_user=coordinator)}")
        for municipality in municipalities.values():
            result = situation.load(municipality, acting_user=coordinator)
            self.stdout.write(f"» {municipality.full_name}: lägesbild {result}")
            # Walks after the lägesbild: their findings become incidents with its categories.
            for name, loader in (
                ("trygghetsvandringar", walks),
                ("digital dialog", dialog),
                ("lagens krav", assessments),
            ):
                if result := loader.load(municipality, acting_user=coordinator):
                    self.stdout.write(f"» {municipality.full_name}: {name} {result}")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):"))
        for user in users:
            self.stdout.write(f"  {user.username:<11} {describe(user)}")
