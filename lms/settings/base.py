"""Settings shared by every environment.

Environment-specific modules (``dev``, ``production``, ``test``) import this
and set ``DEBUG`` and ``SECRET_KEY``; everything else is declared here, with
defaults that are safe when ``DEBUG`` is off.
"""

import datetime

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from common.datafolder import data_secret

from .env import BASE_DIR, DATA_DIR, env

PROJECT_DIR = BASE_DIR / "lms"
LMS_DATA_DIR = DATA_DIR

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
LMS_PORT = env.int("LMS_PORT", default=8000)
LMS_BASE_URL = env.str("LMS_BASE_URL", default=f"http://127.0.0.1:{LMS_PORT}")
LMS_PROGRAM_NAME = env.str("LMS_PROGRAM_NAME", default="Commons Code Residency")

INSTALLED_APPS = [
    "lms.people",
    "lms.cohorts",
    "courses",
    "assignments",
    "lms.hub",
    "lms.mentoring",
    "lms.fieldwork",
    "lms.attendance",
    "lms.commitments",
    "lms.events",
    "lms.officehours",
    "lms.calendars",
    "lms.notifications",
    "lms.community",
    "lms.placement",
    "lms.conversation",
    "lms.scheduler",
    "lms.reporting",
    "lms.demo",
    "oauth2_provider",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_ratelimit",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.csp.SiteAndAdminCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
# from one address, that pair is locked for AXES_COOLOFF_TIME, on the site's and the admin's
# sign-in alike. Staff unlock from the admin (Settings → Locked sign-ins).
AUTHENTICATION_BACKENDS = [
    "lms.people.backends.SignInThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LMS_SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LMS_SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Rate limits (django-ratelimit) on what costs mail or grading time. Counts live in the cache.
# By default that is each web process's own memory: right for one process (make run); with N
# processes a limit is at most N times as loose. Several processes share one by setting
# CACHE_URL (for instance redis://cache:6379/0 with the redis package installed).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://lms")}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Content-Security-Policy (django-csp) on every response. The site's own scripts are files
# ('self'); an inline one needs the request's nonce. Residents' notebook HTML is shown only in
# empty sandboxed frames (srcdoc), which this policy does not loosen. Inline style attributes
# stay allowed: the templates use a few, and styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [
            SELF,
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],  # fmt: skip
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
    }
}
# Wagtail's admin (and its previews) run a few inline scripts of their own.
LMS_ADMIN_CSP_PREFIXES = ["/admin/"]
LMS_ADMIN_CSP = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "https:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF, "https:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [SELF],
}
RATELIMIT_VIEW = "lms.people.views.rate_limited"
LMS_PASSWORD_RESET_RATE = env.str("LMS_PASSWORD_RESET_RATE", default="3/h")
LMS_PASSWORD_RESET_ADDRESS_RATE = env.str("LMS_PASSWORD_RESET_ADDRESS_RATE", default="20/h")
LMS_SUBMISSION_RATE = env.str("LMS_SUBMISSION_RATE", default="20/h")
LMS_TOKEN_RATE = env.str("LMS_TOKEN_RATE", default="30/m")

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'lms.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web process and grading workers
    # share one SQLite file without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Django's default hashers for passwords; the last one is for OAuth client secrets only.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "lms.hub.hashers.ClientSecretHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("LMS_TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="residency@localhost")

