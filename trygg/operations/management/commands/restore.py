"""manage.py restore ARCHIVE --yes: replace the database and the uploaded files with a backup's, verified
against its manifest before and after (operations/backup.py). Stop the web servers and the task worker first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trygg.operations.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Återställer databasen och uppladdade filer från en säkerhetskopia (ersätter allt som finns nu)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Bekräfta att databasen och filerna ska ersättas."
        )

    def handle(self, *args, archive: Path, yes: bool = False, **options):
        if not archive.is_file():
            raise CommandError(f"Filen {archive} finns inte.")
        try:
            manifest = read_manifest(archive)
        except Exception as exc:
            raise CommandError(f"{archive} är ingen säkerhetskopia från Trygg: {exc}") from exc
        if not yes:
            raise CommandError(
                f"Säkerhetskopian från {manifest.get('created')} ersätter ALLA uppgifter i databasen och alla "
                "uppladdade filer. Stoppa webbservrarna och bakgrundsjobben och kör igen med --yes."
            )
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Återställt: {len(manifest['tables'])} tabeller ({rows} rader) och {len(manifest['media'])} "
                "filer; radantal och kontrollsummor stämmer med manifestet."
            )
        )
