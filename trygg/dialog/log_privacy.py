"""Keep client addresses and user agents out of log records.

Django attaches the request to its own log records (``django.request`` for 4xx/5xx responses,
``django.security.*`` for a CSRF failure or a suspicious request) and ``runserver`` attaches the client
socket (``django.server``). A formatter does not print them, but any handler that does (an e-mail to the
admins, an error tracker) would send the client's address and user agent along. This filter removes those
attributes from the record before any handler sees it; :class:`~trygg.dialog.apps.DialogConfig` installs it
on those loggers at start-up. The access log of gunicorn is configured without the remote address in
``deploy/gunicorn.conf.py``.
"""

from __future__ import annotations

import logging
import re

LOGGERS = (
    "django.request",
    "django.server",
    "django.security",
    "django.security.csrf",
    "django.security.DisallowedHost",
    "django.security.DisallowedRedirect",
    "django.security.RequestDataTooBig",
    "django.security.TooManyFieldsSent",
    "django.security.TooManyFilesSent",
    "django.security.SuspiciousOperation",
    "django.security.SuspiciousFileOperation",
    "django.security.SuspiciousMultipartForm",
    "django.security.SuspiciousSession",
    "gunicorn.access",
    "gunicorn.error",
)
DROPPED = ("request", "client_addr", "remote_addr")


class DropClientIdentity(logging.Filter):
    """Remove the request (and with it META: REMOTE_ADDR, HTTP_USER_AGENT) from a record; keep the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name in DROPPED:
            if name in record.__dict__:
                del record.__dict__[name]
        return True


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, DropClientIdentity) for f in logger.filters):
            logger.addFilter(DropClientIdentity())


# IPv4, and IPv6 written with at least two colons (hex groups); used on servers' own messages such as
# gunicorn's "Invalid request from ip=…".
_ADDRESS = re.compile(
    r"(?<![\w.:])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])"
    r"|(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:])"
)
REPLACEMENT = "[adress borttagen]"


def scrub_addresses(text: str) -> str:
    return _ADDRESS.sub(REPLACEMENT, text)


class ScrubAddresses(logging.Filter):
    """Replace IP addresses in a record's message (after formatting) and drop the request attributes.
    For loggers whose messages are built with the address in them (gunicorn.error)."""

    def filter(self, record: logging.LogRecord) -> bool:
        DropClientIdentity().filter(record)
        message = record.getMessage()
        cleaned = scrub_addresses(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
