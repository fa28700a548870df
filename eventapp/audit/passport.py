"""Opening someone's passport details is itself an audited event."""

from __future__ import annotations

from typing import Any

from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import Registration


def record_passport_opened(registration: Registration, *, actor: Any, where: str) -> None:
    """Log that passport details of `registration` were shown (`where`: "person form", "visa letter"); commits.

    Only when there are details to show; the actor is empty when the registrant opens their own.
    """
    if not registration.passport_number_encrypted:
        return
    user = actor if getattr(actor, "is_authenticated", False) else None
    record(
        "passport.opened",
        registration,
        actor=user,
        meeting_id=registration.meeting_id,
        details={"where": where, "by": "staff" if user is not None else "the registrant"},
    )
    db.session.commit()
