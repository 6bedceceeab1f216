"""gunicorn settings for Trygg (see docs/deployment.md).

    gunicorn -c deploy/gunicorn.conf.py trygg.wsgi

Every value can be overridden with the environment variable named next to it. The access log has no
client address (%(h)s), no user agent (%(a)s) and no referrer (%(f)s): the public dialog promises that no IP
address or user agent is kept, and a log file is kept. gunicorn's own error messages that name an address
("Invalid request from ip=…") have it replaced (trygg.dialog.log_privacy.ScrubAddresses).
"""

import logging
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 or more workers: a slow request (a report PDF) must not hold up the public form. Threads let a worker
# overlap database and Redis round trips.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Request-line and header limits (gunicorn's defaults, stated): the body limit of the dialog is enforced
# by the app (DIALOG_MAX_BODY_BYTES) and by the reverse proxy (client_max_body_size).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# time, request line, status, response size, duration in ms. No %(h)s, %(a)s, %(f)s, %({...}i)s.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
# Behind a reverse proxy on the same machine; the proxy must not log addresses either.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def _scrub() -> None:
    from trygg.dialog.log_privacy import ScrubAddresses

    for name in ("gunicorn.error", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubAddresses) for f in logger.filters):
            logger.addFilter(ScrubAddresses())


def on_starting(server):
    _scrub()


def post_fork(server, worker):
    _scrub()
