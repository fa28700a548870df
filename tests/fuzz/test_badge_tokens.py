"""Hypothesis on the badge token parser: 10,000 mutated tokens, none accepted.

The parser reads base32 without regard to ASCII letter case or surrounding blanks (staff may type
a code by hand), so lower case alone is the same badge, not a mutation: a separate test checks
that; in the mutations, case changes come on top of a real change. A sample is scanned too.
"""

from __future__ import annotations

import base64
import struct
import uuid
from collections import Counter
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventapp.badges import tokens
from eventapp.badges.tokens import PAYLOAD_BYTES, TokenError, parse_token, verify_token
from eventapp.checkin.services import scan
from eventapp.extensions import db
from eventapp.models import Direction, Meeting, ScanResult
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import add_meeting

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
#: Stand-ins for base32 characters: digits and letters people confuse with them, Cyrillic and
#: full-width twins, and non-ASCII letters whose upper case *is* the ASCII one (ı -> I, ſ -> S).
LOOK_ALIKES = {
    "I": "ı1l|\uff29",
    "S": "ſ5\u0455",
    "O": "0\u041e\u039f",
    "B": "8\u0412",
    "A": "\u0410\uff21",
    "E": "\u0415",
    "K": "\u212a\u041a",
    "Z": "2\u0396",
}
MUTATIONS = 10_000
SCANS = 300


@dataclass
class Tokens:
    meeting: Meeting
    genuine: list[str]
    other_meeting: str
    #: A's payload signed with B's key, and with a key nobody holds.
    forged: list[str]


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def _raw(token: str) -> bytes:
    return base64.b32decode(token + "=" * (-len(token) % 8))


def _as_base32(decimal: str) -> str:
    return _b32(int(decimal).to_bytes(tokens.TOKEN_BYTES, "big"))


def _signed(raw_payload: bytes, key: Ed25519PrivateKey) -> str:
    return _b32(raw_payload + key.sign(raw_payload))


@pytest.fixture
def keys(app) -> Tokens:
    meeting = add_meeting("2030-geneva")
    other = add_meeting("2031-accra")
    # Badges print decimal digits now; their base32 form (badges printed before) is still read,
    # and is what a person can mistype letter for letter, so it is the one fuzzed here.
    genuine = [_as_base32(badge_for(add_registration(meeting, "Ana", f"Pop{i}"))) for i in range(3)]
    other_token = _as_base32(badge_for(add_registration(other, "Ama", "Owusu")))
    payload = _raw(genuine[0])[:PAYLOAD_BYTES]
    forged = [_signed(payload, tokens._private_key(other)), _signed(payload, Ed25519PrivateKey.generate())]
    return Tokens(meeting, genuine, other_token, forged)


def _canonical(text: str) -> str | None:
    """What the parser reads the text as, or None if it can never be a token."""
    value = text.strip()
    return value.upper() if value.isascii() else None


def _mutations(keys: Tokens) -> st.SearchStrategy[tuple[str, str]]:
    """(kind, text) pairs: every way of damaging or forging a token the test knows."""
    token = st.sampled_from(keys.genuine)
    position = st.integers(0, len(keys.genuine[0]) - 1)

    @st.composite
    def bit_flip(draw: st.DrawFn) -> str:
        raw = bytearray(_raw(draw(token)))
        bit = draw(st.integers(0, len(raw) * 8 - 1))
        raw[bit // 8] ^= 1 << (bit % 8)
        return _b32(bytes(raw))

    @st.composite
    def char_swap(draw: st.DrawFn) -> str:
        text, i = draw(token), draw(position)
        new = draw(st.sampled_from(ALPHABET).filter(lambda c: c != text[i]))
        return text[:i] + new + text[i + 1 :]

    @st.composite
    def truncation(draw: st.DrawFn) -> str:
        text = draw(token)
        start = draw(st.integers(0, 3))
        return text[start : draw(st.integers(0, len(text) - 1))] if start == 0 else text[start:]

    @st.composite
    def insertion(draw: st.DrawFn) -> str:
        text, i = draw(token), draw(position)
        return text[:i] + draw(st.text(ALPHABET + "=-", min_size=1, max_size=3)) + text[i:]

    @st.composite
    def deletion(draw: st.DrawFn) -> str:
        text, i = draw(token), draw(position)
        return text[:i] + text[i + draw(st.integers(1, 3)) :]

    @st.composite
    def transposition(draw: st.DrawFn) -> str:
        text = draw(token)
        i = draw(st.sampled_from([i for i in range(len(text) - 1) if text[i] != text[i + 1]]))
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]

    @st.composite
    def case_change(draw: st.DrawFn) -> str:
        """A damaged token (one character swapped or one bit flipped) typed partly in lower case."""
        text = draw(st.one_of(char_swap(), bit_flip()))
        i = draw(position)
        return text[:i] + text[i:].lower()

    @st.composite
    def look_alike(draw: st.DrawFn) -> str:
        text = draw(token)
        i = draw(st.sampled_from([i for i, c in enumerate(text) if c in LOOK_ALIKES]))
        return text[:i] + draw(st.sampled_from(LOOK_ALIKES[text[i]])) + text[i + 1 :]

    @st.composite
    def swapped_meeting(draw: st.DrawFn) -> str:
        raw = bytearray(_raw(draw(token)))
        # Small ids name real meetings; the ends of the signed and unsigned 32-bit ranges test the lookup.
        near_ends = st.sampled_from([2**31 - 1, 2**31, 2**32 - 1])
        any_id = st.one_of(st.integers(0, 50), near_ends, st.integers(0, 2**32 - 1))
        meeting_id = draw(any_id.filter(lambda n: n != keys.meeting.id))
        raw[1:5] = struct.pack(">I", meeting_id)
        return _b32(bytes(raw))

    @st.composite
    def new_version(draw: st.DrawFn) -> str:
        raw = bytearray(_raw(draw(token)))
        raw[0] = draw(st.integers(0, 255).filter(lambda v: v != tokens.VERSION))
        return _b32(bytes(raw))

    @st.composite
    def resigned(draw: st.DrawFn) -> str:
        """A payload of the forger's choosing, signed with a key that is not the meeting's."""
        payload = struct.pack(">BI", tokens.VERSION, keys.meeting.id) + draw(st.binary(min_size=10, max_size=10))
        return _signed(payload, Ed25519PrivateKey.from_private_bytes(draw(st.binary(min_size=32, max_size=32))))

    kinds = {
        "bit flip": bit_flip(),
        "character swap": char_swap(),
        "truncation": truncation(),
        "insertion": insertion(),
        "deletion": deletion(),
        "transposition": transposition(),
        "case change": case_change(),
        "look-alike": look_alike(),
        "swapped meeting id": swapped_meeting(),
        "other version": new_version(),
        "re-signed by another key": resigned(),
        "other meeting's badge": st.just(keys.other_meeting),
        "forged with another meeting's key": st.sampled_from(keys.forged),
        "random base32": st.text(ALPHABET, min_size=len(keys.genuine[0]), max_size=len(keys.genuine[0])),
        "random text": st.text(max_size=200),
    }
    return st.one_of([strategy.map(lambda text, kind=kind: (kind, text)) for kind, strategy in kinds.items()])


