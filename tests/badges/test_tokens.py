from __future__ import annotations

import base64

import pytest
import qrcode.util

from eventapp.badges.pdf import qr_runs
from eventapp.badges.services import reissue_badge
from eventapp.badges.tokens import DECIMAL_LENGTH, TOKEN_BYTES, TOKEN_LENGTH, TokenError, parse_token, verify_token
from eventapp.extensions import db
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import add_meeting


def test_token_is_a_number_in_qr_numeric_mode_with_a_smaller_symbol_than_base32(app):
    meeting = add_meeting()
    person = add_registration(meeting, "Ana", "Pop")
    token = badge_for(person)
    assert len(token) == DECIMAL_LENGTH == 191 and token.isdigit()
    assert qrcode.util.optimal_mode(token.encode()) == qrcode.util.MODE_NUMBER
    parsed = verify_token(meeting, token)
    assert parsed.meeting_id == meeting.id
    size, _ = qr_runs(token)
    old_size, _ = qr_runs(as_base32(token))
    assert (size, old_size) == (37, 41)  # version 5 instead of 6


def as_base32(token: str) -> str:
    """The same token as badges printed before wrote it."""
    return base64.b32encode(int(token).to_bytes(TOKEN_BYTES, "big")).decode().rstrip("=")


def test_badges_printed_with_base32_tokens_stay_valid(app):
    meeting = add_meeting()
    token = badge_for(add_registration(meeting, "Ana", "Pop"))
    old = as_base32(token)
    assert len(old) == TOKEN_LENGTH and old == old.upper()
    assert verify_token(meeting, old) == verify_token(meeting, token)
    assert verify_token(meeting, old.lower()).token_id == verify_token(meeting, token).token_id


def _flip(token: str, index: int) -> str:
    alphabet = "0123456789" if token.isdigit() else "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    c = token[index]
    return token[:index] + alphabet[(alphabet.index(c) + 1) % len(alphabet)] + token[index + 1 :]


@pytest.mark.parametrize("written", ["decimal", "base32"])
def test_forged_truncated_and_mutated_tokens_are_refused(app, written):
    meeting = add_meeting()
    token = badge_for(add_registration(meeting, "Ana", "Pop"))
    if written == "base32":
        token = as_base32(token)
    for index in (0, 5, 20, 40, 80, len(token) - 2):
        with pytest.raises(TokenError):
            verify_token(meeting, _flip(token, index))
    for cut in (1, 10, 60):
        with pytest.raises(TokenError):
            verify_token(meeting, token[:-cut])
    with pytest.raises(TokenError):
        verify_token(meeting, token + ("1" if written == "decimal" else "A"))
    # A forger who knows the layout but not the key: same header, random signature.
    raw = bytearray(int(token).to_bytes(TOKEN_BYTES, "big") if written == "decimal" else b32(token))
    raw[-64:] = bytes(64)
    with pytest.raises(TokenError):
        verify_token(meeting, str(int.from_bytes(raw, "big")).zfill(DECIMAL_LENGTH))
    with pytest.raises(TokenError):
        verify_token(meeting, base64.b32encode(bytes(raw)).decode().rstrip("="))
    with pytest.raises(TokenError):
        parse_token("HELLO")
    with pytest.raises(TokenError):
        parse_token("9" * DECIMAL_LENGTH)  # larger than any 79-byte number


def b32(token: str) -> bytes:
    return base64.b32decode(token + "=" * (-len(token) % 8))


def test_token_of_another_meeting_is_refused(app):
    one, other = add_meeting("2030-geneva"), add_meeting("2031-accra")
    token = badge_for(add_registration(other, "Ama", "Mensah"))
    with pytest.raises(TokenError):
        verify_token(one, token)
    assert verify_token(other, token).meeting_id == other.id


def test_reissue_revokes_the_old_badge(app):
    meeting = add_meeting()
    person = add_registration(meeting, "Ana", "Pop")
    first = badge_for(person)
    new_badge = reissue_badge(person)
    db.session.commit()
    old_id = parse_token(first).token_id
    assert new_badge.token_id != old_id
    from eventapp.models import Badge

    old = db.session.query(Badge).filter_by(token_id=old_id).one()
    assert old.revoked_at is not None and new_badge.revoked_at is None
