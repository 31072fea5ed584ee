"""Strict readers for configuration from environment variables.

Every reader fails loudly on a value it cannot parse: a typo in production must stop the
process at start, not silently fall back to a default. Each variable may also be given as
``NAME_FILE`` pointing at a file holding the value (Docker/Kubernetes secrets).
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    return os.environ.get(name)


def is_set(name: str) -> bool:
    value = _raw(name)
    return value is not None and value != ""


def string(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def boolean(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no.")


def integer(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from exc


SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def slug(name: str, default: str) -> str:
    """A slug (letters, digits, hyphens, underscores), such as a team's."""
    value = string(name, default).strip()
    if not SLUG.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a slug; use letters, digits, hyphens and underscores."
        )
    return value


def string_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
