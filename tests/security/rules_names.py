"""Authorisation rules for names and badges: one person's badge page, photos, nameplates, seating.

Merged into RULES by test_authorisation_matrix.py. All are the hosts' and the secretariat's.
"""

from __future__ import annotations

import io

from tests.security.matrix import ADMIN, HOST, Rule, rule, signed_in
from tests.security.world import PNG, World

STAFF = signed_in(HOST, ADMIN)


def _new_photo(w: World) -> dict[str, object]:
    return {"photo": (io.BytesIO(PNG), "new.png")}


def _delegate_a(w: World) -> int:
    # A person without a photo, so replacing theirs deletes no file another case reads.
    return w.delegate_a


RULES: dict[str, list[Rule]] = {
    "badges.person": [rule(STAFF)],
    "badges.photo": [rule(STAFF)],
    "badges.preview": [rule(STAFF)],
    "badges.replace": [rule(STAFF, form=_new_photo, registration_id=_delegate_a)],
    "badges.nameplates": [rule(STAFF)],
    "badges.nameplate_languages": [rule(STAFF, form=lambda w: {"languages": ["en", "es", "ar"]})],
    "badges.seating_letter": [rule(STAFF, form=lambda w: {"letter": "K"})],
    "badges.nameplates_pdf": [rule(STAFF)],
    "badges.seating_pdf": [rule(STAFF)],
}
