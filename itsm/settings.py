"""Settings for the whole product, driven by environment variables (see README).

With no environment set the product runs embedded: SQLite, e-mail written to files under
``var/outbox`` and background work through a file-based Celery broker under ``var/broker``.
Setting ``DATABASE_URL``, ``CELERY_BROKER_URL`` and ``EMAIL_HOST`` makes it production.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from identity.config import parse_role_map
from itsm import env
from itsm.logging import CLIENT_CAUSED
from itsm.outbound import parse_allowlist
from messaging.secrets import parse_keys

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("ITSM_VAR_DIR", str(BASE_DIR / "var")))
# The embedded default keeps its database, outbox and queue here; create it on first use.
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Like healthchecks: on by default for a local checkout; production sets DEBUG=0, which also
# makes SECRET_KEY and DATABASE_URL mandatory.
DEBUG = env.boolean("DEBUG", default=True)
_DEV_SECRET = "dev-only-insecure-key-never-used-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = env.string("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and not env.is_set("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set when DEBUG is off.")

ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])


def _served_at() -> str:
    """Where this process serves when run locally: HOST and PORT, which `make run` (and
    `manage.py run_local`) set from the address it serves on, so `make run PORT=8001`
    mails links to port 8001. An address that listens everywhere is linked as 127.0.0.1."""
    host = env.string("HOST", "127.0.0.1")
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - only compared
    return f"http://{f'[{host}]' if ':' in host else host}:{env.integer('PORT', 8000)}"


# Absolute links in e-mails and pages; set it wherever the site is not reached locally.
SITE_URL = env.string("SITE_URL", _served_at()).rstrip("/")
CSRF_TRUSTED_ORIGINS = env.string_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "itsm.apps.ItsmAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "incidents",
    "notifications",
    "portal",
    "api",
    "integrations",
    "problems",
    "reviews",
    "reports",
    "email_intake",
    "messaging",
    "oncall",
    "paging",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "identity",
    "preparedness",
    "satisfaction",
    "drills",
    "statuspage",
    "knowledge",
    "profiles",
]

MIDDLEWARE = [
    # Probes answer before host checks and HTTPS redirects: orchestrators call them by IP.
    "itsm.probes.ProbeMiddleware",
    "itsm.middleware.NoFaviconMiddleware",  # before sessions: nothing to look up
    "django.middleware.security.SecurityMiddleware",
    "itsm.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's Accept-Language, else LANGUAGE_CODE; a saved preference wins below.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # After CSRF, so an unsafe method without a token is still refused as such.
    "itsm.middleware.PageMethodsMiddleware",
    "itsm.middleware.PageInputMiddleware",
    # Django's AuthenticationMiddleware, with the user row from the shared cache.
    "itsm.user_cache.CachedUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "profiles.middleware.ProfileLocaleMiddleware",  # the person's language and time zone
    # request.user.is_verified(); then staff who signed in with a password are asked for
    # their second factor before anything else (identity/middleware.py).
    "django_otp.middleware.OTPMiddleware",
    "identity.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "itsm.outage.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "itsm.urls"
# Django's form renderer, with inputs and selects written out in Python (same HTML).
FORM_RENDERER = "itsm.form_renderer.FastWidgetsRenderer"
WSGI_APPLICATION = "itsm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "itsm" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "itsm.context_processors.product",
            ],
            "builtins": ["itsm.templatetags.bidi"],
            # `itsm` is not an installed app: its own tag libraries are named here.
            "libraries": {"admin_rows": "itsm.templatetags.admin_rows"},
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env.string("DATABASE_URL", f"sqlite:///{VAR_DIR / 'itsm.sqlite3'}"),
        conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast rather than hang while the database is unreachable or a query runs away:
    # the request then answers 503 (itsm/outage.py) within seconds. Keepalives and the TCP
    # user timeout notice a database host that vanished without closing the connection.
    _statement_ms = env.integer("DATABASE_STATEMENT_TIMEOUT", 10) * 1000
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env.integer("DATABASE_CONNECT_TIMEOUT", 3),
        "options": f"-c statement_timeout={_statement_ms}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 2,
        "tcp_user_timeout": 10000,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent portal users and the embedded worker share the file: wait, don't fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Permission checks from the cache (itsm/permissions_cache.py); it signs nobody in.
    "itsm.permissions_cache.CachedPermissionsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/portal/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
ITSM_ALLOW_SIGNUP = env.boolean("ITSM_ALLOW_SIGNUP", False)
# Reports one user may submit from the portal per hour (0: no limit).
ITSM_REPORT_RATE_LIMIT = env.integer("ITSM_REPORT_RATE_LIMIT", 10)
# "Did this solve your problem?" answers one client address may give per hour (0: no limit).
ITSM_KB_FEEDBACK_RATE_LIMIT = env.integer("ITSM_KB_FEEDBACK_RATE_LIMIT", 30)

# Brute-force lockout: 5 failures per username+IP locks for 30 minutes.
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.boolean("AXES_ENABLED", True)
# Behind N reverse proxies (compose: 1) the client is the Nth address from the right of
# X-Forwarded-For (itsm/client_ip.py); lockouts then count per client, not per proxy. They
# live in the database, so every web container sees the same counters.
ITSM_TRUSTED_PROXIES = env.integer("ITSM_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "itsm.client_ip.client_ip"

# --- Single sign-on and two-factor (README "Single sign-on") ----------------------------------
# OpenID Connect with mozilla-django-oidc; everything below stays off while OIDC_ISSUER is
# unset. Endpoints and keys come from the issuer's discovery document (identity/discovery.py).
OIDC_ISSUER = env.string("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = env.string("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env.string("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = " ".join(env.string("OIDC_SCOPES", "openid email profile").split())
OIDC_GROUPS_CLAIM = env.string("OIDC_GROUPS_CLAIM", "groups")
OIDC_ROLE_MAP = parse_role_map("OIDC_ROLE_MAP", env.string("OIDC_ROLE_MAP", ""))
# When set, only members of these provider groups may sign in (others see a clear refusal);
# unset, anyone the provider signs in gets at least an end-user account.
OIDC_ALLOWED_GROUPS = env.string_list("OIDC_ALLOWED_GROUPS", [])
OIDC_ONLY = env.boolean("OIDC_ONLY", False)
OIDC_PROVIDER_NAME = env.string("OIDC_PROVIDER_NAME", "")
if OIDC_ISSUER:
    if not OIDC_RP_CLIENT_ID or not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured("OIDC_SCOPES must include `openid`.")
    AUTHENTICATION_BACKENDS.append("identity.backends.OidcBackend")
elif OIDC_ONLY:
    raise ImproperlyConfigured("OIDC_ONLY=1 needs OIDC_ISSUER (nobody could sign in).")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the hint for RP-initiated logout
OIDC_TIMEOUT = env.integer("OIDC_TIMEOUT", 5)
# A sign-in started longer ago than this is refused as expired (identity/views.py).
OIDC_STATE_MAX_AGE = env.integer("OIDC_STATE_MAX_AGE", 600)
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = LOGIN_URL
# TOTP with recovery codes (django-otp) for accounts that sign in with a password; when on,
# staff must enrol before they can use anything.
ITSM_STAFF_2FA = env.boolean("ITSM_STAFF_2FA", False)
OTP_TOTP_ISSUER = env.string("OTP_TOTP_ISSUER", "IT Service Desk")

# --- I18N / time --------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.string("TIME_ZONE", "UTC")
USE_I18N = True
# English is the source language; German and French ship translated (README "Languages").
# Names in their own language, so a reader finds theirs whatever the page's language.
LANGUAGES = [("en-gb", "English"), ("de", "Deutsch"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Attachments live outside any served folder; they are streamed by permission-checked views.
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/attachments-are-not-served-directly/"
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
ITSM_ATTACHMENT_MAX_BYTES = env.integer("ITSM_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Every JSON body (REST API, monitoring intake) is decoded by itsm.jsonbody within these.
ITSM_JSON_MAX_DEPTH = env.integer("ITSM_JSON_MAX_DEPTH", 64)
ITSM_JSON_MAX_KEYS = env.integer("ITSM_JSON_MAX_KEYS", 1000)
ITSM_JSON_MAX_ITEMS = env.integer("ITSM_JSON_MAX_ITEMS", 10000)
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
# Where attachments live: the local disk (MEDIA_ROOT, the default) or, with ITSM_STORAGE=s3,
# an S3-compatible bucket through django-storages, so that any web container serves a file
# another one received. The AWS_* variables are django-storages' own (read even with disk
# storage, for `move_attachments --to s3`); without an access key boto3 uses its usual
# chain (instance or pod role). The bucket stays private: objects are written with no ACL,
# downloads are streamed by the permission-checked views (incidents/downloads.py), and a URL,
# if anything ever asks for one, is presigned and expires in 30 seconds.
ITSM_STORAGE = env.string("ITSM_STORAGE", "disk")
if ITSM_STORAGE not in ("disk", "s3"):
    raise ImproperlyConfigured(f"ITSM_STORAGE={ITSM_STORAGE!r}: use disk or s3.")
AWS_STORAGE_BUCKET_NAME = env.string("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env.string("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = env.string("AWS_S3_REGION_NAME") or None
AWS_ACCESS_KEY_ID = env.string("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = env.string("AWS_SECRET_ACCESS_KEY") or None
# Self-hosted stores (versitygw, MinIO, moto) answer on one host name: path-style URLs.
AWS_S3_ADDRESSING_STYLE = env.string(
    "AWS_S3_ADDRESSING_STYLE", "path" if AWS_S3_ENDPOINT_URL else "auto"
)
AWS_LOCATION = env.string("AWS_LOCATION", "")
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_DEFAULT_ACL = None
AWS_S3_FILE_OVERWRITE = False
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = 30
if ITSM_STORAGE == "s3":
    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("ITSM_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}

# --- E-mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "IT Service Desk <servicedesk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ITSM_REPLY_TO_EMAIL = env.string("ITSM_REPLY_TO_EMAIL", "")
if env.is_set("EMAIL_HOST"):
    EMAIL_BACKEND = "itsm.mail.EmailBackend"  # Django's SMTP backend, see itsm/mail.py
    EMAIL_HOST = env.string("EMAIL_HOST")
    EMAIL_PORT = env.integer("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.string("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 20)
else:
    # Embedded default: every message is a file a person can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "outbox"

# --- Celery -----------------------------------------------------------------------------------
if env.is_set("CELERY_BROKER_URL"):
    CELERY_BROKER_URL = env.string("CELERY_BROKER_URL")
    # An unacknowledged message of a killed worker goes back on the queue after this; work
    # a dead worker held is taken over sooner through claim leases and sweeps (below).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
else:
    # Embedded default: a folder is the queue, so `make run` needs no Redis.
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Exchange tables too, instead of a `control/` folder wherever the process started.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Reliability: a task is acknowledged only once it finished; a worker killed mid-task
# leaves it on the queue for another worker. Tasks are idempotent, so a re-run is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A request must never hang on a dead broker: publish retries are few and short, and the
# event outbox (incidents.IncidentEvent) is swept so nothing is lost meanwhile.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Retry countdowns stay under the visibility timeout (itsm.celery.capped_countdown).
ITSM_TASK_MAX_COUNTDOWN = 480
# A worker's claim on a notification or webhook delivery lapses this long after its last
# renewal (itsm/leases.py); then the reclaim sweep hands the row to another worker.
ITSM_CLAIM_LEASE_SECONDS = env.integer("ITSM_CLAIM_LEASE_SECONDS", 60)
CELERY_TASK_ALWAYS_EAGER = env.boolean("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "sweep-event-outbox": {"task": "incidents.tasks.sweep_event_outbox", "schedule": 60.0},
    "check-heartbeats": {"task": "integrations.tasks.check_heartbeats", "schedule": 60.0},
    # Monitoring deliveries the broker never heard of (it was down): drained within seconds.
    "sweep-deliveries": {"task": "integrations.tasks.sweep_deliveries", "schedule": 5.0},
    "resolve-quiet-groups": {"task": "integrations.tasks.resolve_quiet_groups", "schedule": 60.0},
    "check-sla-clocks": {"task": "incidents.tasks.check_sla_clocks", "schedule": 60.0},
    "auto-close-resolved": {"task": "incidents.tasks.auto_close_resolved", "schedule": 300.0},
    "sweep-notifications": {"task": "notifications.tasks.sweep_notifications", "schedule": 60.0},
    # Escalation steps and delayed pages are due to the minute: look often (cheap when idle).
    "advance-escalations": {"task": "paging.tasks.advance_escalations", "schedule": 15.0},
    "reclaim-notifications": {
        "task": "notifications.tasks.reclaim_notifications",
        "schedule": 15.0,
    },
    "sweep-webhook-deliveries": {"task": "api.tasks.sweep_webhook_deliveries", "schedule": 15.0},
    "sweep-channel-messages": {
        "task": "messaging.tasks.sweep_channel_messages",
        "schedule": 60.0,
    },
    "remind-overdue-action-items": {
        "task": "reviews.tasks.remind_overdue_action_items",
        "schedule": 3600.0,
    },
    "statuspage-refresh-uptime": {"task": "statuspage.tasks.refresh_uptime", "schedule": 300.0},
    "statuspage-check-maintenance": {
        "task": "statuspage.tasks.check_maintenance",
        "schedule": 60.0,
    },
}

# --- Outgoing requests (itsm/outbound.py) ----------------------------------------------------
# Webhooks reach public addresses only, unless listed here (addresses or networks, e.g.
# "10.20.0.0/16,127.0.0.1"): an explicit exception for receivers inside your own network.
ITSM_OUTBOUND_ALLOWLIST = env.string_list("ITSM_OUTBOUND_ALLOWLIST", [])
try:
    parse_allowlist(ITSM_OUTBOUND_ALLOWLIST)
except ValueError as _error:
    raise ImproperlyConfigured(f"ITSM_OUTBOUND_ALLOWLIST: {_error}") from _error

# --- Secrets at rest (messaging/secrets.py) ---------------------------------------------------
# Channel URLs and contact targets are encrypted with this Fernet key (several, comma-
# separated, to rotate: the first encrypts, all decrypt). Unset: derived from SECRET_KEY.
ITSM_SECRETS_KEY = env.string_list("ITSM_SECRETS_KEY", [])
parse_keys(ITSM_SECRETS_KEY)

# --- Cache ----------------------------------------------------------------------------------
if env.is_set("REDIS_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "itsm.cache.RedisCache",
            "LOCATION": env.string("REDIS_CACHE_URL"),
        }
    }
    # Sessions read from the shared cache (written through to the database): one query
    # less on every signed-in request. Only with a shared cache: with a per-process one,
    # a session ended in one process would live on in another's memory.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Per process. Room for every user's cached locale and the rules' snapshots: at the
    # default 300 entries a busy process (or the test suite) culls a third at random.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Integrations send `Authorization: Bearer <token>`; the session serves the browsable API.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.string("ITSM_API_RATE", "600/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ITSM incident management API",
    "DESCRIPTION": "The incident lifecycle over HTTP for scripts, chat bots and other tools. "
    "Authenticate with `Authorization: Bearer <token>`; errors share one JSON shape.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Swagger UI from drf-spectacular-sidecar: served by us, so the CSP (script-src 'self')
    # holds and the docs work without internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True},
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "incidents.choices.Level",
        "PriorityEnum": "incidents.choices.Priority",
    },
}

# --- Product rules (defaults; managers change most of them in the admin) -----------------------
ITSM_REOPEN_WINDOW = timedelta(days=env.integer("ITSM_REOPEN_WINDOW_DAYS", 7))
ITSM_AUTO_CLOSE_AFTER = timedelta(days=env.integer("ITSM_AUTO_CLOSE_DAYS", 3))
ITSM_SLA_WARN_PERCENT = env.integer("ITSM_SLA_WARN_PERCENT", 75)
ITSM_BUSINESS_TIME_ZONE = env.string("ITSM_BUSINESS_TIME_ZONE", TIME_ZONE)
# The team (by slug) responsible for incidents no team, service owner or routing rule
# claims (README "Routing"); created on first use if it does not exist.
ITSM_FALLBACK_TEAM = env.slug("ITSM_FALLBACK_TEAM", "service-desk")
# The team (by slug) whose members see every confidential incident, beside its reporter,
# its assignee and the incident managers (incidents/visibility.py).
ITSM_SECURITY_TEAM = env.slug("ITSM_SECURITY_TEAM", "security")
# A service, title or alert key with this many unlinked incidents within the window is
# suggested as a problem record.
# How long the one-click acknowledge link of a page works.
ITSM_ACK_LINK_HOURS = env.integer("ITSM_ACK_LINK_HOURS", 24)
ITSM_RECURRENCE_THRESHOLD = env.integer("ITSM_RECURRENCE_THRESHOLD", 3)
ITSM_RECURRENCE_WINDOW_DAYS = env.integer("ITSM_RECURRENCE_WINDOW_DAYS", 30)

# --- Satisfaction ratings (README "Satisfaction ratings") ---------------------------------------
# A score at or under this notifies the team lead (0 turns it off);
# the rating links of the resolved mail work this many days.
ITSM_CSAT_LOW_SCORE = env.integer("ITSM_CSAT_LOW_SCORE", 2)
ITSM_CSAT_LINK_DAYS = env.integer("ITSM_CSAT_LINK_DAYS", 30)
if not 0 <= ITSM_CSAT_LOW_SCORE <= 5 or ITSM_CSAT_LINK_DAYS < 1:
    raise ImproperlyConfigured(
        "ITSM_CSAT_LOW_SCORE must be 0 to 5 and ITSM_CSAT_LINK_DAYS at least 1."
    )

# --- E-mail intake (README "E-mail intake") ----------------------------------------------------
# Unknown senders are ignored unless this creates end-user accounts (no usable password) for them.
ITSM_EMAIL_CREATE_UNKNOWN_USERS = env.boolean("ITSM_EMAIL_CREATE_UNKNOWN_USERS", False)
# Optional IMAP polling (IMAP over TLS); off while ITSM_IMAP_HOST is unset.
ITSM_IMAP_HOST = env.string("ITSM_IMAP_HOST", "")
ITSM_IMAP_PORT = env.integer("ITSM_IMAP_PORT", 993)
ITSM_IMAP_USER = env.string("ITSM_IMAP_USER", "")
ITSM_IMAP_PASSWORD = env.string("ITSM_IMAP_PASSWORD", "")
ITSM_IMAP_FOLDER = env.string("ITSM_IMAP_FOLDER", "INBOX")
# The server's certificate is verified; a private authority's certificate (PEM) goes here.
ITSM_IMAP_CA_FILE = env.string("ITSM_IMAP_CA_FILE", "")
ITSM_IMAP_POLL_SECONDS = env.integer("ITSM_IMAP_POLL_SECONDS", 60)
if ITSM_IMAP_HOST:
    if not ITSM_IMAP_USER or not ITSM_IMAP_PASSWORD:
        raise ImproperlyConfigured("ITSM_IMAP_HOST needs ITSM_IMAP_USER and ITSM_IMAP_PASSWORD.")
    CELERY_BEAT_SCHEDULE["poll-imap-mailbox"] = {
        "task": "email_intake.tasks.poll_imap",
        "schedule": float(ITSM_IMAP_POLL_SECONDS),
    }

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only for a plain-HTTP demo (compose on http://localhost); never behind HTTPS.
    SESSION_COOKIE_SECURE = env.boolean("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env.boolean("CSRF_COOKIE_SECURE", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"as_warning": {"()": "itsm.logging.AsWarning"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # The embedded folder broker has no host; kombu warns about it on every start.
        "kombu.connection": {"level": "ERROR"},
        # Apprise's own lines may quote a URL's token or topic: messaging.delivery collects
        # them, blanks the secrets out and logs the result instead.
        "apprise": {"level": "WARNING", "handlers": [], "propagate": False},
        **{f"django.security.{name}": {"filters": ["as_warning"]} for name in CLIENT_CAUSED},
    },
}
