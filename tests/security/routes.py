"""Every URL the project serves, read from the URLconf, so a new route cannot be forgotten
by the access and CSRF tests: they iterate over this list, not over one written by hand."""

import re
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# `<converter:name>` in path() routes; groups in re_path() routes.
_CONVERTER = re.compile(r"(?<!\?P)<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^()]*\)")


@dataclass(frozen=True)
class Route:
    pattern: str  # the whole pattern, prefixes included
    name: str  # namespaced ("admin:incidents_incident_change"), or the pattern when unnamed
    callback: object
    params: tuple[str, ...]  # parameter names; regex groups without a name are "_1", "_2"
    model_admin: object = None  # the ModelAdmin whose get_urls() made it, if any

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")

    @property
    def csrf_exempt(self) -> bool:
        return bool(getattr(self.callback, "csrf_exempt", False))

    def fill(self, **values) -> str:
        """The path with each parameter replaced by `values[name]` (str()-ed)."""
        path, counter = self.pattern, iter(range(1, 10))

        def regex_group(match):
            key = match.group("name") or f"_{next(counter)}"
            return str(values[key])

        path = _CONVERTER.sub(lambda m: str(values[m.group("name")]), path)
        path = _GROUP.sub(regex_group, path)
        return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def _params(pattern: str) -> tuple[str, ...]:
    names = [m.group("name") for m in _CONVERTER.finditer(pattern)]
    counter = iter(range(1, 10))
    names += [m.group("name") or f"_{next(counter)}" for m in _GROUP.finditer(pattern)]
    return tuple(names)


def _model_admin_for(prefix: str):
    for model, model_admin in admin.site._registry.items():
        if prefix == f"admin/{model._meta.app_label}/{model._meta.model_name}/":
            return model_admin
    return None


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        piece = str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + piece, inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + piece
            name = f"{namespace}{entry.name}" if entry.name else pattern
            yield Route(
                pattern=pattern,
                name=name,
                callback=entry.callback,
                params=_params(pattern) if _has_params(entry, pattern) else (),
                model_admin=_model_admin_for(prefix),
            )


def _has_params(entry, pattern: str) -> bool:
    if isinstance(entry.pattern, RoutePattern) and "<" in pattern:
        return True
    return bool(_GROUP.search(pattern)) or "<" in pattern


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


def routes_with_params() -> list[Route]:
    return [route for route in all_routes() if route.params]
