"""`EncryptedTextField`: a model field whose column holds only the Fernet token of its value
(messaging/secrets.py).

A value that cannot be decrypted (the key changed) reads as `Undecryptable`: an empty
string that keeps the stored token, so saving the row again does not destroy it, and
delivery fails with a message saying what to do.
"""

import logging

from cryptography.fernet import InvalidToken
from django.db import models

from messaging.secrets import decrypt, encrypt

logger = logging.getLogger(__name__)


class Undecryptable(str):
    """What a stored secret reads as when no key opens it: empty, but keeping the token."""

    token: str

    def __new__(cls, token: str):
        value = super().__new__(cls, "")
        value.token = token
        return value


class EncryptedTextField(models.TextField):
    """A text field whose column holds the Fernet token of the value, never the value.

    Python code sees the clear text; lookups by value cannot work (every encryption of the
    same text differs), so the field is for storing and reading back only.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except InvalidToken:
            logger.warning("A stored %s cannot be decrypted with the configured key", self.name)
            return Undecryptable(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, Undecryptable):
            return value.token
        if value is None or value == "":
            return value
        return encrypt(value)
