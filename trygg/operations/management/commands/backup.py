"""manage.py backup [--output DIR]: the database and the uploaded files in one archive (operations/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trygg.operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Säkerhetskopierar databasen och uppladdade filer till en tar-fil med manifest (radantal, kontrollsummor)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="Katalog för säkerhetskopian (standard: TRYGG_BACKUP_DIR)."
        )

    def handle(self, *args, output: Path | None = None, **options):
        try:
            result = create_backup(output or settings.TRYGG_BACKUP_DIR)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = result.manifest["tables"]
        rows = sum(t["rows"] for t in tables.values())
        self.stdout.write(
            f"{len(tables)} tabeller ({rows} rader) och {len(result.manifest['media'])} filer sparade i:"
        )
        self.stdout.write(str(result.path))
