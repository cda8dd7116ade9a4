"""One settings module for every deployment, configured from the environment.

The defaults run the demo newsroom on loopback with an SQLite file. A deployment on a real
domain sets ALLOWED_HOSTS and must then also set SECRET_KEY, the donor data keys and the
payment provider's keys: the demo's stand-ins are only ever accepted for a site that answers on
loopback. `samizdat check --deploy` reviews the rest (samizdat/deployment/checks.py).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(os.environ.get("SAMIZDAT_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
ALLOWED_HOSTS = list(env_list("ALLOWED_HOSTS", LOOPBACK_HOSTS))


def host_of(address: str) -> str:
    """'https://News.Example:8443/' or 'news.example' → 'news.example'."""
    address = address.strip()
    return (urlsplit(address if "//" in address else f"//{address}").hostname or "").lower()


# Where the newsroom lives. One instance answers on its public address (SAMIZDAT_PUBLIC_URL,
# which becomes WAGTAILADMIN_BASE_URL below), on any number of alternate domains for when that
# one is blocked, and on an onion host. Canonical links, feeds, sitemaps and e-mails name the
# public address whichever host was asked (samizdat/reach/domains.py).
_public_url = os.environ.get("SAMIZDAT_PUBLIC_URL", "").strip().rstrip("/")
# With SAMIZDAT_PUBLIC_URL set, `migrate` points the default Wagtail Site (which every other
# host falls back to) at it, so that Wagtail's page URLs follow the configured address.
SAMIZDAT_ALIGN_SITE = bool(_public_url)
SAMIZDAT_ALTERNATE_HOSTS = [host_of(h) for h in env_list("SAMIZDAT_ALTERNATE_HOSTS", [])]
SAMIZDAT_ONION_HOST = host_of(os.environ.get("SAMIZDAT_ONION_HOST", ""))
for _host in (host_of(_public_url), *SAMIZDAT_ALTERNATE_HOSTS, SAMIZDAT_ONION_HOST):
    if _host and _host not in ALLOWED_HOSTS:
        ALLOWED_HOSTS.append(_host)

# A public site refuses to start on any of the demo's stand-in secrets.
_public_host = bool(set(ALLOWED_HOSTS) - set(LOOPBACK_HOSTS))
# The settings left to a stand-in (the demo's, or one derived from SECRET_KEY), for
# `check --deploy` to name.
SAMIZDAT_LOOPBACK_FALLBACKS = []

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if _public_host:
        raise ImproperlyConfigured("SECRET_KEY must be set when ALLOWED_HOSTS names a public host.")
    SECRET_KEY = "samizdat-demo-key-loopback-only-never-use-in-production"
    SAMIZDAT_LOOPBACK_FALLBACKS.append("SECRET_KEY")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Keys donor lookups (keyed hashes of e-mail addresses). Defaults to one derived from
# SECRET_KEY; set it separately to be able to rotate SECRET_KEY without losing lookups.
SAMIZDAT_LOOKUP_KEY = os.environ.get("SAMIZDAT_LOOKUP_KEY", "")
if not SAMIZDAT_LOOKUP_KEY:
    SAMIZDAT_LOOKUP_KEY = f"lookup:{SECRET_KEY}"
    SAMIZDAT_LOOPBACK_FALLBACKS.append("SAMIZDAT_LOOKUP_KEY")

# Fernet keys for personal data at rest (samizdat/core/crypto.py; README says how to make and
# rotate them). Derived from SECRET_KEY on loopback only: a public host needs its own, kept
# apart from SECRET_KEY and the backups, or SECRET_KEY and a dump would read every donor.
SAMIZDAT_ENCRYPTION_KEYS = env_list("SAMIZDAT_ENCRYPTION_KEYS", [])
if SAMIZDAT_ENCRYPTION_KEYS:
    from cryptography.fernet import Fernet

    for _number, _key in enumerate(SAMIZDAT_ENCRYPTION_KEYS, start=1):
        try:
            Fernet(_key)
        except ValueError:
            # The key itself is never printed: error messages end up in logs.
            raise ImproperlyConfigured(
                f"SAMIZDAT_ENCRYPTION_KEYS: key {_number} is not a Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from None
elif _public_host:
    raise ImproperlyConfigured(
        "SAMIZDAT_ENCRYPTION_KEYS must be set when ALLOWED_HOSTS names a public host: "
        "donor data must not be readable with SECRET_KEY and a database dump."
    )
else:
    import base64

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    SAMIZDAT_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            HKDF(
                algorithm=hashes.SHA256(), length=32, salt=None, info=b"samizdat donor data"
            ).derive(SECRET_KEY.encode())
        ).decode()
    ]
    SAMIZDAT_LOOPBACK_FALLBACKS.append("SAMIZDAT_ENCRYPTION_KEYS")

INSTALLED_APPS = [
    "samizdat.newsroom",
    "samizdat.support",
    "samizdat.payments",
    "samizdat.reach",
    "samizdat.newsletters",
    "samizdat.demo",
    "samizdat.pagecache",
    "samizdat.imports",
    # `check --deploy`: what a public deployment must not run with.
    "samizdat.deployment",
    # Stores background tasks for `db_worker`; installed whatever the backend, so its
    # tables exist when a deployment switches SAMIZDAT_TASKS_BACKEND to "database".
    "django_tasks_db",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous reader pages from the page cache, before anything that needs the database.
    "samizdat.pagecache.middleware.PageCacheMiddleware",
    # Content-Security-Policy, Permissions-Policy and Onion-Location on pages (not static files).
    "samizdat.reach.csp.ReaderCSPMiddleware",
    "samizdat.reach.middleware.ReachHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "samizdat.urls"
WSGI_APPLICATION = "samizdat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # Wagtail's image tags, parsing their filters once (samizdat_images.py).
            "libraries": {
                "wagtailimages_tags": "samizdat.newsroom.templatetags.samizdat_images",
            },
        },
    },
]
# ...which Django's check notices as two modules under one name ("templates.W003"): the
# replacement is meant, so the warning would only hide others on every command's output.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

# SQLite file by default; DATABASE_URL=postgres://… selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'samizdat.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh checkout has no var/ yet; SQLite cannot create the folder for its file.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Readers and the admin write at the same time; WAL keeps readers from blocking.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests get a file too, not Django's shared in-memory database: with that, the live
    # server's threads would all speak on one connection (one request's transaction swallowing
    # another's), and processes forked to render a mirror would inherit its locks.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-samizdat.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Django's Redis backend, reusing one client per connection pool (samizdat/pagecache).
    CACHES = {
        "default": {
            "BACKEND": "samizdat.pagecache.backends.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "samizdat",
        },
        "renditions": {
            "BACKEND": "samizdat.pagecache.backends.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "samizdat-renditions",
            "TIMEOUT": 7 * 24 * 3600,
        },
        "pages": {
            "BACKEND": "samizdat.pagecache.backends.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "samizdat-pages",
        },
    }
else:
    CACHES = {
        # Structure, teasers, appeals: a 2,000-story archive holds far more than the default
        # 300 entries, which would be culled all the time.
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 50000},
        },
        # Wagtail looks image renditions up here before asking the database.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            "TIMEOUT": 7 * 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        # Rendered reader pages (samizdat/pagecache).
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
# Without Redis the generation numbers live in files every process reads, so a publish by cron
# or another worker shows at once everywhere; with Redis the cache holds them.
SAMIZDAT_GENERATIONS_DIR = None if REDIS_URL else DATA_DIR / "generations"

# The full-page cache of anonymous reader pages (samizdat/pagecache/store.py says what forgets
# them); SAMIZDAT_PAGE_CACHE_SECONDS bounds a page's age otherwise (an appeal's schedule).
SAMIZDAT_PAGE_CACHE = env_bool("SAMIZDAT_PAGE_CACHE", True)
SAMIZDAT_PAGE_CACHE_SECONDS = int(os.environ.get("SAMIZDAT_PAGE_CACHE_SECONDS", "300"))
# Browsers revalidate every time (a 304 from the page cache) so a publish shows at once; CDNs and
# proxies may keep a page SAMIZDAT_PAGE_SHARED_MAX_AGE seconds.
SAMIZDAT_PAGE_MAX_AGE = int(os.environ.get("SAMIZDAT_PAGE_MAX_AGE", "0"))
SAMIZDAT_PAGE_SHARED_MAX_AGE = int(os.environ.get("SAMIZDAT_PAGE_SHARED_MAX_AGE", "60"))
# Published pages as files for nginx to serve (samizdat/reach/pagefiles.py; README, "Running in
# production").
SAMIZDAT_PAGE_FILES = env_bool("SAMIZDAT_PAGE_FILES", False)
SAMIZDAT_PAGE_FILES_DIR = Path(os.environ.get("SAMIZDAT_PAGE_FILES_DIR") or DATA_DIR / "pages")
# Streamed answers (the news sitemap) larger than this are served but not stored.
SAMIZDAT_PAGE_CACHE_MAX_BYTES = 4 * 1024 * 1024
# One request renders a page nobody has stored; the others asking for it meanwhile get the
# previous copy, or wait this long for the new one (then render it themselves).
SAMIZDAT_PAGE_RENDER_WAIT_SECONDS = float(os.environ.get("SAMIZDAT_PAGE_RENDER_WAIT_SECONDS", "5"))
# How long nginx's micro-cache in front (README, "Running in production") keeps a stored page:
# sent as X-Accel-Expires, which nginx reads before Cache-Control and does not pass on. It
# bounds how late a publish reaches readers when nginx cannot be purged. 0: not sent.
SAMIZDAT_FRONT_CACHE_SECONDS = int(os.environ.get("SAMIZDAT_FRONT_CACHE_SECONDS", "10"))

# A CDN or caching proxy in front, purged when a page is published or unpublished
# (wagtail.contrib.frontend_cache): SAMIZDAT_FRONTEND_CACHE_URL for one that takes HTTP PURGE
# (Varnish, nginx), CLOUDFLARE_API_TOKEN + CLOUDFLARE_ZONE_ID for Cloudflare.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("SAMIZDAT_FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE["purge"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["SAMIZDAT_FRONTEND_CACHE_URL"],
    }
if os.environ.get("CLOUDFLARE_API_TOKEN"):
    if not os.environ.get("CLOUDFLARE_ZONE_ID"):
        raise ImproperlyConfigured("CLOUDFLARE_API_TOKEN needs CLOUDFLARE_ZONE_ID.")
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_API_TOKEN"],
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the newsroom's editions. SAMIZDAT_LANGUAGES="en:English,ru:Русский".
LANGUAGES = [
    tuple(item.split(":", 1))
    for item in env_list("SAMIZDAT_LANGUAGES", ["en:English", "ru:Русский"])
]
LANGUAGE_CODE = LANGUAGES[0][0]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
# Files served at the site's root: favicon.ico (drawn by samizdat/reach/icons.py).
WHITENOISE_ROOT = PACKAGE_DIR / "reach" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Behind nginx or a CDN, the front server serves /media/ and this is switched off.
SERVE_MEDIA = env_bool("SAMIZDAT_SERVE_MEDIA", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("SAMIZDAT_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers every reader page carries.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Reader pages load nothing from another host and run no inline script or style; the checkout
# step adds its payment provider's hosts (samizdat/reach/csp.py). The Wagtail admin, which
# needs inline scripts, gets no policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# Powerful browser features no reader page uses, switched off for any frame too.
SAMIZDAT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
if env_bool("SAMIZDAT_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # Off unless the newsroom knows every subdomain speaks HTTPS (`check --deploy` says so).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = os.environ.get("SAMIZDAT_SITE_NAME", "Samizdat")
# The public address: read it through samizdat.core.mail.public_url().
WAGTAILADMIN_BASE_URL = _public_url or "http://127.0.0.1:8000"
WAGTAILIMAGES_IMAGE_MODEL = "newsroom.Photo"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp"}
WAGTAILSEARCH_BACKENDS = {
    # Uses PostgreSQL full-text search on PostgreSQL, FTS5 on SQLite.
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Editors' faces come from their own uploads, never from gravatar.com: the admin asks no other
# host for anything (an editor's browser would tell it who works here and when).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_COMMENTS_ENABLED = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# With EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend: receipts, magic links,
# reminders and newsletters go through this server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Payment providers, the first being the default. On loopback, unset Stripe keys fall back to
# the demo's (localstripe); a public host refuses them: with a published webhook secret anyone
# could forge a "payment succeeded".
_STRIPE_DEMO_KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_samizdat_demo",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_samizdat_demo",
    "STRIPE_WEBHOOK_SECRET": "whsec_samizdat_demo",
}
_stripe_keys = {name: os.environ.get(name, "").strip() for name in _STRIPE_DEMO_KEYS}
_stripe_missing = [
    name for name, value in _stripe_keys.items() if value in ("", _STRIPE_DEMO_KEYS[name])
]
if _public_host and _stripe_missing:
    raise ImproperlyConfigured(
        f"{', '.join(_stripe_missing)} must be set when ALLOWED_HOSTS names a public host: "
        "the Stripe account's own keys, and the signing secret of its webhook endpoint "
        "(the demo's would let anyone forge a payment)."
    )
for _name in _stripe_missing:
    _stripe_keys[_name] = _STRIPE_DEMO_KEYS[_name]
    SAMIZDAT_LOOPBACK_FALLBACKS.append(_name)
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
# Card statements' descriptor (samizdat/payments/descriptor.py); the prefix repeats the one set
# in Stripe's dashboard so the length can be checked now, at start-up, not at every gift.
STRIPE_STATEMENT_DESCRIPTOR_PREFIX = os.environ.get("STRIPE_STATEMENT_DESCRIPTOR_PREFIX", "")
STRIPE_STATEMENT_DESCRIPTOR_SUFFIX = os.environ.get("STRIPE_STATEMENT_DESCRIPTOR_SUFFIX", "")
if STRIPE_STATEMENT_DESCRIPTOR_SUFFIX.strip():
    from samizdat.payments.descriptor import check_suffix

    try:
        STRIPE_STATEMENT_DESCRIPTOR_SUFFIX = check_suffix(
            STRIPE_STATEMENT_DESCRIPTOR_SUFFIX, STRIPE_STATEMENT_DESCRIPTOR_PREFIX
        )
    except ValueError as _error:
        raise ImproperlyConfigured(str(_error)) from None
SAMIZDAT_PAYMENT_PROVIDERS = {
    "stripe": {
        "CLASS": "samizdat.payments.providers.stripe.StripeProvider",
        "OPTIONS": {
            "secret_key": _stripe_keys["STRIPE_SECRET_KEY"],
            "publishable_key": _stripe_keys["STRIPE_PUBLISHABLE_KEY"],
            "webhook_secret": _stripe_keys["STRIPE_WEBHOOK_SECRET"],
            "api_base": STRIPE_API_BASE,
            "statement_descriptor_suffix": STRIPE_STATEMENT_DESCRIPTOR_SUFFIX,
            "statement_descriptor_prefix": STRIPE_STATEMENT_DESCRIPTOR_PREFIX,
            # Seconds one checkout may wait for Stripe, retries included: below gunicorn's
            # --timeout, so a slow Stripe gets the "still confirming" page, not a killed worker.
            "timeout": float(os.environ.get("SAMIZDAT_PROVIDER_TIMEOUT", "15")),
            "js_url": os.environ.get(
                "STRIPE_JS_URL",
                f"{STRIPE_API_BASE}/js.stripe.com/v3/"
                if STRIPE_API_BASE
                else "https://js.stripe.com/v3/",
            ),
        },
    }
}
# Payments to an address (base.AddressProvider), each configured only when its wallet or
# account key is given: a view-only Monero wallet behind monero-wallet-rpc, and a Bitcoin
# account's public key (zpub, or vpub on test networks) watched through an Esplora API.
MONERO_WALLET_RPC_URL = os.environ.get("MONERO_WALLET_RPC_URL", "").strip()
if MONERO_WALLET_RPC_URL:
    SAMIZDAT_PAYMENT_PROVIDERS["monero"] = {
        "CLASS": "samizdat.payments.providers.monero.MoneroProvider",
        "OPTIONS": {
            "wallet_rpc_url": MONERO_WALLET_RPC_URL,
            "rpc_user": os.environ.get("MONERO_WALLET_RPC_USER", ""),
            "rpc_password": os.environ.get("MONERO_WALLET_RPC_PASSWORD", ""),
            "confirmations_required": int(os.environ.get("MONERO_CONFIRMATIONS", "10")),
        },
    }
BITCOIN_ACCOUNT_KEY = os.environ.get("BITCOIN_ACCOUNT_KEY", "").strip()
if BITCOIN_ACCOUNT_KEY:
    SAMIZDAT_PAYMENT_PROVIDERS["bitcoin"] = {
        "CLASS": "samizdat.payments.providers.bitcoin.BitcoinProvider",
        "OPTIONS": {
            "account_key": BITCOIN_ACCOUNT_KEY,
            "esplora_url": os.environ.get("BITCOIN_ESPLORA_URL", "").strip(),
            # With a vpub: "testnet" (the default), "signet" or "regtest".
            "network": os.environ.get("BITCOIN_NETWORK", "").strip(),
            "confirmations_required": int(os.environ.get("BITCOIN_CONFIRMATIONS", "3")),
        },
    }
# How long a payment request's address and amount hold; a later payment is still recorded.
SAMIZDAT_PAYMENT_REQUEST_HOURS = float(os.environ.get("SAMIZDAT_PAYMENT_REQUEST_HOURS", "24"))
# Optional: where `samizdat rates fetch` reads coin values (editors can type them in the admin).
SAMIZDAT_RATE_SOURCE_URL = os.environ.get("SAMIZDAT_RATE_SOURCE_URL", "").strip()

# What applies accepted provider events to our records (payments never imports support).
SAMIZDAT_PAYMENT_EVENT_HANDLER = "samizdat.support.giving.ledger.apply_event"

# Background tasks: "immediate" (the default, demo and tests) runs each in the request that
# enqueued it, "database" stores them for `samizdat db_worker`; a dotted path names another backend.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = os.environ.get("SAMIZDAT_TASKS_BACKEND", "").strip() or "immediate"
if _tasks_backend not in _TASK_BACKENDS and "." not in _tasks_backend:
    raise ImproperlyConfigured(
        f"SAMIZDAT_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)} or a dotted path."
    )
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS.get(_tasks_backend, _tasks_backend),
        "QUEUES": ["default"],
    }
}

# The newsroom's logo for search engines' structured data: a static file path such as
# "samizdat/logo.png" (raster, at most 600x60). Empty: articles carry no publisher logo. With
# DEBUG (the demo), the demo newsroom's own (drawn by samizdat/reach/icons.py).
SAMIZDAT_PUBLISHER_LOGO = os.environ.get(
    "SAMIZDAT_PUBLISHER_LOGO", "samizdat/demo-logo.png" if DEBUG else ""
)

# How long a donor's magic link to manage their gifts stays valid, in seconds.
SAMIZDAT_MANAGE_LINK_MAX_AGE = int(os.environ.get("SAMIZDAT_MANAGE_LINK_MAX_AGE", "3600"))
# How long the link in a failed renewal's e-mail opens that gift's card page, in seconds.
SAMIZDAT_CARD_LINK_MAX_AGE = int(os.environ.get("SAMIZDAT_CARD_LINK_MAX_AGE", str(14 * 24 * 3600)))
# How many e-mails a donor gets about one failed renewal (one per failed attempt the provider
# makes; Stripe's Smart Retries make up to about 8): samizdat/support/giving/dunning.py.
SAMIZDAT_DUNNING_EMAILS = int(os.environ.get("SAMIZDAT_DUNNING_EMAILS", "3"))

# Checkout, reminder and magic-link requests allowed per client per window (requests, seconds):
# blunts card testing. The client address is only ever hashed with a key into a counter that
# expires (samizdat/core/ratelimit.py).
SAMIZDAT_RATE_LIMIT = (
    int(os.environ.get("SAMIZDAT_RATE_LIMIT_REQUESTS", "10")),
    int(os.environ.get("SAMIZDAT_RATE_LIMIT_SECONDS", "60")),
)
# Behind a reverse proxy, the request header holding the reader's address, as Django names it:
# HTTP_X_REAL_IP with the README's nginx, which sets it from the address it was called from.
# Unset: REMOTE_ADDR, which behind a proxy is the proxy for everyone.
SAMIZDAT_CLIENT_IP_HEADER = os.environ.get("SAMIZDAT_CLIENT_IP_HEADER", "").strip()
# How many proxies in front append to that header (X-Forwarded-For): the address is read that
# many entries from the right, where the nearest proxy we trust wrote it; anything further
# left came from the client and is never believed. 1 for nginx alone, 2 for a CDN and nginx.
SAMIZDAT_TRUSTED_PROXIES = max(1, int(os.environ.get("SAMIZDAT_TRUSTED_PROXIES", "1")))
# Rate-limit counters: in Redis with REDIS_URL; otherwise in this SQLite file, which every
# process on the machine shares (each process's own cache would give each its own budget).
SAMIZDAT_RATE_LIMIT_STORE = None if REDIS_URL else DATA_DIR / "ratelimit.sqlite3"
# "Remind me later" hides appeals in that browser for this many days (and reminds then).
SAMIZDAT_REMIND_AFTER_DAYS = int(os.environ.get("SAMIZDAT_REMIND_AFTER_DAYS", "7"))
# How long donors' personal data is kept after their last gift: `samizdat donors purge`
# anonymises older donors (400d, 18m, 3y; samizdat/support/donors/privacy.py).
SAMIZDAT_DONOR_RETENTION = os.environ.get("SAMIZDAT_DONOR_RETENTION", "3y")

# Reader-facing page size for section, tag and author listings.
SAMIZDAT_ARTICLES_PER_PAGE = 20

# A reachable address of this application (e.g. https://give.example.org) for what a static
# mirror cannot answer: the donation form, checkout, "Remind me later", newsletter sign-up,
# search and anonymous counters post there from mirror pages. Empty: the mirror's own host.
SAMIZDAT_CHECKOUT_URL = os.environ.get("SAMIZDAT_CHECKOUT_URL", "").strip().rstrip("/")
