"""Settings shared by every environment. Secrets and the database come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "schools",
    "audit",
    "protocols",
    "dossier",
    "messaging",
    "signatures",
    "deadlines",
    "portal",
    "reviews",
    "behaviour",
    "measures",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # AVG-4: every response after the static files is `Cache-Control: no-store`.
    "schools.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "schools.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "schools.middleware.SessionIdleTimeoutMiddleware",
    "schools.middleware.SchoolScopeMiddleware",
    # A control character in any query-string or form field: a Dutch 400 before any view runs.
    "schools.cleaning.HostileInputMiddleware",
    # After SchoolScopeMiddleware: it reads the user's schools that one loaded (no extra query).
    "schools.middleware.TwoFactorRequiredMiddleware",
    # Axes must be last: it turns a lock-out into a response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_USER_MODEL = "schools.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Templates are compiled once per process (the cached loader, stated explicitly; runserver's
# autoreloader empties it when a template changes).
TEMPLATE_LOADERS = [
    (
        "django.template.loaders.cached.Loader",
        ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
    )
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "loaders": TEMPLATE_LOADERS,
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schools.context_processors.current_school",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'var' / 'leerlingzorg.sqlite3'}")
}


def database_connections(database: dict, mode: str) -> dict:
    """How a process keeps its PostgreSQL connections (issue #13; figures in docs/scaling.md).

    - "persistent" (default): each gunicorn worker keeps its connection (CONN_MAX_AGE seconds,
      checked before reuse with CONN_HEALTH_CHECKS). A sync worker serves one request at a time,
      so one connection per worker is all a pool would hold; no new connection per request
      (8-14 ms each before).
    - "pool": psycopg's connection pool (psycopg-pool; Django's OPTIONS["pool"]), for threaded
      workers; measured no faster than "persistent" with sync workers.
    - "none": a new connection per request (Django's default; what we had).
    """
    if not database.get("ENGINE", "").endswith("postgresql"):
        return database
    database = {**database, "OPTIONS": dict(database.get("OPTIONS", {}))}
    if mode == "pool":
        database["CONN_MAX_AGE"] = 0  # Django refuses persistent connections together with a pool
        database["OPTIONS"]["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DB_POOL_MAX", "4")),
            "timeout": 10,
        }
    elif mode == "persistent":
        database["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "600"))
        database["CONN_HEALTH_CHECKS"] = True
    else:
        database["CONN_MAX_AGE"] = 0
    return database


DB_CONNECTIONS = os.environ.get("DB_CONNECTIONS", "persistent")
DATABASES["default"] = database_connections(DATABASES["default"], DB_CONNECTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# AVG-4: the audit chain's HMAC key comes from the environment and is never stored in the database;
# production refuses to start without it (development and tests derive one from SECRET_KEY).
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
# Signed checkpoints of the audit chains' heads, outside the database (point it at the back-up folder).
# Tests and development refuse an audit code without a label (AVG-4); production never refuses a write.
AUDIT_REQUIRE_LABELS = False
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR", MEDIA_ROOT / "audit-checkpoints"))
# Backups (manage.py backup/restore): the Fernet key from the environment, never stored with them; the
# purge journal outside the database and the media folder, so a restore can replay the purges (AVG-3).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
PURGE_JOURNAL = Path(os.environ.get("PURGE_JOURNAL", BASE_DIR / "var" / "purge-journal.jsonl"))
SERIALIZATION_MODULES = {"exactjson": "ops.serializer"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sessions end after inactivity (SessionIdleTimeoutMiddleware) and at browser close.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock-out after repeated failures, per user name and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

OTP_TOTP_ISSUER = "Leerlingzorg"

# Content Security Policy (Django's own): nothing from outside, scripts only our own files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# E-mail (Django 6.1 MAILERS): SMTP in production, configured from the environment.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            "timeout": 30,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leerlingzorg <noreply@leerlingzorg.invalid>")

# Background work: Django's tasks framework, stored in the database, run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Uploads: checked by content; the limit is per school (default 20 MB) but never above this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Behind a reverse proxy (TLS terminator), set how many proxies add X-Forwarded-For, so the audit
# log and the lock-out see the client's address, not the proxy's.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
