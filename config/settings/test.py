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
# Each suite writes under its own folder, var/test-<run>/ (TEST_RUN, else the database engine): `make test`
# runs the SQLite and the PostgreSQL suite side by side in one checkout, and they must not share files.
TEST_RUN = os.environ.get("TEST_RUN") or (
    "postgres" if "postgresql" in DATABASES["default"]["ENGINE"] else "sqlite"
)
TEST_VAR = BASE_DIR / "var" / f"test-{TEST_RUN}"
# Tests get their own MEDIA_ROOT (tests/conftest.py, tmp_path); this one is for module-wide set-up.
MEDIA_ROOT = TEST_VAR / "media"
AUDIT_CHECKPOINT_DIR = MEDIA_ROOT / "audit-checkpoints"
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
PURGE_JOURNAL = TEST_VAR / "purge-journal.jsonl"

# schools.sql_shapes: every call that binds into a kept SQL text also compiles the plain queryset and checks
# they agree (a value kept for the next viewer or school fails the test that meets it; issue #13 §2).
SQL_SHAPES_VERIFY = True
