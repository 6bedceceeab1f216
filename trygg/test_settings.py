"""Settings for the test suite: the real settings plus a fast hasher and immediate tasks.

SQLite by default; PostgreSQL when DATABASE_URL is set (as .ci/run does).
"""

import os

os.environ.setdefault("TRYGG_DEV", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests log in with passwords and the test client (no request for axes): throttling and the second factor
# are off, and turned on with override_settings by the tests of trygg/accounts/tests/test_login_security.py.
AXES_ENABLED = False
TRYGG_REQUIRE_2FA = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Tests wait for no disk flush on commit (a test database is thrown away): the many transactional tests
    # (browser tests, TRUNCATE between them) run markedly faster. Per connection; the server is unchanged.
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = (_options.get("options", "") + " -c synchronous_commit=off").strip()
