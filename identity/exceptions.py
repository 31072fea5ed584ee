"""The one error type of sign-in: what went wrong, said so a person understands it."""

from django.utils.translation import gettext as _


class SignInError(Exception):
    """A sign-in that cannot go on. `message` is shown to the person; `reason` is a short
    code for the log and the tests; `status` is the page's HTTP status."""

    def __init__(self, message: str, *, reason: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.status = status


def provider_unreachable(name: str) -> SignInError:
    return SignInError(
        _(
            "%(provider)s cannot be reached right now, so single sign-on is not available. "
            "Try again in a few minutes; if it keeps happening, tell the IT service desk."
        )
        % {"provider": name},
        reason="provider_unreachable",
        status=503,
    )
