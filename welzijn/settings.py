"""Settings, read from the environment with safe defaults.

Every variable is documented in the README. DEBUG is off unless asked for, and with DEBUG
off a missing DJANGO_SECRET_KEY stops start-up: a random fallback key would silently break
sessions and every signed link (previews, invitations, unsubscribe links) on restart.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WELZIJN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # Only for DEBUG: `make run` always passes the key it keeps under var/.
        SECRET_KEY = "django-insecure-debug-only-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment (DEBUG is off), "
            "or set DJANGO_DEBUG=1 for local development."
        )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else ["localhost"]
)
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Welzijn Nederland")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "welzijn.apps.WelzijnAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",  # the form widgets' templates, for FORM_RENDERER below
    "taggit",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Lowest first: an app imports only the apps above it (tests/test_layout.py).
    "outbox",
    "accounts",
    "trends",
    "blog",
    "comments",
    "guests",
    "newsletter",
    "wordpress",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RejectControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above sessions, CSRF and auth: a page from the shared cache costs none of them.
    "core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wordpress.middleware.LegacyRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "welzijn.urls"
WSGI_APPLICATION = "welzijn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
            "libraries": {"form_keys": "core.formkeys", "links": "core.links"},
        },
    },
]

# Widgets render with the project's templates (templates/widgets/: the Markdown editor).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'welzijn.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL binds parameters on the server, so that the few hot queries whose plan does not
# depend on their values (a post by its slug, a page of its comments, ...) can run as prepared
# statements inside `core.db.prepared()`: planned once per connection, not per request (a
# post page's six-table query took 1.3 ms to plan, more than to run). Everything else is
# planned per execution for its own values: a generic plan for a search word or an author
# with 5,000 posts was up to seven times slower (make bench-scale). Off (`0`) behind a pooler
# in transaction mode that cannot keep a connection's statements (PgBouncer before 1.21).
DATABASE_PREPARED_STATEMENTS = (DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
                                and env_bool("DATABASE_PREPARED_STATEMENTS", True))
DATABASE_PREPARE_THRESHOLD = env_int("DATABASE_PREPARE_THRESHOLD", 5)
if DATABASE_PREPARED_STATEMENTS:
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A writer waits for a lock instead of failing at once (runserver threads, cron).
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis down or frozen must cost a page a fraction of a second, never the page: short
# socket timeouts, and core.cache answers as a miss (and pauses) when Redis does not.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.25"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "welzijn"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                "health_check_interval": 30,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The anonymous page cache (core/pagecache.py). It must be shared by every process that
# serves pages, so that a write reaches every copy: Redis when there is one (short socket
# timeouts: a frozen Redis must not hold pages up), else files under the var folder, which
# every process on this machine sees (local memory would be one copy per gunicorn worker).
PAGE_CACHE = env_bool("PAGE_CACHE", not DEBUG)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_PROXY_SECONDS = env_int("PAGE_CACHE_PROXY_SECONDS", 1)
# Post cards per version of the post (blog/cards.py), in each process's memory: a list page
# that renders makes only the cards of posts that changed. Their generation token is kept
# with the pages.
CARD_CACHE = env_bool("CARD_CACHE", True)
CACHES["cards"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "cards",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
# Parts of a page that are the same for every page of their kind (the site's header and
# footer, templates/base.html), kept by each process under what they vary on. Not in
# development, where a template edited on disk must show at the next request.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.dummy.DummyCache" if DEBUG
    else "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"]}  # the same server and short timeouts (REDIS_TIMEOUT)
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "page-cache"),
        # Two sites sharing a folder (make bench-scale's two blogs) keep apart, as in Redis.
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "welzijn"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# Background work (mail, imports) leaves the request through Django's Tasks framework: the
# queue is a table in the site's own database, worked by `manage.py db_worker` on any node.
# In the same database, a task enqueued inside a transaction commits or rolls back with it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A mail the server refused is tried again after these waits (then it is failed, and the
# editor can send it again from the admin): 6 attempts over about 8.5 hours by default.
MAIL_RETRY_MINUTES = [int(m) for m in env_list("MAIL_RETRY_MINUTES", ["1", "5", "30", "120", "360"])]

AUTH_USER_MODEL = "accounts.User"



def _author_url(profile) -> str:
    from core.links import cached_reverse  # on every card: reversed once per slug

    return cached_reverse("blog:author", profile.slug)


# Trend lists and author profiles live below `blog`, but their pages are blog's (they list
# posts): their addresses are set here, so no lower app reverses a higher app's URLs.
ABSOLUTE_URL_OVERRIDES = {
    "accounts.authorprofile": _author_url,
    "trends.trendlist": lambda trend_list: reverse("blog:trendlist", kwargs={"year": trend_list.year}),
    "trends.trend": lambda trend: reverse(
        "blog:trend", kwargs={"year": trend.trend_list.year, "number": trend.number}
    ),
}
# Guests log in with their e-mail address; editors may use their username too. Editors
# (active staff) get every admin permission from the second backend.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.EmailOrUsernameBackend",
    "accounts.permissions.EditorPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:dashboard"
LOGOUT_REDIRECT_URL = "blog:home"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Serve uploaded media from Django itself (a proxy or shared storage does it in production).
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)
# Outside DEBUG static files are hashed and compressed: `manage.py collectstatic` writes
# css/site.<hash>.css, its .gz and staticfiles.json, and whitenoise serves them with a
# one-year, immutable Cache-Control. Before collectstatic (a plain `gunicorn welzijn.wsgi` on a
# fresh checkout) the same storage falls back to the plain names, served from the source
# folders, so the site never breaks for want of a build step (core/staticfiles.py).
_COLLECTED = (STATIC_ROOT / "staticfiles.json").exists()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "core.staticfiles.HashedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not _COLLECTED
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600  # unhashed names (favicon.ico); hashed: one year
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Welzijn <redactie@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A site on https:// is only ever on https://: plain requests are redirected (behind a proxy
# that terminates TLS this needs DJANGO_BEHIND_TLS_PROXY, or every request looks plain),
# and browsers are told to remember that (HSTS). Preloading is a promise that is hard to take
# back, so it is the operator's own choice, off by default.
_HTTPS = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", _HTTPS)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # check --deploy reminds about preloading (W021); not preloading is a decision, not a slip.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# How many proxies of our own stand between the reader and gunicorn (nginx: 1). Each appends
# the address it saw to X-Forwarded-For, so the client is the Nth address from the right; what
# a client writes into the header itself stands further left and is never believed. 0: no
# proxy, the client is the connection's address (core.antispam.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Everything the pages need is served from this site: no CDN, no tracker.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The Django admin sets a few inline style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The product's own knobs (documented in the README).
POSTS_PER_PAGE = 10
PUBLISH_SLOT_TIME = os.environ.get("PUBLISH_SLOT_TIME", "07:00")
PUBLISH_SLOT_WEEKDAYS = [int(d) for d in env_list("PUBLISH_SLOT_WEEKDAYS", ["0", "1", "2", "3", "4"])]
PREVIEW_LINK_MAX_AGE = env_int("PREVIEW_LINK_MAX_AGE_DAYS", 7) * 24 * 3600
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 40_000_000)
# Memory the decoded pixels may take (width × height × bytes per pixel, known from the header);
# a JPEG counts at the reduced scale it is decoded at. 40 Mpx RGBA = 160 MB fits.
UPLOAD_MAX_DECODED_BYTES = env_int("UPLOAD_MAX_DECODED_MB", 200) * 1024 * 1024
IMAGE_RENDITION_WIDTHS = (400, 800, 1600)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 2 * 1024 * 1024
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)  # 0 = never
COMMENT_MIN_SECONDS = env_int("COMMENT_MIN_SECONDS", 3)
COMMENT_RATE_LIMIT = os.environ.get("COMMENT_RATE_LIMIT", "5/m")
COMMENT_BLOCKLIST = env_list("COMMENT_BLOCKLIST", ["viagra", "casino", "cialis", "crypto-bonus"])
COMMENT_MAX_LINKS = 2
PITCH_RATE_LIMIT = os.environ.get("PITCH_RATE_LIMIT", "3/h")
LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10/m")
GO_LIVE_WARNING_MINUTES = 10
NEWSLETTER_CONFIRM_DAYS = env_int("NEWSLETTER_CONFIRM_DAYS", 7)
# Sign-ups per client address (like comments); confirmation mails per address: at most
# NEWSLETTER_MAX_CONFIRMATION_MAILS per confirmation period, NEWSLETTER_RESEND_MINUTES apart.
NEWSLETTER_RATE_LIMIT = os.environ.get("NEWSLETTER_RATE_LIMIT", COMMENT_RATE_LIMIT)
NEWSLETTER_RESEND_MINUTES = env_int("NEWSLETTER_RESEND_MINUTES", 15)
NEWSLETTER_MAX_CONFIRMATION_MAILS = env_int("NEWSLETTER_MAX_CONFIRMATION_MAILS", 3)
# The admin's WordPress import: the largest WXR file or uploads zip (and that zip unpacked).
WORDPRESS_IMPORT_MAX_MB = env_int("WORDPRESS_IMPORT_MAX_MB", 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
