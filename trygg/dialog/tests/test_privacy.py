"""No IP address or user agent reaches the database, the cache or any log record for a submission; the
rate limit holds across two server processes that share Redis."""

from __future__ import annotations

import logging

import pytest
from django.apps import apps
from django.core.cache import cache

from trygg.dialog.models import Submission

from .conftest import RESIDENT_IP, RESIDENT_UA, Resident

pytestmark = pytest.mark.django_db
UA_MARK = "unik-ua-markör-4711"


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def captured():
    handler = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.records
    root.removeHandler(handler)
    root.setLevel(old_level)


def _every_stored_value():
    for model in apps.get_models():
        for row in model.objects.all().values():
            yield model._meta.label, row


def test_no_ip_or_user_agent_in_the_database_cache_or_logs(campaign, place, settings, captured):
    settings.DIALOG_RATE_LIMIT = 4
    resident = Resident(campaign)
    assert resident.post(resident.valid(place=str(place.pk))).status_code == 302  # stored
    assert resident.post(resident.valid()).status_code == 400  # invalid: django.request warning
    bad = resident.valid(place=str(place.pk))
    bad.pop("csrfmiddlewaretoken")
    resident.client.cookies.clear()
    assert resident.post(bad).status_code == 403  # CSRF: django.security.csrf warning
    resident = Resident(campaign)
    assert resident.post(resident.valid(place=str(place.pk))).status_code == 302
    assert resident.post(resident.valid(place=str(place.pk))).status_code == 429  # rate limit
    assert Submission.objects.count() == 2

    for label, row in _every_stored_value():
        text = repr(row)
        assert RESIDENT_IP not in text and UA_MARK not in text, label
    keys = " ".join(str(k) for k in getattr(cache, "_cache", {}))
    assert keys and RESIDENT_IP not in keys  # the rate limit keeps only a hash

    assert captured, "the refusals must have been logged"
    for record in captured:
        assert not hasattr(record, "request"), f"{record.name} carries the request (and its META)"
        text = record.getMessage() + repr(record.__dict__)
        assert RESIDENT_IP not in text and UA_MARK not in text and RESIDENT_UA not in text, record.name


def test_the_log_filter_scrubs_addresses_from_server_messages():
    from trygg.dialog.log_privacy import ScrubAddresses

    record = logging.LogRecord(
        "gunicorn.error",
        logging.WARNING,
        __file__,
        1,
        "Invalid request from ip=%s: x",
        ("203.0.113.7",),
        None,
    )
    ScrubAddresses().filter(record)
    assert "203.0.113.7" not in record.getMessage() and "[adress borttagen]" in record.getMessage()


@pytest.mark.skipif("not __import__('trygg.dialog.tests.live', fromlist=['x']).redis_available()")
def test_the_rate_limit_holds_across_two_server_processes_sharing_redis(tmp_path):
    import requests

    from .live import VALID, Site, form_fields, free_port

    site = Site(
        tmp_path,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        redis_url="redis://127.0.0.1:6379/15",
        rate_limit=3,
    )
    campaign = site.prepare()
    ports = [free_port(), free_port()]
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    try:
        for port, log in zip(ports, logs, strict=True):
            site.start(port, workers=1, threads=2, log=log)
        session = requests.Session()
        session.headers["User-Agent"] = RESIDENT_UA
        fields = form_fields(session, f"http://127.0.0.1:{ports[0]}", campaign)
        codes = []
        for i in range(5):
            base = f"http://127.0.0.1:{ports[i % 2]}"
            response = session.post(
                f"{base}/tycktill/{campaign}/", data={**VALID, **fields}, allow_redirects=False, timeout=10
            )
            codes.append(response.status_code)
        assert codes == [302, 302, 302, 429, 429]
    finally:
        site.stop()
    for log in logs:
        lines = [line for line in log.read_text().splitlines() if "/tycktill/" in line]
        assert lines, "the access log records requests"
        for line in lines:
            assert "127.0.0.1" not in line and UA_MARK not in line, line
