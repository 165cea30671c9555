"""Django settings. SQLite in the user's data directory unless PATHWAYS_DATABASE_URL
names another database (postgresql://user:pass@host:port/name or sqlite:///path)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    path = Path(base) / "exchange-pathways"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database(url: str | None) -> dict:
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(data_dir() / "pathways.sqlite3")}
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
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = secret_key()
DEBUG = os.environ.get("PATHWAYS_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("PATHWAYS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves its Swagger UI files from this server, not from a CDN
    "pathways.web.finder",
    "pathways.web.api",
    "pathways.web.workspace",
]
MIDDLEWARE = [
    "pathways.web.headers.SecurityHeadersMiddleware",  # CSP 'self', nosniff, referrer, no framing
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from the app server itself
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    ]},
}]
WSGI_APPLICATION = "pathways.web.wsgi.application"
DATABASES = {"default": database(os.environ.get("PATHWAYS_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
STATIC_URL = "/static/"
STATIC_ROOT = data_dir() / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve straight from the apps' static folders: no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Accounts: passwords hashed with Argon2; sessions and CSRF cookies marked secure unless
# PATHWAYS_INSECURE_COOKIES=1 (plain http on 127.0.0.1 in development and tests).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [{"NAME": f"django.contrib.auth.password_validation.{name}"} for name in (
    "UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator")]
_SECURE = os.environ.get("PATHWAYS_INSECURE_COOKIES") != "1"
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "/workspace/login/"
LOGIN_REDIRECT_URL = "/workspace/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MEDIA_ROOT = data_dir() / "media"
MEDIA_URL = "/workspace/media/"  # documents are served through a view that checks the institution
