"""Reading typed settings from the environment, with one-line errors that name the variable."""

from __future__ import annotations

from collections.abc import Mapping

from common.errors import ConfigError


def text(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    """The variable's value with surrounding blanks removed; unset or blank gives `default`."""
    value = env.get(name, "").strip()
    return value or default


def required(env: Mapping[str, str], name: str, why: str) -> str:
    """The variable's value, or a ConfigError saying why it is needed."""
    value = text(env, name)
    if value is None:
        raise ConfigError(f"{name} is not set: {why}")
    return value


def integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole number within [low, high]; unset gives `default`."""
    raw = text(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
    return value


def number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    """A number within [low, high]; unset gives `default`."""
    raw = text(env, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g}, got {value:g}")
    return value


def choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    """One of `allowed` (case-insensitive); unset gives `default`."""
    raw = (text(env, name) or default).lower()
    if raw not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}, got {raw!r}")
    return raw


def database_url(env: Mapping[str, str]) -> str:
    """DATABASE_URL, checked to be a libpq URI or key=value string."""
    url = required(env, "DATABASE_URL", "set it to a PostgreSQL URI such as postgresql://user@host/db")
    if not (url.startswith(("postgresql://", "postgres://")) or "=" in url):
        raise ConfigError("DATABASE_URL must be a PostgreSQL URI such as postgresql://user@host/db")
    return url
