"""Backup and restore of one installation: the database and the uploaded files (MEDIA_ROOT) in one tar.

    trygg-backup-20260315T020000.tar.gz
    ├── manifest.json   vendor, time, per table: row count and checksum; per file: size and SHA-256
    ├── db.sqlite3      SQLite: a copy made with the online backup API (sqlite3.Connection.backup)
    │   or db.dump      PostgreSQL: pg_dump --format=custom
    └── media/…         the uploaded files

The table checksums are computed from the same consistent state the dump holds: for SQLite from the copy
itself, for PostgreSQL in a REPEATABLE READ transaction whose snapshot pg_dump shares (--snapshot). Restore
checks the archive against the manifest before it touches anything, replaces the database (SQLite: backup
API into the live database; PostgreSQL: pg_restore --clean --single-transaction) and the files, then computes
the checksums again and fails loudly on any difference.

A checksum is over the rows as the database driver returns them (sorted, so physical order does not matter);
it compares a database with its own backup, on the same database system.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

FORMAT = 1


class BackupError(Exception):
    """A backup or restore failed; the message is Swedish, for the operator."""


# --- Checksums ----------------------------------------------------------------------------------------------


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_summary(raw_connection, vendor: str) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": hex}} for every table, from a DB-API connection."""
    cursor = raw_connection.cursor()
    summary = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608 - a table name from the catalogue, quoted
        digests = []
        while rows := cursor.fetchmany(2000):
            digests += [hashlib.sha256(repr(tuple(row)).encode()).digest() for row in rows]
        digests.sort()
        summary[table] = {"rows": len(digests), "sha256": hashlib.sha256(b"".join(digests)).hexdigest()}
    cursor.close()
    return summary


def _side_connection(alias: str = DEFAULT_DB_ALIAS):
    """A new connection to the database (its own transaction), closed by the caller."""
    side = connections.create_connection(alias)
    side.ensure_connection()
    return side


def live_summary(alias: str = DEFAULT_DB_ALIAS) -> dict[str, dict]:
    side = _side_connection(alias)
    try:
        return table_summary(side.connection, side.vendor)
    finally:
        side.close()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_summary(root: Path) -> dict[str, dict]:
    files = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            files[path.relative_to(root).as_posix()] = {
                "bytes": path.stat().st_size,
                "sha256": _file_sha256(path),
            }
    return files


# --- Database dumps -----------------------------------------------------------------------------------------


