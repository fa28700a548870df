"""Settings read from the environment (and a `.env` file when present)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dotenv import find_dotenv, load_dotenv


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable app."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` spellings; drive them with psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _key_from_env_or_instance(
    name: str, instance_path: Path, production: bool, make: Callable[[], str], how_to_make: str
) -> str:
    """A key from the environment; in development made once and kept under instance/.

    Kept so that sessions, links and encrypted data survive restarts of a development server.
    """
    key = os.environ.get(name, "").strip()
    if key:
        return key
    if production:
        raise ConfigurationError(
            f"{name} is not set. In production (APP_ENV=production) the app refuses to start "
            f"without it: set {name} to the output of `{how_to_make}`."
        )
    key_file = instance_path / name.lower()
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = make()
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _secret_key(instance_path: Path, production: bool) -> str:
    return _key_from_env_or_instance(
        "SECRET_KEY",
        instance_path,
        production,
        lambda: secrets.token_hex(32),
        "python -c 'import secrets; print(secrets.token_hex(32))'",
    )


def _data_key(instance_path: Path, production: bool) -> str:
    from cryptography.fernet import Fernet

    return _key_from_env_or_instance(
        "DATA_ENCRYPTION_KEY",
        instance_path,
        production,
        lambda: Fernet.generate_key().decode("ascii"),
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
    )


def load_config(instance_path: str, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Build the Flask config mapping from the environment; `overrides` (tests) win."""
    load_dotenv(find_dotenv(usecwd=True), override=False)
    instance = Path(instance_path)
    env = os.environ.get("APP_ENV", "development").strip().lower()
    production = env == "production"
    default_db = f"sqlite:///{instance / 'eventapp.sqlite3'}"
    database_url = normalise_database_url(
        str(overrides.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL") or default_db)
    )
    if database_url.startswith("sqlite:///"):
        Path(database_url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    secret_key = overrides.get("SECRET_KEY") or _secret_key(instance, production)
    data_key = overrides.get("DATA_ENCRYPTION_KEY") or _data_key(instance, production)
    redis_timeout = float(os.environ.get("REDIS_TIMEOUT", "2"))
    config: dict[str, Any] = {
        "APP_ENV": env,
        "SECRET_KEY": secret_key,
        "DATA_ENCRYPTION_KEY": data_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Every pooled connection is pinged before use, so a database restart fails no request.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "pool_recycle": int(os.environ.get("DATABASE_POOL_RECYCLE", "300")),
        },
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Seconds a request waits for Redis to connect or answer before going on without it.
        "REDIS_TIMEOUT": redis_timeout,
        # With Redis, jobs go to the worker; JOBS_INLINE=1 runs them in the request instead.
        "JOBS_INLINE": _bool(os.environ.get("JOBS_INLINE")),
        # Links in emails sent outside a request (jobs, commands) start with this address.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or None,
        # Participants' photos; kept out of static/ so that only their owners and hosts see them.
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or str(instance / "uploads"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "wps-network@localhost"),
        # Outside production, mail goes to the in-app outbox instead of SMTP.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if production else "outbox"),
        # With Redis: the jobs worker looks for queued mail this often (seconds).
        "MAIL_SWEEP_INTERVAL": float(os.environ.get("MAIL_SWEEP_INTERVAL", "1")),
        # A body past this is refused with 413 before it is read (eventapp/web/edge.py); forms
        # that carry a photo (up to 2 MB) take MAX_UPLOAD_BYTES.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_REQUEST_BYTES", str(1024 * 1024))),
        "MAX_UPLOAD_BYTES": int(os.environ.get("MAX_UPLOAD_BYTES", str(3 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Rate limits are shared by every worker through Redis when it is configured; else each
        # worker counts in its own memory.
        "RATELIMIT_ENABLED": _bool(os.environ.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        # While that Redis is unreachable each worker counts in its own memory (Flask-Limiter's
        # fallback, with the same limits) and tries Redis again now and then.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": redis_timeout, "socket_timeout": redis_timeout},
        # No X-RateLimit-* headers on every answer (each costs a storage round trip); a 429 still
        # carries Retry-After (eventapp/web/errors.py).
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_KEY_PREFIX": "eventapp-limits",
        "RATELIMIT_LOGIN": os.environ.get("RATELIMIT_LOGIN", "10 per minute"),
        "RATELIMIT_PUBLIC_FORMS": os.environ.get("RATELIMIT_PUBLIC_FORMS", "20 per minute"),
        "RATELIMIT_PRIVATE_LINKS": os.environ.get("RATELIMIT_PRIVATE_LINKS", "120 per minute"),
        # Per device token: a door scanner sends a scan every second or two, plus its syncs.
        "RATELIMIT_API": os.environ.get("RATELIMIT_API", "600 per minute"),
        #: Number of proxies in front of the app whose X-Forwarded-* headers are trusted.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Seconds a proxy or calendar app may reuse a public .ics feed before asking again.
        "FEED_MAX_AGE": int(os.environ.get("FEED_MAX_AGE", "300")),
        # The secretariat and hosts must sign in with a second factor. Not read from the
        # environment: only a test app may turn it off, never a production one.
        "TWO_FACTOR_FOR_STAFF": True,
    }
    config.update(overrides)
    if production and not config["TWO_FACTOR_FOR_STAFF"]:
        raise ConfigurationError("TWO_FACTOR_FOR_STAFF cannot be turned off in production.")
    config["SQLALCHEMY_DATABASE_URI"] = database_url
    return config
