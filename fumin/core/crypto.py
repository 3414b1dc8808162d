"""Encryption and keyed hashing for personal data (resident ID numbers).

The value is encrypted with Fernet (AES-128-CBC plus HMAC) so it can be shown in full to someone
with the right, and hashed with HMAC-SHA256 under a separate key so the same person is found again
on import without decrypting every row. Keys come from settings; on a laptop both are derived
from SECRET_KEY. ``FUMIN_FIELD_ENCRYPTION_KEY`` may list several keys, newest first, to rotate.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _derived_key(purpose: str) -> bytes:
    digest = hashlib.sha256(f"fumin:{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet(configured: str) -> MultiFernet:
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    if not keys:
        keys = [_derived_key("encryption").decode()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _hash_key() -> bytes:
    configured = settings.FIELD_HASH_KEY
    return configured.encode() if configured else _derived_key("hash")


def encrypt(plaintext: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def keyed_hash(value: str) -> str:
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()
