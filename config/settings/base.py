"""Settings for every environment, driven by environment variables only.

Nothing here reads a file or a service at import time beyond the environment, so the same module
serves a laptop (SQLite, no Redis), CI and production (PostgreSQL and Redis).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# A key that is only good for a laptop. It is refused below whenever DEBUG is off.
DEV_SECRET_KEY = "fumin-dev-only-secret-key-do-not-use-in-production-0123456789"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("FUMIN_DEBUG", True)
SECRET_KEY = os.environ.get("FUMIN_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "FUMIN_SECRET_KEY must be set when FUMIN_DEBUG is off (the development key is refused)."
    )
# Keys for personal data: resident ID numbers are encrypted with the first and de-duplicated with
# a keyed hash of the second. Both default to values derived from SECRET_KEY for a laptop.
FIELD_ENCRYPTION_KEY = os.environ.get("FUMIN_FIELD_ENCRYPTION_KEY", "")
FIELD_HASH_KEY = os.environ.get("FUMIN_FIELD_HASH_KEY", "")

ALLOWED_HOSTS = env_list("FUMIN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("FUMIN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks",
    "fumin.core",
    "fumin.accounts",
    "fumin.registry",
    "fumin.council",
    "fumin.registration",
    "fumin.activities",
    "fumin.lists",
    "fumin.kpis",
    "fumin.audit",
    "fumin.notifications",
    "fumin.transfer",
    "fumin.console",
    "fumin.portal",
    "fumin.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fumin.core.middleware.SessionIdleTimeoutMiddleware",
    "fumin.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fumin.core.middleware.LoginRequiredMiddleware",
    "fumin.accounts.middleware.MustChangePasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fumin.core.context_processors.shell",
                "fumin.notifications.context_processors.inbox_badge",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded SQLite file in WAL mode.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Values travel apart from the SQL (server-side binding), so a statement a connection
        # runs for the fifth time is prepared and PostgreSQL stops parsing and planning it on
        # every request. Django turns psycopg's preparation off unless ``prepare_threshold`` is
        # given: planning the check-in's read cost more than running it (bench/README.md).
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("FUMIN_SQLITE_PATH", str(BASE_DIR / "var" / "fumin.sqlite3")),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock
                # at the start of a transaction so two writers queue instead of failing mid-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Redis when REDIS_URL is set, else process memory and the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fumin",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Idle timeout: a session ends after this many seconds without activity (a shared phone at a
# sign-in desk must not stay logged in). Requests push the expiry forward through
# ``SessionIdleTimeoutMiddleware``, which saves the session at most once a minute
# (SESSION_TOUCH_SECONDS) rather than on every request, so a session ends between
# SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS and SESSION_COOKIE_AGE after the last request.
SESSION_COOKIE_AGE = int(os.environ.get("FUMIN_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout: this many failed logins for one mobile number within the window locks it for the window.
LOGIN_FAILURE_LIMIT = int(os.environ.get("FUMIN_LOGIN_FAILURE_LIMIT", 5))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("FUMIN_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60))
# Login attempts (mobile, IP, time) are deleted after this many days by `prune_login_attempts`.
LOGIN_ATTEMPT_KEEP_DAYS = int(os.environ.get("FUMIN_LOGIN_ATTEMPT_KEEP_DAYS", 180))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

# Outbound mail goes to the console on a laptop; set FUMIN_EMAIL_URL-style variables in production.
EMAIL_BACKEND = os.environ.get(
    "FUMIN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("FUMIN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FUMIN_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("FUMIN_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FUMIN_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("FUMIN_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("FUMIN_DEFAULT_FROM_EMAIL", "fumin@localhost")

# Outbound channels for notifications, by name; each is a class with send(notification).
NOTIFICATION_CHANNELS = {
    "email": "fumin.notifications.channels.EmailChannel",
    "sms": "fumin.notifications.channels.SmsChannel",
}
SMS_BACKEND = os.environ.get("FUMIN_SMS_BACKEND", "fumin.notifications.sms.ConsoleSmsBackend")

# Background work through Django's task API. The embedded default runs tasks one at a time in a
# background thread of the app process (imports answer at once and show their progress);
# FUMIN_TASK_BACKEND names another backend, e.g. a queue-backed one in production.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("FUMIN_TASK_BACKEND", "fumin.core.task_backends.ThreadBackend")
    }
}

# Security headers; the HTTPS ones switch on with FUMIN_HTTPS (behind a TLS-terminating proxy).
HTTPS = env_bool("FUMIN_HTTPS", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("FUMIN_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = int(os.environ.get("FUMIN_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FUMIN_LOG_LEVEL", "INFO")},
}

FUMIN_SITE_NAME = _("Fumin")

# Dual registration: registrations are re-confirmed every year on this day (MM-DD, Asia/Shanghai).
REGISTRATION_RECONFIRM_ON = os.environ.get("FUMIN_RECONFIRM_ON", "01-01")

# Dual reporting: how often service reports go back to a member's or unit's own party
# organisation ("half_year" or "year"; periods are decided in Asia/Shanghai).
FUMIN_MEMBER_REPORT_PERIOD = os.environ.get("FUMIN_MEMBER_REPORT_PERIOD", "half_year")
FUMIN_UNIT_REPORT_PERIOD = os.environ.get("FUMIN_UNIT_REPORT_PERIOD", "year")

# Activities: confirmed participants are reminded this many hours before the start
# (``manage.py send_activity_reminders``, run from cron).
FUMIN_ACTIVITY_REMINDER_HOURS = int(os.environ.get("FUMIN_ACTIVITY_REMINDER_HOURS", 24))
