"""Member names and meeting titles typed in the six languages show in the reader's language, else the original."""

from __future__ import annotations

from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import Meeting, MemberKind
from tests.conftest import AuthActions, Users, add_meeting, add_member


def test_a_host_types_a_title_in_french_and_french_readers_see_it(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = add_meeting("2030-geneva", title="Geneva meeting", theme="Women mediators")
    auth.login(users.host.email)
    form = client.get("/meetings/2030-geneva/edit").get_data(as_text=True)
    assert 'name="title_fr"' in form and 'name="theme_ar"' in form and 'dir="rtl"' in form
    data = {
        "kind": "capital_level",
        "title": "Geneva meeting",
        "title_fr": "Réunion de Genève",
        "theme": "Women mediators",
        "theme_es": "Mujeres mediadoras",
        "slug": "2030-geneva",
        "city": "Geneva",
        "timezone": "Europe/Zurich",
        "starts_on": meeting.starts_on.isoformat(),
        "ends_on": meeting.ends_on.isoformat(),
        "status": "published",
        "delegation_quota": "4",
        "anonymise_after_days": "90",
    }
    assert client.post("/meetings/2030-geneva/edit", data=data).status_code == 302
    stored = db.session.get(Meeting, meeting.id)
    assert stored is not None and stored.title_translations == {"fr": "Réunion de Genève"}
    assert stored.theme_translations == {"es": "Mujeres mediadoras"}
    french = client.get("/meetings/2030-geneva", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<h1>Réunion de Genève</h1>" in french and "Women mediators" in french
    spanish = client.get("/meetings/2030-geneva", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "<h1>Geneva meeting</h1>" in spanish and "Mujeres mediadoras" in spanish


def test_members_read_in_the_readers_language(client: FlaskClient) -> None:
    au = add_member("AU", "the African Union", kind=MemberKind.REGIONAL_ORGANISATION)
    au.name_translations = {"fr": "l'Union africaine"}
    add_member("NLD", "the Netherlands")
    db.session.commit()
    english = client.get("/members/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert ">African Union</a>" in english and ">Netherlands</a>" in english
    french = client.get("/members/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    # A State without a typed French name reads as the UN names it in French.
    assert ">l&#39;Union africaine</a>" in french and ">Pays-Bas (Royaume des)</a>" in french


def test_a_session_title_typed_in_arabic_shows_to_arabic_readers(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    from datetime import date

    from tests.agenda.builders import add_session

    meeting = add_meeting("2030-geneva", starts_on=date(2030, 6, 3), ends_on=date(2030, 6, 4), agenda_published=True)
    session = add_session(meeting, "Opening plenary", "2030-06-03 09:00", "2030-06-03 10:00")
    auth.login(users.host.email)
    edit = f"/meetings/2030-geneva/agenda/sessions/{session.id}/edit"
    assert 'name="title_ar"' in client.get(edit).get_data(as_text=True)
    data = {
        "title": "Opening plenary",
        "title_ar": "الجلسة العامة الافتتاحية",
        "type": "plenary",
        "starts_local": "2030-06-03T09:00",
        "ends_local": "2030-06-03T10:00",
        "access": "open",
        "status": "confirmed",
        "is_published": "y",
    }
    assert client.post(edit, data=data).status_code == 302
    arabic = client.get("/meetings/2030-geneva/agenda", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "الجلسة العامة الافتتاحية" in arabic
    english = client.get("/meetings/2030-geneva/agenda", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Opening plenary" in english and "الجلسة العامة الافتتاحية" not in english


def test_the_meeting_export_keeps_the_translations(app: object) -> None:
    from eventapp.exports.meeting import export_meeting

    meeting = add_meeting("2030-geneva", title="Geneva meeting", title_translations={"zh": "日内瓦会议"})
    data = export_meeting(meeting)
    assert data["meeting"]["title_translations"] == {"zh": "日内瓦会议"}
    assert data["meeting"]["theme_translations"] == {}


def test_rows_holding_translations_can_still_be_selected_distinct(app: object) -> None:
    from sqlalchemy import select

    from eventapp.models import Meeting, Member, Session

    add_member("AU", "the African Union", kind=MemberKind.REGIONAL_ORGANISATION).name_translations = {"fr": "UA"}
    add_meeting("2030-geneva")
    db.session.commit()
    # PostgreSQL's json has no equality (DISTINCT would fail); the translations are jsonb there.
    for model in (Member, Meeting, Session):
        db.session.scalars(select(model).distinct()).all()


def test_registration_emails_name_the_meeting_in_the_persons_language(client: FlaskClient) -> None:
    from datetime import timedelta

    from sqlalchemy import select

    from eventapp.models import OutboxMessage
    from eventapp.models.base import utcnow

    add_meeting(
        "2030-geneva",
        title="Geneva meeting",
        title_translations={"es": "Reunión de Ginebra"},
        registration_opens_at=utcnow() - timedelta(days=1),
    )
    form = {
        "category": "civil_society",
        "given_name": "Lucía",
        "family_name": "Pérez",
        "email": "lucia@example.org",
        "organisation": "Mujeres por la paz",
        "country": "COL",
        "motivation": "Mediación.",
        "consent_data_processing": "y",
    }
    client.post("/meetings/2030-geneva/apply", data=form, headers={"Accept-Language": "es"})
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to == "lucia@example.org"))
    assert mail is not None and "Reunión de Ginebra" in mail.subject and "Geneva meeting" not in mail.body_text
