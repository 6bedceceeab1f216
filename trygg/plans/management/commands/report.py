from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trygg.plans.exchange import os_error_sv
from trygg.plans.models import FollowUp
from trygg.plans.report import REPORT_FORMATS, render_follow_up


class Command(BaseCommand):
    help = "Skriv uppföljningsrapporten för en plan och ett år som HTML, DOCX eller PDF."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="planens slug, t.ex. trygg-i-kungalv")
        parser.add_argument("--year", required=True, type=int, help="uppföljningens år, t.ex. 2023")
        parser.add_argument("--format", required=True, choices=sorted(REPORT_FORMATS))
        parser.add_argument("-o", "--output", required=True, help="filen som ska skrivas")

    def handle(self, *args, **options):
        follow_up = (
            FollowUp.objects.select_related("plan")
            .filter(plan__slug=options["plan"], year=options["year"])
            .first()
        )
        if follow_up is None:
            raise CommandError(f"Hittar ingen uppföljning {options['year']} för planen ”{options['plan']}”.")
        content, _, _ = render_follow_up(follow_up, options["format"])
        output = Path(options["output"])
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Kunde inte skriva {output}: {os_error_sv(output, exc)}") from None
        self.stdout.write(f"Skrev {output} ({len(content):,} byte)".replace(",", " "))
