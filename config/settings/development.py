"""Local development and `make demo`: SQLite, e-mail into files, debug on."""

import hashlib
import os

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-" + "x" * 40
# Not secret: derived from SECRET_KEY. Production requires its own AUDIT_HMAC_KEY (AVG-4).
AUDIT_HMAC_KEY = (
    os.environ.get("AUDIT_HMAC_KEY") or hashlib.sha256(f"audit-chain:{SECRET_KEY}".encode()).hexdigest()
)
# The demo writes e-mail into var/mail/ instead of sending it.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(BASE_DIR / "var" / "mail")},
    }
}
(BASE_DIR / "var").mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
AUDIT_REQUIRE_LABELS = True
