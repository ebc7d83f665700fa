"""Tests: SQLite in memory unless DATABASE_URL names PostgreSQL; fast hashing; mail in memory."""

import hashlib
import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, database_connections

SECRET_KEY = "test-only-not-secret-" + "y" * 40
# Not secret: derived from SECRET_KEY. Production requires its own AUDIT_HMAC_KEY (AVG-4).
AUDIT_HMAC_KEY = (
    os.environ.get("AUDIT_HMAC_KEY") or hashlib.sha256(f"audit-chain:{SECRET_KEY}".encode()).hexdigest()
)
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
AXES_FAILURE_LIMIT = 5
ALLOWED_HOSTS = ["*"]
# Serve static files from the app folders; no collectstatic needed in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
AUDIT_REQUIRE_LABELS = True

# A fake protocol app that registers one of each registry (tests/fakeprotocol), and its page.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.fakeprotocol"]  # noqa: F405
ROOT_URLCONF = "tests.fakeprotocol.urls"

# A new connection per test request unless asked (the bench settings keep production's choice):
# live-server threads and the worker subprocess then hold no connection between tests.
DATABASES["default"] = database_connections(DATABASES["default"], os.environ.get("DB_CONNECTIONS", "none"))
# The purge journal (ops.journal) of the tests; tests of the journal point it at their own folder.
PURGE_JOURNAL = BASE_DIR / "var" / "test-purge-journal.jsonl"
