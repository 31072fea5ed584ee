"""The SMTP mail backend: Django's, remembering the envelope addresses it has cleaned.

Before each message Django's backend parses the sender and every recipient with the
standard library's full RFC 5322 address parser (`sanitize_address`), about 70 µs an
address, as much as writing a whole notification's bytes (`notifications.mime`). The same
few senders and mailboxes come back all day, and the result depends on the address and the
charset only, so it is kept (a bounded cache). Everything else, connection handling and
errors included, is Django's.
"""

import smtplib
from functools import lru_cache

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as DjangoSmtpBackend
from django.core.mail.message import sanitize_address


@lru_cache(maxsize=4096)
def _envelope(address: str | tuple, encoding: str) -> str:
    return sanitize_address(address, encoding)


def envelope_address(address, encoding: str) -> str:
    """`sanitize_address(address, encoding)`, remembered (raises the same ValueError)."""
    try:
        return _envelope(address, encoding)
    except TypeError:  # unhashable (a list pair): not worth remembering
        return sanitize_address(address, encoding)


class EmailBackend(DjangoSmtpBackend):
    """Django's SMTP backend with `envelope_address` for the envelope."""

    def _send(self, email_message) -> bool:
        recipients = email_message.recipients()
        if not recipients:
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        sender = envelope_address(email_message.from_email, encoding)
        to = [envelope_address(address, encoding) for address in recipients]
        data = email_message.message().as_bytes(linesep="\r\n")
        try:
            self.connection.sendmail(sender, to, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
