"""One JSON error shape for the whole API, and the mapping of domain errors onto it.

Every error answers ``{"status": 409, "code": "invalid_transition", "message": "...",
"errors": {"field": ["..."]}}``: `message` is written for a person, `code` is stable for
programs, `errors` (field name to messages) is present when specific fields are at fault.
"""

import math

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from incidents.exceptions import DomainError
from itsm.outage import RETRY_AFTER_SECONDS, is_outage

NON_FIELD = "non_field_errors"


class IdempotencyKeyReused(DomainError):
    """The same Idempotency-Key came with a different request body."""

    status_code = 422
    code = "idempotency_key_reused"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy("The incident changed since the version named in If-Match.")
    default_code = "precondition_failed"


class VersionRequired(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "Send the version you last read, as `version` in the body or an If-Match header, "
        "so that nobody else's change is overwritten."
    )
    default_code = "version_required"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request is too large.")
    default_code = "too_large"


class ServiceUnavailable(exceptions.APIException):
    """The database cannot be reached; nothing of the request was saved."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy(
        "The service desk is temporarily unavailable and nothing of this request was saved; "
        "retry after the number of seconds in Retry-After."
    )
    default_code = "unavailable"
    wait = RETRY_AFTER_SECONDS


def unavailable_json() -> JsonResponse:
    """The 503 for a database outage met outside a view (middleware), in the same shape."""
    response = JsonResponse(_from_api_exception(ServiceUnavailable()), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [f"{key}: {msg}" for key, value in detail.items() for msg in _messages(value)]
    if isinstance(detail, list):
        return [msg for item in detail for msg in _messages(item)]
    return [str(detail)]


def _field_errors(detail) -> dict[str, list[str]]:
    if isinstance(detail, list):
        return {NON_FIELD: _messages(detail)}
    return {str(field): _messages(value) for field, value in detail.items()}


def _body(status_code: int, code: str, message: str, errors=None) -> dict:
    body = {"status": status_code, "code": code, "message": message}
    if errors:
        body["errors"] = errors
    return body


def _from_validation(exc: exceptions.ValidationError) -> dict:
    errors = _field_errors(exc.detail)
    first = next(iter(errors.items()))
    label = "" if first[0] == NON_FIELD else f"{first[0]}: "
    return _body(400, "invalid", f"{label}{first[1][0]}", errors)


def _from_api_exception(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        return _from_validation(exc)
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    return _body(exc.status_code, code, " ".join(_messages(exc.detail)))


def _from_domain(exc: DomainError) -> dict:
    errors = {exc.field: [exc.message]} if exc.field else None
    return _body(exc.status_code, exc.code, exc.message, errors)


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: domain refusals, DRF errors and Django's 404/403
    all leave in the same shape; an unreachable database is 503 with Retry-After. Anything
    else is a bug and propagates (500)."""
    headers = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or you cannot see it."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif is_outage(exc):
        exc = ServiceUnavailable()
    if isinstance(exc, DomainError):
        body = _from_domain(exc)
    elif isinstance(exc, exceptions.APIException):
        body = _from_api_exception(exc)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(max(1, math.ceil(exc.wait)))
    else:
        return None
    from rest_framework.views import set_rollback  # here: that module loads the auth classes

    set_rollback()
    return Response(body, status=body["status"], headers=headers)
