"""Encryption of personal data at rest (passport details, signing keys) with Fernet.

The key comes from `DATA_ENCRYPTION_KEY`; in development one is made once under `instance/`.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


class DecryptionError(ValueError):
    """The stored value was not encrypted with the current key."""


def _fernet() -> Fernet:
    return Fernet(current_app.config["DATA_ENCRYPTION_KEY"].encode("ascii"))


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DecryptionError("stored value cannot be decrypted with DATA_ENCRYPTION_KEY") from exc
