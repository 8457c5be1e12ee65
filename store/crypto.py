"""Encryption of tokens at rest (Fernet: AES-128-CBC with HMAC-SHA256, from ``cryptography``)."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

__all__ = ["Cipher", "InvalidToken", "load_or_create_key"]


def load_or_create_key(configured: str | None, data_dir: Path) -> str:
    """``COPILOT_SECRET_KEY`` when set, else a key generated once into the data folder (0600)."""
    if configured:
        return configured
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    # O_EXCL: two processes starting together must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class Cipher:
    """Encrypts and decrypts small secrets with a key derived from any passphrase."""

    def __init__(self, secret: str) -> None:
        # Any string works as COPILOT_SECRET_KEY: derive the 32-byte Fernet key from it.
        digest = hashlib.sha256(secret.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def encrypt(self, plaintext: bytes) -> bytes:
        """Ciphertext (authenticated) of ``plaintext``."""
        return self._fernet.encrypt(plaintext)

    def decrypt(self, ciphertext: bytes) -> bytes:
        """The plaintext; raises ``InvalidToken`` if the key is wrong or the data was altered."""
        return self._fernet.decrypt(ciphertext)

    def __repr__(self) -> str:
        return "Cipher(<key hidden>)"
