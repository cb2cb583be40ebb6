"""Strict readers of the environment, after Healthchecks' settings helpers.

A missing or malformed value stops the process at start with a message that names the
variable, instead of surfacing later as a confusing error. Every reader also accepts
``NAME_FILE`` pointing at a file that holds the value (Docker and Kubernetes secrets).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at {file_name!r}, which cannot be read: {exc}") from exc
    return os.environ.get(name)


def env_str(name: str, default=_REQUIRED) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is _REQUIRED:
            raise ImproperlyConfigured(f"The environment variable {name} is required and is not set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"The environment variable {name} must be true or false, not {value!r}.")


def env_int(name: str, default=_REQUIRED) -> int:
    value = env_str(name, default=None if default is not _REQUIRED else _REQUIRED)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"The environment variable {name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default=_REQUIRED) -> list[str]:
    """A comma-separated list; empty items are dropped. A required list must not be empty."""
    value = env_str(name, default=None if default is not _REQUIRED else _REQUIRED)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items and default is _REQUIRED:
        raise ImproperlyConfigured(f"The environment variable {name} must list at least one value.")
    return items
