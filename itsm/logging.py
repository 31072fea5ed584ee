"""Logging helpers referenced from settings.LOGGING."""

import logging

# Django logs a refused suspicious request (400) on `django.security.<ExceptionName>` at
# ERROR. The ones listed here are what any client can cause with a crafted URL, header or
# body; they are kept, as warnings, so ERROR still means something broke on our side.
CLIENT_CAUSED = [
    "DisallowedHost",
    "DisallowedModelAdminLookup",
    "DisallowedModelAdminToField",
    "DisallowedRedirect",
    "RequestDataTooBig",
    "SuspiciousFileOperation",
    "SuspiciousMultipartForm",
    "SuspiciousSession",
    "TooManyFieldsSent",
    "TooManyFilesSent",
]


class AsWarning(logging.Filter):
    """Records passing through are logged as warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
