"""Authorisation rules for speakers' lists (world: tests/speakers/world_part.py).

Merged into RULES by test_authorisation_matrix.py. The opening plenary's list is not published
(hosts only; the rest are told there is none); the working session's list is published (public).
"""

from __future__ import annotations

from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import SpeakerInscription
from tests.security.matrix import ADMIN, FOCAL_POINT_A, HOST, Rule, public, rule, shown_to, signed_in
from tests.security.world import World

STAFF = signed_in(HOST, ADMIN)
UNPUBLISHED = shown_to(HOST, ADMIN)
#: A delegation's speakers' pages need an account: its focal point (A's), hosts and the secretariat.
DELEGATION_A = signed_in(FOCAL_POINT_A, HOST, ADMIN)
DELEGATION_B = signed_in(HOST, ADMIN)


def _working(w: World) -> int:
    return w.session_picked


def _b(w: World) -> int:
    return w.delegation_b


def _inscription_of_b(w: World) -> dict[str, str]:
    found = db.session.scalar(select(SpeakerInscription.id).where(SpeakerInscription.delegation_id == w.delegation_b))
    return {"inscription_id": str(found), "direction": "up"}


def _settings(w: World) -> dict[str, str]:
    return {"inscriptions_close_local": w.local(0, 8), "minutes": "4", "seconds": "0", "chairs_first": "y"}


def _readable() -> list[Rule]:
    return [rule(UNPUBLISHED, "unpublished"), rule(public(), "published", session_id=_working)]


RULES: dict[str, list[Rule]] = {
    "speakers.index": [rule(STAFF)],
    "speakers.settings": [
        rule(STAFF, form=_settings),
        rule(STAFF, "a session without a list", session_id=lambda w: w.session_delegations, form=_settings),
    ],
    "speakers.manage": [rule(STAFF)],
    "speakers.move_speaker": [rule(STAFF, form=_inscription_of_b)],
    "speakers.console": [rule(STAFF)],
    "speakers.act": [rule(STAFF, json=lambda w: {"action": "next", "key": "matrix"})],
    "speakers.show": _readable(),
    "speakers.live_state": _readable(),
    "speakers.display": _readable(),
    "speakers.record": _readable(),
    "speakers.record_as_csv": _readable(),
    "speakers.record_as_pdf": _readable(),
    "speakers.delegation_lists": [rule(DELEGATION_A, "A"), rule(DELEGATION_B, "B", delegation_id=_b)],
    "speakers.inscribe_delegation": [
        rule(
            DELEGATION_A,
            "A",
            session_id=_working,
            form=lambda w: {"registration_id": str(w.delegate_a), "level": "ambassador"},
        ),
        rule(
            DELEGATION_B,
            "B",
            delegation_id=_b,
            session_id=_working,
            form=lambda w: {"registration_id": str(w.delegate_b), "level": "minister"},
        ),
    ],
    "speakers.withdraw_delegation": [rule(DELEGATION_A, "A"), rule(DELEGATION_B, "B", delegation_id=_b)],
}
