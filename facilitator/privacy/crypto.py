"""Envelope encryption of identity data (SECURITY.md P2, P3).

Each case with identity has its own 256-bit data key (DEK). Values are encrypted with
AES-256-GCM under the DEK, with associated data that names table, row and column, so a
ciphertext moved to another place fails to decrypt. DEKs are wrapped (AES-256-GCM again) by a
master key that is never stored in either database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app

from facilitator.config import is_production, read_or_create_instance_secret

NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """A ciphertext did not decrypt: wrong key, moved ciphertext, or erased key."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def associated_data(table: str, row_id: int, column: str) -> bytes:
    """Bind a ciphertext to its place: table, row and column."""
    return f"casustafel|{table}|{row_id}|{column}".encode()


def encrypt(key: bytes, plaintext: str, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), aad)


def decrypt(key: bytes, blob: bytes, aad: bytes) -> str:
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad).decode("utf-8")
    except (InvalidTag, ValueError) as error:
        raise DecryptionError("ciphertext does not decrypt with this key and place") from error


def key_id(key: bytes) -> str:
    """A short public fingerprint that says which master key wrapped a data key."""
    return hashlib.sha256(b"casustafel-master-key-id|" + key).hexdigest()[:16]


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


def decode_key(text: str) -> bytes:
    key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    if len(key) != KEY_BYTES:
        raise ValueError("a master key must be 32 bytes, base64-encoded")
    return key


@dataclass(frozen=True)
class MasterKeyRing:
    """The master keys in order: the first wraps new keys, all of them can unwrap."""

    keys: tuple[bytes, ...]

    @property
    def current_id(self) -> str:
        return key_id(self.keys[0])

    def wrap(self, data_key: bytes, aad: bytes) -> tuple[str, bytes]:
        return self.current_id, encrypt_bytes(self.keys[0], data_key, aad)

    def unwrap(self, wrapped_by: str, blob: bytes, aad: bytes) -> bytes:
        for key in self.keys:
            if key_id(key) == wrapped_by:
                return decrypt_bytes(key, blob, aad)
        raise DecryptionError(f"master key {wrapped_by} is not configured")


def encrypt_bytes(key: bytes, data: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, data, aad)


def decrypt_bytes(key: bytes, blob: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError) as error:
        raise DecryptionError("wrapped key does not decrypt") from error


def master_key_ring(app: Flask | None = None) -> MasterKeyRing:
    """Return the configured master keys, generating one into the instance folder if none."""
    app = app or current_app._get_current_object()
    configured = app.config.get("MASTER_KEYS")
    if not configured:
        if is_production(app):
            raise RuntimeError("FACILITATOR_MASTER_KEYS must be set in production")
        configured = read_or_create_instance_secret(
            app, "master_keys", lambda: encode_key(new_data_key())
        )
    keys = tuple(decode_key(part) for part in str(configured).split(",") if part.strip())
    if not keys:
        raise RuntimeError("no master key configured")
    return MasterKeyRing(keys)


def blind_index_key(app: Flask | None = None) -> bytes:
    app = app or current_app._get_current_object()
    configured = app.config.get("BLIND_INDEX_KEY")
    if not configured:
        if is_production(app):
            raise RuntimeError("FACILITATOR_BLIND_INDEX_KEY must be set in production")
        configured = read_or_create_instance_secret(
            app, "blind_index_key", lambda: encode_key(new_data_key())
        )
    return decode_key(str(configured))


def blind_index(kind: str, normalised_value: str) -> str:
    """HMAC-SHA256 of a normalised value: equal values match, the value cannot be recovered."""
    message = f"{kind}|{normalised_value}".encode()
    return hmac.new(blind_index_key(), message, hashlib.sha256).hexdigest()
