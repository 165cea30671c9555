"""Django settings. SQLite in the user's data directory unless PATHWAYS_DATABASE_URL
names another database (postgresql://user:pass@host:port/name or sqlite:///path).

The data directory is private to its owner (0700), and so are the files in it (0600): the
SQLite database, the secret key and the uploaded documents. `pathways serve --behind-proxy`
(or PATHWAYS_BEHIND_PROXY=1) trusts the X-Forwarded-* headers of a TLS-terminating proxy."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def private_dir(path: Path) -> Path:
    """`path` made if missing, readable by its owner only (0700, tightened if it was wider)."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """An empty file made with mode 0600 if missing (created so, never chmod-ed after): SQLite
    opens a zero-length file as a new database and gives its journals the file's mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass
    return path


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return private_dir(Path(base) / "exchange-pathways")


def database(url: str | None) -> dict:
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(private_file(data_dir() / "pathways.sqlite3"))}
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        # sqlite:///relative.db, sqlite:////absolute/path.db, sqlite:///:memory:
        path = unquote(parts.path)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path[1:] if path.startswith("/") else path or ":memory:"}
    if parts.scheme in ("postgres", "postgresql"):
        return {"ENGINE": "django.db.backends.postgresql", "NAME": parts.path.lstrip("/"),
                "USER": unquote(parts.username or ""), "PASSWORD": unquote(parts.password or ""),
                "HOST": parts.hostname or "", "PORT": str(parts.port or "")}
    raise ValueError(f"PATHWAYS_DATABASE_URL: unsupported scheme {parts.scheme!r}; accepted: sqlite, postgresql")


