"""The one error type of the domain; each channel maps it once to what its users see
(admin message, portal form error, API 400/409/412)."""


class DomainError(Exception):
    """A rule refused the change. `message` is written for the person who asked."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidTransition(DomainError):
    status_code = 409
    code = "invalid_transition"


class NotPermitted(DomainError):
    """The person asking may not do this to this incident (they may still see it)."""

    status_code = 403
    code = "permission_denied"


class StaleVersion(DomainError):
    """Someone else saved the incident since the caller read it; nothing was overwritten."""

    status_code = 409
    code = "stale_version"


class AttachmentRejected(DomainError):
    code = "attachment_rejected"


class AttachmentTooLarge(AttachmentRejected):
    status_code = 413
    code = "attachment_too_large"