# "default" grades submissions; "feedback" renders feedback afterwards.
TASK_QUEUES = ["default", "feedback"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

# Grading: student code runs as this user (when the worker is root), within these limits.
LMS_SANDBOX_USER = env.str("LMS_SANDBOX_USER", default="nobody")
LMS_GRADER_ISOLATE_NETWORK = env.bool("LMS_GRADER_ISOLATE_NETWORK", default=True)
LMS_GRADER_CACHE_DIR = DATA_DIR / "cache" / "gradebooks"
LMS_GRADER_LIMITS = {
    "memory_bytes": env.int("LMS_GRADER_MEMORY_MB", default=1536) * 1024 * 1024,
    "processes": env.int("LMS_GRADER_PROCESSES", default=256),
    "file_size_bytes": env.int("LMS_GRADER_FILE_SIZE_MB", default=64) * 1024 * 1024,
    "cpu_seconds": env.int("LMS_GRADER_CPU_SECONDS", default=300),
    "cell_timeout": env.int("LMS_GRADER_CELL_TIMEOUT", default=30),
    "notebook_timeout": env.int("LMS_GRADER_NOTEBOOK_TIMEOUT", default=300),
}
# A worker holds a hand-in for its notebooks' time limits plus this margin (files, kernel start,
# storing the result); a lease that runs out means the worker is gone, and the hand-in is queued
# again. Lower it only for trials and tests that kill workers on purpose.
LMS_GRADING_LEASE_MARGIN_SECONDS = env.int("LMS_GRADING_LEASE_MARGIN_SECONDS", default=60)
LMS_SUBMISSION_LIMITS = {
    "max_files": env.int("LMS_SUBMISSION_MAX_FILES", default=50),
    "max_file_bytes": env.int("LMS_SUBMISSION_MAX_FILE_MB", default=10) * 1024 * 1024,
    "max_total_bytes": env.int("LMS_SUBMISSION_MAX_TOTAL_MB", default=25) * 1024 * 1024,
}

# Security headers that cost nothing over plain HTTP. The HTTPS-only ones are
# switched on together by LMS_HTTPS once a TLS proxy sits in front.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LMS_HTTPS = env.bool("LMS_HTTPS", default=False)
if LMS_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

WAGTAIL_SITE_NAME = LMS_PROGRAM_NAME
WAGTAILADMIN_BASE_URL = LMS_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILEMBEDS_FINDERS = [
    {"class": "courses.embed_finders.PrivacyVideoFinder"},
    {"class": "wagtail.embeds.finders.oembed"},
]
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "zip", "ipynb", "md"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per background task is noise in a terminal; failures still show.
    "loggers": {
        "django_tasks": {"level": env.str("TASKS_LOG_LEVEL", default="WARNING")},
        "django_tasks_db": {"level": env.str("TASKS_LOG_LEVEL", default="WARNING")},
        # nbgrader logs each restored checksum through traitlets; the grading notes say it better.
        "traitlets": {"level": "ERROR"},
    },
}

# JupyterHub signs residents in through the LMS, which is its OAuth2 provider.
# LMS_HUB_URL is where browsers reach the hub; the client secret and the hub
# API token are shared through the data folder unless the environment sets them.
LMS_HUB_PORT = env.int("HUB_PORT", default=8001)
LMS_HUB_URL = env.str("LMS_HUB_URL", default=f"http://127.0.0.1:{LMS_HUB_PORT}").rstrip("/")
LMS_HUB_API_URL = env.str("LMS_HUB_API_URL", default=f"{LMS_HUB_URL}/hub/api").rstrip("/")
# A resident's notebook server starts in the background when they open a lesson with a notebook
# (or sign in during class hours), at most once per idle-culler period.
LMS_HUB_PRESTART = env.bool("LMS_HUB_PRESTART", default=True)
LMS_HUB_PRESTART_EVERY_SECONDS = env.int("LMS_HUB_PRESTART_EVERY_SECONDS", default=3600)
LMS_HUB_CLIENT_ID = env.str("LMS_HUB_CLIENT_ID", default="jupyterhub")
LMS_HUB_CLIENT_SECRET = env.str("LMS_HUB_CLIENT_SECRET", default="") or data_secret(
    DATA_DIR, "hub-oauth-client-secret"
)
LMS_HUB_API_TOKEN = env.str("LMS_HUB_API_TOKEN", default="") or data_secret(
    DATA_DIR, "hub-api-token"
)
OAUTH2_PROVIDER = {
    "SCOPES": {
        "profile": "Your name, user name and roles",
        "exchange": "Fetch and submit your assignments, and read your feedback",
    },
    "DEFAULT_SCOPES": ["profile", "exchange"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("LMS_OAUTH_TOKEN_SECONDS", default=60 * 60),
    "REFRESH_TOKEN_EXPIRE_SECONDS": 60 * 60 * 24 * 14,
    "ROTATE_REFRESH_TOKEN": True,
    "CLIENT_SECRET_HASHER": "client_secret_pbkdf2_sha256",
    "PKCE_REQUIRED": True,
    # The hub's redirect URI must match as registered, port and path included.
    "OAUTH2_VALIDATOR_CLASS": "lms.hub.oauth.ExactRedirectValidator",
}
