"""`make bench-load`: production's choices (connections, cached templates, DEBUG off) on a throw-away
PostgreSQL, plus the bare view (ops.bench_urls) and a query counter per response (ops.middleware)."""

import hashlib
import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, DB_CONNECTIONS, MIDDLEWARE, database_connections

SECRET_KEY = os.environ.get("SECRET_KEY") or "bench-only-not-secret-" + "z" * 40
AUDIT_HMAC_KEY = hashlib.sha256(f"audit-chain:{SECRET_KEY}".encode()).hexdigest()
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "ops.bench_urls"
MIDDLEWARE = ["ops.middleware.QueryCountMiddleware", *MIDDLEWARE]
DATABASES["default"] = database_connections(DATABASES["default"], DB_CONNECTIONS)
MEDIA_ROOT = BASE_DIR / "var" / "bench-media"
AUDIT_CHECKPOINT_DIR = MEDIA_ROOT / "audit-checkpoints"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
