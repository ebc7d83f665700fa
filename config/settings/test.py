"""Tests: SQLite in memory unless DATABASE_URL names PostgreSQL; fast hashing; mail in memory."""

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "test-only-not-secret-" + "y" * 40
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
AXES_FAILURE_LIMIT = 5
ALLOWED_HOSTS = ["*"]
# Serve static files from the app folders; no collectstatic needed in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