def test_mutated_tokens_are_never_accepted(keys: Tokens) -> None:
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()

    @settings(
        max_examples=MUTATIONS, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(_mutations(keys))
    def check(mutation: tuple[str, str]) -> None:
        kind, text = mutation
        kinds[kind] += 1
        assert _canonical(text) not in keys.genuine, "the strategy made the genuine badge again"
        try:
            parse_token(text)  # any other exception fails the test
            verify_token(keys.meeting, text)
        except TokenError:
            outcomes["refused"] += 1
        else:
            outcomes["accepted"] += 1
            raise AssertionError(f"{kind} accepted: {text!r}")

    check()
    print(f"\nbadge tokens: {outcomes.total()} mutations, {dict(outcomes)}; per kind: {dict(kinds)}")
    assert outcomes["refused"] >= MUTATIONS
    assert outcomes["accepted"] == 0
    assert set(kinds) == {
        "bit flip",
        "character swap",
        "truncation",
        "insertion",
        "deletion",
        "transposition",
        "case change",
        "look-alike",
        "swapped meeting id",
        "other version",
        "re-signed by another key",
        "other meeting's badge",
        "forged with another meeting's key",
        "random base32",
        "random text",
    }


def test_lower_case_and_blanks_read_as_the_same_badge(keys: Tokens) -> None:
    read = Counter[str]()

    @settings(max_examples=200, deadline=None, derandomize=True, database=None)
    @given(st.sampled_from(keys.genuine), st.data())
    def check(token: str, data: st.DataObject) -> None:
        i = data.draw(st.integers(0, len(token) - 1))
        j = data.draw(st.integers(i + 1, len(token)))
        blank = data.draw(st.sampled_from(["", " ", "\t", "\r\n", "\u2003"]))
        typed = blank + token[:i] + token[i:j].lower() + token[j:] + blank
        assert verify_token(keys.meeting, typed).token_id == parse_token(token).token_id
        read["same badge"] += 1

    check()
    assert read["same badge"] >= 200


def test_mutated_tokens_scanned_are_refused_and_recorded(keys: Tokens) -> None:
    """Through the scan service and the database: no error, and no mutated token admits anyone."""
    results: Counter[str] = Counter()

    @settings(
        max_examples=SCANS, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    # The API refuses NUL before scanning; the same badge read in lower case is not a mutation.
    @given(_mutations(keys).filter(lambda m: "\x00" not in m[1] and _canonical(m[1]) not in keys.genuine))
    def check(mutation: tuple[str, str]) -> None:
        kind, text = mutation
        outcome = scan(keys.meeting, token=text, checkpoint="entrance", direction=Direction.IN, nonce=uuid.uuid4().hex)
        results[outcome.result.value] += 1
        expected = {ScanResult.WRONG_MEETING} if text == keys.other_meeting else {ScanResult.INVALID}
        assert outcome.result in expected, (kind, text, outcome)

    check()
    assert results.total() >= SCANS
    db.session.rollback()
