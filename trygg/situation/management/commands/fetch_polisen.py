from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trygg.places.models import MunicipalityNotLoaded, current_municipality
from trygg.situation.clients import polisen as polisen_client
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
        user_agent = getattr(settings, "TRYGG_POLISEN_USER_AGENT", "") or polisen_client.DEFAULT_USER_AGENT
        # The transport is looked up at call time so that tests can replace it with saved responses.
        client = polisen_client.PolisenClient(
            user_agent=user_agent, transport=polisen_client.requests_transport
        )
        names = [municipality.name] + ([municipality.county_name] if municipality.county_name else [])
        try:
            result = import_events(client.events(location_names=names))
        except (polisen_client.PolisenClientError, PolisenFormatError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.summary())
