"""Export a plan with its follow-ups as JSON or XLSX (trygg.plan/1)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trygg.plans.exchange import export_plan_json, export_plan_xlsx, os_error_sv
from trygg.plans.models import Plan


class Command(BaseCommand):
    help = "Exportera en plan med uppföljningar som JSON eller XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="planens kortnamn (slug)")
        parser.add_argument("--format", choices=["json", "xlsx"], help="standard: filändelsen, annars json")
        parser.add_argument("-o", "--output", help="fil att skriva (utelämnad: JSON till standard ut)")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Det finns ingen plan med kortnamnet ”{options['plan']}”.")
        output = options["output"]
        fmt = options["format"] or ("xlsx" if output and output.lower().endswith(".xlsx") else "json")
        if not output:
            if fmt == "xlsx":
                raise CommandError("XLSX kan inte skrivas till standard ut: ange en fil med -o.")
            self.stdout.write(export_plan_json(plan), ending="")
            return
        content = export_plan_xlsx(plan) if fmt == "xlsx" else export_plan_json(plan).encode("utf-8")
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Kunde inte skriva {output}: {os_error_sv(output, exc)}") from None
        self.stdout.write(self.style.SUCCESS(f"Skrev {output} ({fmt.upper()}, {len(content)} byte)."))
