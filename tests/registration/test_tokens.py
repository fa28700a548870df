from eventapp.extensions import db
from eventapp.models import Registration, RegistrationCategory
from eventapp.registration.tokens import (
    load_calendar_token,
    load_manage_token,
    make_calendar_token,
    make_manage_token,
    revoke_manage_tokens,
    rotate_calendar_token,
)
from tests.conftest import add_meeting


def _person(meeting_id: int, email: str) -> Registration:
    r = Registration(
        meeting_id=meeting_id,
        category=RegistrationCategory.CIVIL_SOCIETY,
        given_name="Amina",
        family_name="Diallo",
        email=email,
    )
    db.session.add(r)
    db.session.commit()
    return r


def test_manage_token_opens_only_its_registration_until_revoked(app: object) -> None:
    meeting = add_meeting()
    a, b = _person(meeting.id, "a@example.org"), _person(meeting.id, "b@example.org")
    token_a = make_manage_token(a)
    assert load_manage_token(token_a) is a
    assert load_manage_token(make_manage_token(b)) is b
    assert load_manage_token(token_a[:-2] + ("AA" if not token_a.endswith("AA") else "BB")) is None
    assert load_manage_token(make_calendar_token(a)) is None  # a feed token is not a manage token
    revoke_manage_tokens(a)
    db.session.commit()
    assert load_manage_token(token_a) is None
    assert load_manage_token(make_manage_token(a)) is a


def test_calendar_token_rotates(app: object) -> None:
    meeting = add_meeting()
    a = _person(meeting.id, "a@example.org")
    old = make_calendar_token(a)
    new = rotate_calendar_token(a)
    db.session.commit()
    assert load_calendar_token(old) is None
    assert load_calendar_token(new) is a
    assert load_calendar_token("garbage") is None
