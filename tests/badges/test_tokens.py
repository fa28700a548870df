from __future__ import annotations

import base64

import pytest
import qrcode.util

from eventapp.badges.services import reissue_badge
from eventapp.badges.tokens import TOKEN_LENGTH, TokenError, parse_token, verify_token
from eventapp.extensions import db
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import add_meeting


def test_token_is_compact_uppercase_base32_in_qr_alphanumeric_mode(app):
    meeting = add_meeting()
    person = add_registration(meeting, "Ana", "Pop")
    token = badge_for(person)
    assert len(token) == TOKEN_LENGTH
    assert token == token.upper() and "=" not in token
    assert qrcode.util.optimal_mode(token.encode()) == qrcode.util.MODE_ALPHA_NUM
    assert "ANA" not in token and "POP" not in token
    parsed = verify_token(meeting, token)
    assert parsed.meeting_id == meeting.id


def _flip(token: str, index: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    c = token[index]
    return token[:index] + alphabet[(alphabet.index(c) + 1) % 32] + token[index + 1 :]


def test_forged_truncated_and_mutated_tokens_are_refused(app):
    meeting = add_meeting()
    token = badge_for(add_registration(meeting, "Ana", "Pop"))
    for index in (0, 5, 20, 40, 80, len(token) - 2):
        with pytest.raises(TokenError):
            verify_token(meeting, _flip(token, index))
    for cut in (1, 10, 60):
        with pytest.raises(TokenError):
            verify_token(meeting, token[:-cut])
    with pytest.raises(TokenError):
        verify_token(meeting, token + "A")
    # A forger who knows the layout but not the key: same header, random signature.
    raw = bytearray(base64.b32decode(token + "=" * (-len(token) % 8)))
    raw[-64:] = bytes(64)
    with pytest.raises(TokenError):
        verify_token(meeting, base64.b32encode(bytes(raw)).decode().rstrip("="))
    with pytest.raises(TokenError):
        parse_token("HELLO")


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
