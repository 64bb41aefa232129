"""One place for the instance's settings, so the app, the CLI and the tests agree.

Values come from `.streamlit/secrets.toml` (the file Streamlit itself reads, so a deployment keeps
one file of secrets) and environment variables override the file, so a container, a CI job or a
test can point the portal at any database or mail server without editing it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'portal.db'}"


def database_url() -> str:
    """`DATABASE_URL` wins (PostgreSQL in production); otherwise an SQLite file under data/."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def sqlite_busy_seconds() -> float:
    """How long one SQLite statement waits for another writer's lock before the unit of work is
    tried again (core.db.transaction). Units here take milliseconds, a large roster import a few
    seconds, so 5 s covers a queue of dozens of writers."""
    return float(os.environ.get("PORTAL_SQLITE_BUSY_SECONDS") or 5.0)


def secrets_path() -> Path:
    return Path(
        os.environ.get("PORTAL_SECRETS_FILE") or PROJECT_ROOT / ".streamlit" / "secrets.toml"
    )


@lru_cache(maxsize=4)
def _secrets_file(path: str, mtime: float) -> dict:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def secrets() -> dict:
    """The parsed secrets file, or {} when there is none (a first `make run` needs none)."""
    path = secrets_path()
    try:
        return _secrets_file(str(path), path.stat().st_mtime)
    except FileNotFoundError:
        return {}


def _setting(env: str, section: str, key: str, default: str = "") -> str:
    if env in os.environ:
        return os.environ[env]
    value = secrets().get(section, {}).get(key, default)
    return str(value) if value is not None else default


def _flag(env: str, section: str, key: str) -> bool:
    return _setting(env, section, key, "false").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "none", "starttls" or "ssl"
    user: str
    password: str
    sender: str

    @property
    def configured(self) -> bool:
        return bool(self.host)


SMTP_SECURITY = ("none", "starttls", "ssl")


def smtp_settings() -> SmtpSettings:
    """`SMTP_*` environment variables override the `[smtp]` section of secrets.toml. No host
    means no delivery: messages are kept in the outbox and admins share links by hand."""
    security = _setting("SMTP_SECURITY", "smtp", "security", "starttls").strip().lower()
    if security not in SMTP_SECURITY:
        raise ValueError(
            f"SMTP_SECURITY must be one of {', '.join(SMTP_SECURITY)}, not {security!r}"
        )
    default_port = {"none": "25", "starttls": "587", "ssl": "465"}[security]
    return SmtpSettings(
        host=_setting("SMTP_HOST", "smtp", "host").strip(),
        port=int(_setting("SMTP_PORT", "smtp", "port", default_port) or default_port),
        security=security,
        user=_setting("SMTP_USER", "smtp", "user").strip(),
        password=_setting("SMTP_PASSWORD", "smtp", "password"),
        sender=_setting("SMTP_FROM", "smtp", "sender", "portal@localhost").strip(),
    )


def base_url() -> str:
    """Where people open the portal; links in emails start here."""
    return _setting("PORTAL_BASE_URL", "portal", "base_url", "http://localhost:8501").rstrip("/")


def sso_configured() -> bool:
    """Streamlit's own sign-in is configured as soon as secrets.toml has an [auth] section."""
    auth = secrets().get("auth", {})
    return bool(auth.get("client_id") or any(isinstance(v, dict) for v in auth.values()))


def sso_required() -> bool:
    """The whole instance signs in with SSO only (a pilot can require it on its own too)."""
    return _flag("PORTAL_REQUIRE_SSO", "portal", "require_sso")


def _hours(env: str, key: str, default: float) -> timedelta:
    return timedelta(hours=float(_setting(env, "portal", key, str(default)) or default))


def session_idle_timeout() -> timedelta:
    return _hours("PORTAL_SESSION_IDLE_HOURS", "session_idle_hours", 8)


def session_lifetime() -> timedelta:
    return _hours("PORTAL_SESSION_MAX_HOURS", "session_max_hours", 30 * 24)


def invitation_lifetime() -> timedelta:
    return timedelta(
        days=float(_setting("PORTAL_INVITATION_DAYS", "portal", "invitation_days", "14"))
    )


RESET_LIFETIME = timedelta(minutes=30)


def development_mode() -> bool:
    """Only a developer's machine shows error details; everywhere else people get a reference."""
    return _flag("PORTAL_DEVELOPMENT", "portal", "development")


def reminders_enabled() -> bool:
    """The server's reminder job; `PORTAL_REMINDERS=off` leaves reminders to `python -m core
    remind` (a cron job) or turns them off."""
    value = _setting("PORTAL_REMINDERS", "portal", "reminders", "on").strip().lower()
    return value not in ("0", "off", "false", "no")


def reminder_interval() -> timedelta:
    """How often the server looks for due reminders."""
    return timedelta(
        minutes=float(_setting("PORTAL_REMINDER_MINUTES", "portal", "reminder_minutes", "5") or 5)
    )
