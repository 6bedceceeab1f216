from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trygg.places.models import Municipality
from trygg.situation.clients import polisen as polisen_client
from trygg.situation.polisen import PolisenFormatError, import_events


class Command(BaseCommand):
    help = (
        "Fetch the latest events from polisen.se/api/events for every hosted municipality (or one, --code) "
        "and their counties, in ONE call, and import them. Run from one scheduled job every 10-15 minutes "
        "(the API allows a call every 10 seconds and 60 an hour)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", default=None, help="bara denna kommun (kommunkod, t.ex. 1482)")

    def handle(self, *args, code=None, **options):
        municipalities = list(Municipality.objects.order_by("name"))
        if code:
            municipalities = [m for m in municipalities if m.code == code]
            if not municipalities:
                raise CommandError(
                    f"Kommunen {code} finns inte i installationen. Kör 'manage.py load_municipality --code {code}'."
                )
        if not municipalities:
            raise CommandError("Installationen har inga kommuner. Kör 'manage.py load_municipality'.")
        user_agent = getattr(settings, "TRYGG_POLISEN_USER_AGENT", "") or polisen_client.DEFAULT_USER_AGENT
        # The transport is looked up at call time so that tests can replace it with saved responses.
        client = polisen_client.PolisenClient(
            user_agent=user_agent, transport=polisen_client.requests_transport
        )
        names: list[str] = []
        for municipality in municipalities:
            for name in (municipality.name, municipality.county_name):
                if name and name not in names:
                    names.append(name)
        try:
            result = import_events(client.events(location_names=names), municipalities=municipalities)
        except (polisen_client.PolisenClientError, PolisenFormatError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.summary())