def _sqlite_open(path: Path) -> sqlite3.Connection:
    # The same type detection as Django's connections, so a file's checksums equal the live database's.
    return sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    env["PGDATABASE"] = settings_dict["NAME"]
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(f"{args[0]} saknas: installera PostgreSQL-klienten (paketet postgresql-client).")
    result = subprocess.run([tool, *args[1:]], env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{args[0]} misslyckades: {result.stderr.strip()[:2000]}")


def _dump(alias: str, directory: Path) -> tuple[str, dict[str, dict]]:
    """Write the database dump into ``directory``; returns its file name and the table summary."""
    side = _side_connection(alias)
    try:
        if side.vendor == "sqlite":
            target = directory / "db.sqlite3"
            copy = sqlite3.connect(target)
            try:
                side.connection.backup(copy)  # online: consistent even while the app writes
            finally:
                copy.close()
            reopened = _sqlite_open(target)
            try:
                return target.name, table_summary(reopened, "sqlite")
            finally:
                reopened.close()
        if side.vendor == "postgresql":
            target = directory / "db.dump"
            raw = side.connection
            raw.autocommit = True
            raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = raw.execute("SELECT pg_export_snapshot()").fetchone()[0]
            # pg_dump reads the very snapshot the checksums are computed from.
            _run(
                ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={target}"],
                _pg_env(side.settings_dict),
            )
            summary = table_summary(raw, "postgresql")
            raw.execute("COMMIT")
            return target.name, summary
        raise BackupError(f"Säkerhetskopiering stöds för SQLite och PostgreSQL, inte {side.vendor}.")
    finally:
        side.close()


# --- Backup --------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def create_backup(
    directory: Path, *, alias: str = DEFAULT_DB_ALIAS, now: dt.datetime | None = None
) -> BackupResult:
    """Write ``trygg-backup-<time>.tar.gz`` into ``directory`` (mode 0600: it holds personal data)."""
    now = now or dt.datetime.now(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="trygg-backup-") as work:
        work_dir = Path(work)
        dump_name, tables = _dump(alias, work_dir)
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(),
            "vendor": connections[alias].vendor,
            "database": {"file": dump_name, "sha256": _file_sha256(work_dir / dump_name)},
            "tables": tables,
            "media": media_summary(media_root),
        }
        (work_dir / "manifest.json").write_text(
            json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8"
        )
        final = directory / f"trygg-backup-{now:%Y%m%dT%H%M%S}.tar.gz"
        partial = final.with_name(final.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(work_dir / "manifest.json", arcname="manifest.json")
            tar.add(work_dir / dump_name, arcname=dump_name)
            for name in manifest["media"]:
                tar.add(media_root / name, arcname=f"media/{name}")
        partial.replace(final)
    return BackupResult(final, manifest)


# --- Restore -------------------------------------------------------------------------------------------------


def _differences(expected: dict[str, dict], actual: dict[str, dict], what: str) -> Iterator[str]:
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            yield f"{what} {name} saknas"
        elif name not in expected:
            yield f"{what} {name} finns inte i säkerhetskopian"
        elif expected[name] != actual[name]:
            yield f"{what} {name}: väntat {expected[name]}, fick {actual[name]}"


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:*") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("Säkerhetskopian saknar manifest.json.")
        return json.loads(member.read())


def _extract(archive: Path, target: Path) -> dict:
    with tarfile.open(archive, "r:*") as tar:
        tar.extractall(target, filter="data")  # refuses absolute paths, "..", links out of the target
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Okänt format på säkerhetskopian: {manifest.get('format')!r}.")
    return manifest


def _verify_archive(work: Path, manifest: dict) -> None:
    """The dump and the files in the archive are the ones the manifest describes (before anything is changed)."""
    dump = work / manifest["database"]["file"]
    if not dump.is_file() or _file_sha256(dump) != manifest["database"]["sha256"]:
        raise BackupError("Databasfilen i säkerhetskopian stämmer inte med manifestet; inget återställdes.")
    problems = list(_differences(manifest["media"], media_summary(work / "media"), "filen"))
    if manifest["vendor"] == "sqlite":
        reopened = _sqlite_open(dump)
        try:
            problems += _differences(manifest["tables"], table_summary(reopened, "sqlite"), "tabellen")
        finally:
            reopened.close()
    if problems:
        raise BackupError("Säkerhetskopian är skadad; inget återställdes: " + "; ".join(problems[:20]))


def _restore_database(alias: str, dump: Path, vendor: str) -> None:
    for conn in connections.all():
        conn.close()
    side = _side_connection(alias)
    try:
        if vendor == "sqlite":
            source = sqlite3.connect(dump)
            try:
                source.backup(side.connection)  # replaces every page of the live database
            finally:
                source.close()
        else:
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    f"--dbname={side.settings_dict['NAME']}",
                    str(dump),
                ],
                _pg_env(side.settings_dict),
            )
    finally:
        side.close()


def _restore_media(source: Path, media_root: Path) -> None:
    """Swap the files in: the old MEDIA_ROOT is kept aside until the new one is in place."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    if source.is_dir():
        shutil.copytree(source, staged, dirs_exist_ok=True)
    old = media_root.with_name(media_root.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        media_root.rename(old)
    staged.rename(media_root)
    if old.exists():
        shutil.rmtree(old)


def restore_backup(archive: Path, *, alias: str = DEFAULT_DB_ALIAS) -> dict:
    """Replace the database and MEDIA_ROOT with the archive's; returns the manifest. Raises BackupError
    before changing anything when the archive does not match its manifest, and after restoring when the
    restored database or files differ from it."""
    vendor = connections[alias].vendor
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="trygg-restore-") as work:
        work_dir = Path(work)
        manifest = _extract(archive, work_dir)
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"Säkerhetskopian kommer från {manifest['vendor']}, databasen här är {vendor}; inget återställdes."
            )
        _verify_archive(work_dir, manifest)
        _restore_database(alias, work_dir / manifest["database"]["file"], vendor)
        _restore_media(work_dir / "media", media_root)
    problems = list(_differences(manifest["tables"], live_summary(alias), "tabellen"))
    problems += _differences(manifest["media"], media_summary(media_root), "filen")
    if problems:
        raise BackupError("Återställningen stämmer inte med manifestet: " + "; ".join(problems[:20]))
    return manifest
