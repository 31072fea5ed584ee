"""Secrets at rest: channel URLs and contact targets are stored encrypted (Fernet).

Fernet (from `cryptography`) is authenticated symmetric encryption: AES-128-CBC with an
HMAC-SHA256, so a tampered or foreign value is refused rather than decrypted into garbage.

The key comes from ITSM_SECRETS_KEY: one Fernet key (`Fernet.generate_key()`), or several
separated by commas to rotate keys (the first encrypts, every one of them decrypts). When it
is unset, the key is derived from SECRET_KEY with HKDF-SHA256 (a fixed salt and purpose
label), so a fresh checkout works; changing SECRET_KEY then makes stored secrets unreadable,
which is why production should set ITSM_SECRETS_KEY of its own.

The model field that uses these is `messaging.fields.EncryptedTextField`.
"""

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured

_SALT = b"itsm.messaging.secrets"
_INFO = b"fernet key for stored channel URLs and contact targets"


def parse_keys(entries: list[str]) -> list[Fernet]:
    """Fernet instances for the configured keys; a malformed key raises
    ImproperlyConfigured (settings call this at start, so a typo stops the process)."""
    fernets = []
    for entry in entries:
        try:
            fernets.append(Fernet(entry.strip().encode()))
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                "ITSM_SECRETS_KEY must hold Fernet keys (32 url-safe base64-encoded bytes, "
                "as made by `Fernet.generate_key()`), separated by commas."
            ) from exc
    return fernets


def derive_key(secret_key: str) -> bytes:
    """A Fernet key derived from SECRET_KEY (HKDF-SHA256), used when ITSM_SECRETS_KEY is
    unset."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


def _cipher() -> MultiFernet:
    from django.conf import settings

    fernets = parse_keys(settings.ITSM_SECRETS_KEY)
    return MultiFernet(fernets or [Fernet(derive_key(settings.SECRET_KEY))])


def encrypt(text: str) -> str:
    return _cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The clear text of `token`; raises InvalidToken when no configured key opens it."""
    return _cipher().decrypt(token.encode()).decode()
