"""Production: PostgreSQL from DATABASE_URL, secrets from the environment, HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
# AVG-4: the audit chain's key; never stored in the database, never the SECRET_KEY.
if len(os.environ.get("AUDIT_HMAC_KEY", "")) < 32 or os.environ["AUDIT_HMAC_KEY"] == os.environ["SECRET_KEY"]:
    raise ImproperlyConfigured(
        "AUDIT_HMAC_KEY must be set in the environment (at least 32 characters, not the SECRET_KEY)."
    )
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment (postgres://…).")

DEBUG = False
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