def secret_key() -> str:
    """From PATHWAYS_SECRET_KEY, else one kept in the data directory (made once)."""
    if os.environ.get("PATHWAYS_SECRET_KEY"):
        return os.environ["PATHWAYS_SECRET_KEY"]
    path = data_dir() / "secret-key"
    if not path.exists():
        # Written to a file made with mode 0600 (never chmod-ed after: no moment when another
        # user could read it), then linked into place, so that a second process starting at
        # the same moment reads either no key or the whole key, and keeps the first one made.
        draft = path.with_name(f".secret-key-{os.getpid()}-{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(50))
            os.link(draft, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(draft, path)
        finally:
            draft.unlink(missing_ok=True)
    elif path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_FILE)
    return path.read_text().strip()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = secret_key()
DEBUG = os.environ.get("PATHWAYS_DEBUG") == "1"
ALLOWED_HOSTS = _list("PATHWAYS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# Behind a TLS-terminating reverse proxy (nginx): `pathways serve --behind-proxy` sets this.
BEHIND_PROXY = _flag("PATHWAYS_BEHIND_PROXY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # the sign-in lockout, kept in the database (every login: workspace, admin)
    "pathways.web.security",  # the security log, the lockout page, the password-change page
    "ninja",  # serves its Swagger UI files from this server, not from a CDN
    "pathways.web.i18n",  # the pages' languages: the middleware, the switch, the `kb` filter
    "pathways.web.finder",
    "pathways.web.api",
    "pathways.web.workspace",
]
MIDDLEWARE = [
    "pathways.web.head.HeadWithoutBodyMiddleware",  # HEAD: GET's headers, no body (neither waitress nor Django strips it)
    "pathways.web.headers.SecurityHeadersMiddleware",  # CSP 'self', nosniff, referrer, no framing, no-store
    "django.middleware.security.SecurityMiddleware",
    "pathways.web.compress.PublicGZipMiddleware",  # gzip for public pages and static files, never a private one
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from the app server itself
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pathways.web.i18n.languages.LanguageMiddleware",  # ?lang=, else the cookie, else Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pathways.web.security.middleware.SessionTimeoutMiddleware",  # idle and absolute session limits
    "pathways.web.security.middleware.SecurityEventMiddleware",  # 403s and refused writes in the security log
    "pathways.web.security.middleware.ReadOnlyDatabaseMiddleware",  # a read-only database: 503, not 500
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # a locked-out sign-in answers 429 (the lockout page)
]
ROOT_URLCONF = "pathways.web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "pathways.web.i18n.languages.context",
    ]},
}]
WSGI_APPLICATION = "pathways.web.wsgi.application"
DATABASES = {"default": database(os.environ.get("PATHWAYS_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
USE_I18N = True
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("pt", "Português"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "pathways_language"
STATIC_URL = "/static/"
STATIC_ROOT = private_dir(data_dir() / "static")
WHITENOISE_USE_FINDERS = True  # serve straight from the apps' static folders: no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Accounts: passwords hashed with Argon2, at least 12 characters; sessions and CSRF cookies
# marked Secure unless PATHWAYS_INSECURE_COOKIES=1 (plain http on 127.0.0.1 in development and
# tests; `pathways serve` sets it on a loopback address), and always behind a proxy.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every sign-in first (AxesStandaloneBackend), whatever the page: the
# workspace's, the admin's. force_login (tests) skips it: it has no get_user.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
_SECURE = BEHIND_PROXY or os.environ.get("PATHWAYS_INSECURE_COOKIES") != "1"
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after 30 minutes without a request (PATHWAYS_SESSION_IDLE_MINUTES), renewed at
# most once a minute rather than written on every request, and 12 hours after signing in
# whatever happens (PATHWAYS_SESSION_MAX_HOURS): security/middleware.py.
SESSION_COOKIE_AGE = int(os.environ.get("PATHWAYS_SESSION_IDLE_MINUTES") or 30) * 60
PATHWAYS_SESSION_MAX_AGE = int(os.environ.get("PATHWAYS_SESSION_MAX_HOURS") or 12) * 3600
SESSION_SAVE_EVERY_REQUEST = False
LOGIN_URL = "/workspace/login/"
LOGIN_REDIRECT_URL = "/workspace/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MEDIA_ROOT = private_dir(data_dir() / "media")
MEDIA_URL = "/workspace/media/"  # documents are served through a view that checks the institution
FILE_UPLOAD_PERMISSIONS = PRIVATE_FILE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = PRIVATE_DIR

# Sign-in lockout (django-axes, in the database: shared by every worker process and kept
# across restarts). Five failures within 15 minutes lock the account from every address,
# and lock the address for every account, for 15 minutes from the last failure; a success
# does not wipe the count (an attacker's own account cannot reset it). Attempts made while
# locked are refused without being counted. `pathways` has no command for unlocking:
# `django-admin axes_reset_username NAME` (or axes_reset_ip, axes_reset) does it.
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_CALLABLE = "pathways.web.security.lockout.username"
AXES_LOCKOUT_CALLABLE = "pathways.web.security.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # pathways.security logs each failure and lockout (security/signals.py)
# The client's address: REMOTE_ADDR, unless behind the proxy, where every client arrives from
# the proxy's address and the address is the proxy's X-Forwarded-For (waitress keeps only the
# entry the proxy added: serve.py). One entry, exactly: anything else falls back to REMOTE_ADDR.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if BEHIND_PROXY else ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_COUNT = 0 if BEHIND_PROXY else None

# TLS at the proxy: https as the proxy says, the host it was asked for, HSTS, Secure cookies
# (above), and the origins that may post forms (PATHWAYS_ORIGINS, else https:// and each host).
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    SECURE_SSL_REDIRECT = os.environ.get("PATHWAYS_SSL_REDIRECT", "1") != "0"
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/hello$"]  # the proxy's health check may use plain http
    SECURE_HSTS_SECONDS = int(os.environ.get("PATHWAYS_HSTS_SECONDS") or 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("PATHWAYS_HSTS_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = False
    CSRF_TRUSTED_ORIGINS = _list("PATHWAYS_ORIGINS") or [
        f"https://{host.lstrip('.')}" if not host.startswith(".") else f"https://*{host}"
        for host in ALLOWED_HOSTS if host not in ("testserver", "*")]
else:
    CSRF_TRUSTED_ORIGINS = _list("PATHWAYS_ORIGINS")

# The security log: failed and locked sign-ins, refused writes and other 403s, password
# changes, each with the user and the address; never a password. To standard error, and to
# PATHWAYS_SECURITY_LOG (a file) when it is set.
_SECURITY_HANDLERS = ["stderr"] + (["security_file"] if os.environ.get("PATHWAYS_SECURITY_LOG") else [])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        **({"security_file": {"class": "logging.handlers.WatchedFileHandler", "formatter": "plain",
                              "filename": os.environ["PATHWAYS_SECURITY_LOG"]}}
           if os.environ.get("PATHWAYS_SECURITY_LOG") else {}),
    },
    "loggers": {
        "pathways.security": {"handlers": _SECURITY_HANDLERS, "level": "INFO", "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},  # the security log says it
    },
}

# privacy/uploads (issue 10) ---------------------------------------------------------------
# Documents: at most WORKSPACE_DOCUMENT_MAX_BYTES each, of an allowed type told by their
# content (workspace/uploads.py). An uploaded file past WORKSPACE_UPLOAD_MAX_BYTES is read and
# dropped by the first upload handler, never written to disk; the form says how big it was.
WORKSPACE_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
WORKSPACE_UPLOAD_MAX_BYTES = WORKSPACE_DOCUMENT_MAX_BYTES
FILE_UPLOAD_HANDLERS = ["pathways.web.workspace.uploads.SizeLimitUploadHandler",
                        "django.core.files.uploadhandler.MemoryFileUploadHandler",
                        "django.core.files.uploadhandler.TemporaryFileUploadHandler"]
# The result PDF (finder/views_result.py): each rendered PDF kept in a bounded cache of its
# own, by its answers, date, language and knowledge base; renders limited per client address.
# Files in the data directory (private, 0700; each file 0600), so that every worker process of
# `pathways serve` reads what another rendered, and a restart keeps them.
CACHES = {**globals().get("CACHES", {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}),
          "result-pdf": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                         "LOCATION": str(data_dir() / "cache" / "result-pdf"),
                         "TIMEOUT": 24 * 3600, "OPTIONS": {"MAX_ENTRIES": 64, "CULL_FREQUENCY": 4}},
          # counts every worker process shares (the renders per client address and minute): a
          # count kept in one process's memory would let N workers render N times the limit
          "counters": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                       "LOCATION": str(data_dir() / "cache" / "counters"),
                       "TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 10_000, "CULL_FREQUENCY": 4}}}
RESULT_PDF_RENDERS_PER_MINUTE = int(os.environ.get("PATHWAYS_PDF_RENDERS_PER_MINUTE") or 6)
RESULT_PDF_CONCURRENT_RENDERS = 2  # at once in this process, whoever asks (the rest: 503, Retry-After)

# Email (invitations, reminders): Django's console backend (messages printed on the server's
# standard output) unless PATHWAYS_SMTP_HOST names an SMTP server.
DEFAULT_FROM_EMAIL = os.environ.get("PATHWAYS_EMAIL_FROM") or "Exchange Pathways <no-reply@localhost>"
if os.environ.get("PATHWAYS_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["PATHWAYS_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("PATHWAYS_SMTP_PORT") or 587)
    EMAIL_HOST_USER = os.environ.get("PATHWAYS_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("PATHWAYS_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("PATHWAYS_SMTP_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The address people reach the app at, for links in emails sent outside a request (reminders).
PATHWAYS_SITE_URL = (os.environ.get("PATHWAYS_SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
# An invitation's link to set a password works once and for this long.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PATHWAYS_INVITE_DAYS") or 3) * 86400

