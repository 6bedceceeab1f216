from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trygg.places.models import MunicipalityNotLoaded, current_municipality
from trygg.situation.clients.polisen import DEFAULT_USER_AGENT, PolisenClient, PolisenClientError
from trygg.situation.polisen import PolisenFormatError, import_events


class Command(BaseCommand):
    help = (
        "Fetch the latest events from polisen.se/api/events for the municipality (and its county, since "
        "newer events name only the county) and import them. Run from cron at most every few minutes."
    )

    def handle(self, *args, **options):
        try:
            municipality = current_municipality()
        except MunicipalityNotLoaded as exc:
            raise CommandError(str(exc)) from None
        user_agent = getattr(settings, "TRYGG_POLISEN_USER_AGENT", "") or DEFAULT_USER_AGENT
        client = PolisenClient(user_agent=user_agent)
        names = [municipality.name] + ([municipality.county_name] if municipality.county_name else [])
        try:
            result = import_events(client.events(location_names=names))
        except (PolisenClientError, PolisenFormatError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.summary())
