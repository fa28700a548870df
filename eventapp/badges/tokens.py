"""Badge tokens: an opaque, compact value signed with the meeting's Ed25519 key.

Layout before encoding (79 bytes): version (1) | meeting id (4, big-endian) | token id (10) |
Ed25519 signature (64) over the first 15 bytes. Written as the 79 bytes' big-endian number in 191
decimal digits, which a QR code holds in numeric mode (version 5, 37 x 37 modules at level M,
where the same bytes in base32 need version 6). Badges printed before hold the bytes as
uppercase RFC 4648 base32 without padding (127 characters); both texts of a token are accepted.
The token carries no personal data: the token id is random and only the server (or the offline
roster) maps it to a person.
"""

from __future__ import annotations

import base64
import binascii
import functools
import secrets
import struct
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from eventapp.extensions import db
from eventapp.models import Meeting
from eventapp.privacy.crypto import decrypt_text, encrypt_text

VERSION = 1
TOKEN_ID_BYTES = 10
_HEADER = struct.Struct(">BI")
PAYLOAD_BYTES = _HEADER.size + TOKEN_ID_BYTES
SIGNATURE_BYTES = 64
TOKEN_BYTES = PAYLOAD_BYTES + SIGNATURE_BYTES
#: Length of an encoded token: 79 bytes in base32 without padding (badges printed before).
TOKEN_LENGTH = (TOKEN_BYTES * 8 + 4) // 5
#: Length of a token written in decimal digits: enough for any 79-byte number.
DECIMAL_LENGTH = len(str(2 ** (TOKEN_BYTES * 8) - 1))
#: meetings.id is a 32-bit INTEGER: a larger id names no meeting (and PostgreSQL refuses to look it up).
MAX_MEETING_ID = 2**31 - 1


class TokenError(ValueError):
    """The text is not a well-formed badge token."""


@dataclass(frozen=True)
class ParsedToken:
    meeting_id: int
    token_id: str
    payload: bytes
    signature: bytes


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class MissingKey(RuntimeError):
    """The meeting has no stored signing key: ensure_meeting_key comes first."""


def ensure_meeting_key(meeting: Meeting) -> None:
    """Give the meeting its signing key pair the first time one is needed (the caller commits).

    The pair is written only where none is stored, then read back: of requests that race to make
    the first badges, one stores its pair and the others wait for its commit and take that pair,
    so no badge is ever signed with a key that is then thrown away.
    """
    if meeting.badge_signing_key and meeting.badge_public_key:
        return
    key = Ed25519PrivateKey.generate()
    raw_private = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    db.session.execute(
        sa.update(Meeting)
        .where(
            Meeting.id == meeting.id, sa.or_(Meeting.badge_signing_key.is_(None), Meeting.badge_public_key.is_(None))
        )
        .values(
            badge_signing_key=encrypt_text(_b64url(raw_private)),
            badge_public_key=_b64url(key.public_key().public_bytes_raw()),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(meeting, ["badge_signing_key", "badge_public_key"])


def _private_key(meeting: Meeting) -> Ed25519PrivateKey:
    if not meeting.badge_signing_key:
        raise MissingKey(f"meeting {meeting.id} has no signing key")
    raw = base64.urlsafe_b64decode(decrypt_text(meeting.badge_signing_key) + "==")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key(meeting: Meeting) -> Ed25519PublicKey:
    return _public_key(meeting.badge_public_key or "")


@functools.lru_cache(maxsize=64)
def _public_key(encoded: str) -> Ed25519PublicKey:
    """Keyed by the key's text, so a changed key is never served from the cache."""
    return Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(encoded + "=="))


def new_token_id() -> str:
    return secrets.token_hex(TOKEN_ID_BYTES)


def make_token(meeting: Meeting, token_id: str) -> str:
    """The encoded token for one badge of this meeting, signed with its stored key (MissingKey if none)."""
    payload = _HEADER.pack(VERSION, meeting.id) + bytes.fromhex(token_id)
    signature = _private_key(meeting).sign(payload)
    return str(int.from_bytes(payload + signature, "big")).zfill(DECIMAL_LENGTH)


def parse_token(text: str) -> ParsedToken:
    """Split a token into its parts without checking the signature; TokenError if malformed."""
    if not isinstance(text, str):
        raise TokenError("not text")
    return _parsed(text)


@functools.lru_cache(maxsize=16384)
def _parsed(text: str) -> ParsedToken:
    """parse_token's work, remembered per text: a badge is scanned again and again, and decoding
    costs a good part of a scan; a ParsedToken cannot be changed.
    Malformed texts raise and are not remembered."""
    value = text.strip()
    # Before upper(): "ı".upper() is "I" and "ſ".upper() is "S", so look-alikes would read as the badge.
    if not value.isascii():
        raise TokenError("not base32")
    decimal = value.isdigit() and len(value) == DECIMAL_LENGTH
    raw = _decimal_bytes(value) if decimal else _base32_bytes(value.upper())
    version, meeting_id = _HEADER.unpack(raw[: _HEADER.size])
    if version != VERSION:
        raise TokenError("unknown version")
    if not 0 < meeting_id <= MAX_MEETING_ID:
        raise TokenError("meeting id out of range")
    return ParsedToken(
        meeting_id=meeting_id,
        token_id=raw[_HEADER.size : PAYLOAD_BYTES].hex(),
        payload=raw[:PAYLOAD_BYTES],
        signature=raw[PAYLOAD_BYTES:],
    )


def _decimal_bytes(value: str) -> bytes:
    if len(value) != DECIMAL_LENGTH:
        raise TokenError("wrong length")
    try:
        return int(value).to_bytes(TOKEN_BYTES, "big")
    except OverflowError as exc:
        raise TokenError("too large") from exc


def _base32_bytes(value: str) -> bytes:
    if len(value) != TOKEN_LENGTH:
        raise TokenError("wrong length")
    try:
        raw = base64.b32decode(value + "=" * (-len(value) % 8))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("not base32") from exc
    # base32 ignores the low bits of the last character; re-encoding catches mutations there.
    if base64.b32encode(raw).decode("ascii").rstrip("=") != value or len(raw) != TOKEN_BYTES:
        raise TokenError("not canonical")
    return raw


def signature_valid(meeting: Meeting, parsed: ParsedToken) -> bool:
    return signature_valid_with(meeting.badge_public_key, meeting.id, parsed)


def signature_valid_with(encoded_key: str | None, meeting_id: int, parsed: ParsedToken) -> bool:
    """Whether the token was signed with this meeting's key (given as stored: base64url text)."""
    if not encoded_key or parsed.meeting_id != meeting_id:
        return False
    return _signed_by(encoded_key, parsed.payload, parsed.signature)


@functools.lru_cache(maxsize=16384)
def _signed_by(encoded_key: str, payload: bytes, signature: bytes) -> bool:
    """Ed25519 verification, remembered per key and token.

    A badge is scanned again and again (door, rooms, exits) and checking it costs more than the
    rest of a scan's own work; the answer depends on nothing else, so remembering it changes no result.
    """
    try:
        _public_key(encoded_key).verify(signature, payload)
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_token(meeting: Meeting, text: str) -> ParsedToken:
    """The token's parts when it is well formed and signed by this meeting; TokenError otherwise."""
    parsed = parse_token(text)
    if not signature_valid(meeting, parsed):
        raise TokenError("bad signature or another meeting")
    return parsed
