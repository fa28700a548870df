"""Member pages and the focal-point directory: who reads and edits contacts; none on public pages."""

from __future__ import annotations

import re
from collections import deque
from datetime import timedelta
from urllib.parse import urldefrag, urlsplit

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import (
    AuditLog,
    CheckIn,
    Delegation,
    Direction,
    FocalPointContact,
    InscriptionStatus,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    RepresentationLevel,
    ScanResult,
    Session,
    SessionType,
    SpeakerInscription,
    SpeakersList,
)
from eventapp.models.base import utcnow
from tests.conftest import PASSWORD, add_meeting, make_app
from tests.security.world import build_world, remove_files
from tests.security.world_accounts import CONTACT_EMAIL_A, CONTACT_EMAIL_B, CONTACT_PHONE_A, CONTACT_PHONE_B

HREF = re.compile(r'href="([^"]+)"')


def _fresh(app: Flask) -> Flask:
    return make_app(app.config["SQLALCHEMY_DATABASE_URI"])


def _signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def test_a_focal_point_reads_and_edits_only_their_own_members_focal_points(app: Flask) -> None:
    build_world()
    try:
        own = _fresh(app)
        fp_a = _signed_in(own, "fp-a@example.org")
        page_a = fp_a.get("/members/ROU").get_data(as_text=True)
        assert CONTACT_EMAIL_A in page_a and CONTACT_PHONE_A in page_a
        assert "Former Focal" in page_a and "Add a focal point" in page_a
        page_b = fp_a.get("/members/SEN").get_data(as_text=True)
        assert "Senegal" in page_b and CONTACT_EMAIL_B not in page_b and "Awa Contact" not in page_b
        assert fp_a.get("/members/directory").status_code == 403
        awa = db.session.scalar(sa.select(FocalPointContact.id).where(FocalPointContact.name == "Awa Contact"))
        assert fp_a.post("/members/SEN/focal-points/new", data={"name": "Intruder"}).status_code == 403
        assert fp_a.post(f"/members/SEN/focal-points/{awa}", data={"name": "Intruder"}).status_code == 403
        assert fp_a.post(f"/members/ROU/focal-points/{awa}", data={"name": "Intruder"}).status_code == 404
        db.session.expire_all()
        assert db.session.get(FocalPointContact, awa).name == "Awa Contact"
        # Their own member: added, then a predecessor is moved to the former focal points.
        added = fp_a.post(
            "/members/ROU/focal-points/new",
            data={
                "name": "Mihai Ionescu",
                "title": "Counsellor",
                "email": "mihai@mae.example.ro",
                "since": "2025-01-15",
            },
        )
        assert added.status_code == 302
        ioana = db.session.scalar(sa.select(FocalPointContact.id).where(FocalPointContact.name == "Ioana Contact"))
        ended = fp_a.post(
            f"/members/ROU/focal-points/{ioana}",
            data={"name": "Ioana Contact", "email": CONTACT_EMAIL_A, "since": "2022-03-01", "until": "2025-01-14"},
        )
        assert ended.status_code == 302
        page = fp_a.get("/members/ROU").get_data(as_text=True)
        current, former = page.split("Former focal points")
        assert "Mihai Ionescu" in current and "Ioana Contact" in former
        db.session.expire_all()
        actions = db.session.scalars(sa.select(AuditLog.action).where(AuditLog.action.like("focal_point.%"))).all()
        assert actions == ["focal_point.add", "focal_point.update"]
    finally:
        remove_files()


def test_bad_contact_input_is_shown_next_to_the_field_and_kept(app: Flask) -> None:
    build_world()
    try:
        admin = _signed_in(_fresh(app), "admin@example.org")
        answer = admin.post(
            "/members/SEN/focal-points/new",
            data={"name": "Awa Ndiaye", "email": "not-an-address", "since": "2024-05-01", "until": "2023-01-01"},
        )
        body = answer.get_data(as_text=True)
        assert answer.status_code == 422 and 'id="email-error"' in body and 'value="Awa Ndiaye"' in body
        later = admin.post(
            "/members/SEN/focal-points/new", data={"name": "Awa Ndiaye", "since": "2024-05-01", "until": "2023-01-01"}
        )
        assert 'id="until-error"' in later.get_data(as_text=True)
    finally:
        remove_files()


def test_participation_across_meetings(app: Flask) -> None:
    world = build_world()
    try:
        earlier = add_meeting("2029-oslo", days_ahead=-300, title="Oslo meeting")
        delegation = Delegation(
            meeting_id=earlier.id, member_id=db.session.get(Delegation, world.delegation_a).member_id
        )
        db.session.add(delegation)
        db.session.flush()
        came = Registration(
            meeting_id=earlier.id,
            delegation_id=delegation.id,
            category=RegistrationCategory.DELEGATE,
            status=RegistrationStatus.APPROVED,
            given_name="Elena",
            family_name="Marin",
            email="elena@example.org",
        )
        db.session.add(came)
        db.session.flush()
        db.session.add(
            CheckIn(
                meeting_id=earlier.id,
                registration_id=came.id,
                checkpoint="entrance",
                direction=Direction.IN,
                result=ScanResult.ADMITTED,
                nonce="oslo-1",
            )
        )
        session = Session(
            meeting_id=earlier.id,
            title="Plenary",
            type=SessionType.PLENARY,
            starts_at=utcnow() - timedelta(days=300),
            ends_at=utcnow() - timedelta(days=300) + timedelta(hours=2),
        )
        db.session.add(session)
        db.session.flush()
        speakers = SpeakersList(session_id=session.id, inscriptions_close_at=utcnow() - timedelta(days=301))
        db.session.add(speakers)
        db.session.flush()
        db.session.add(
            SpeakerInscription(
                list_id=speakers.id,
                delegation_id=delegation.id,
                registration_id=came.id,
                level=list(RepresentationLevel)[0],
                position=1,
                status=InscriptionStatus.SPOKE,
            )
        )
        db.session.commit()
        page = _signed_in(_fresh(app), "host@example.org").get("/members/ROU").get_data(as_text=True)
        table = page.split("Participation in meetings</h2>")[1]
        assert "Oslo meeting" in table and "Elena Marin ✓" in table and "Matrix meeting" in table
        assert table.index("Matrix meeting") < table.index("Oslo meeting"), "latest first"
        oslo_row = table[table.index("Oslo meeting") :].split("</tr>")[0]
        matrix_row = table[table.index("Matrix meeting") :].split("</tr>")[0]
        assert "Once" in oslo_row and "Once" not in matrix_row
    finally:
        remove_files()


def test_no_contact_detail_on_any_public_page(app: Flask) -> None:
    """Crawl every page an anonymous visitor can reach by links; no focal point's contact shows."""
    build_world()
    try:
        client = _fresh(app).test_client()
        secrets = [CONTACT_EMAIL_A, CONTACT_EMAIL_B, CONTACT_PHONE_A, CONTACT_PHONE_B, "Ioana Contact", "Awa Contact"]
        queue, seen = deque(["/", "/members/"]), set()
        while queue and len(seen) < 400:
            path = queue.popleft()
            if path in seen:
                continue
            seen.add(path)
            answer = client.get(path)
            if answer.status_code != 200 or not answer.mimetype.startswith("text/"):
                continue
            body = answer.get_data(as_text=True)
            leaked = [s for s in secrets if s in body]
            assert not leaked, f"{path} shows {leaked}"
            for href in HREF.findall(body):
                target = urldefrag(href.replace("&amp;", "&"))[0]
                parts = urlsplit(target)
                if parts.netloc or not target.startswith("/") or target.startswith(("/static/", "/login")):
                    continue
                queue.append(target)
        assert "/members/ROU" in seen and "/members/SEN" in seen
        assert len(seen) > 20, f"the crawl reached only {sorted(seen)}"
    finally:
        remove_files()


def test_the_member_page_reads_a_fixed_number_of_statements_however_many_meetings(app: Flask) -> None:
    """Participation is read per kind (delegations, people, check-ins, speeches), never per meeting."""
    world = build_world()
    try:
        member_id = db.session.get(Delegation, world.delegation_a).member_id
        fresh = _fresh(app)
        host = _signed_in(fresh, "host@example.org")
        with fresh.app_context():
            engine = db.engine  # the engine of the app that answers the requests

        def cost() -> int:
            statements: list[str] = []

            def listener(conn: object, cursor: object, statement: str, *args: object) -> None:
                statements.append(statement)

            sa.event.listen(engine, "before_cursor_execute", listener)
            try:
                assert host.get("/members/ROU").status_code == 200
            finally:
                sa.event.remove(engine, "before_cursor_execute", listener)
            return len(statements)

        cost()  # the first request also opens the connection
        few = cost()
        for number in range(5):
            meeting = add_meeting(f"202{number}-past", days_ahead=-100 * (number + 1))
            delegation = Delegation(meeting_id=meeting.id, member_id=member_id)
            db.session.add(delegation)
            db.session.flush()
            db.session.add_all(
                Registration(
                    meeting_id=meeting.id,
                    delegation_id=delegation.id,
                    category=RegistrationCategory.DELEGATE,
                    status=RegistrationStatus.APPROVED,
                    given_name=f"Given{person}",
                    family_name=f"Family{number}",
                    email=f"p{number}-{person}@example.org",
                )
                for person in range(3)
            )
        db.session.commit()
        assert cost() == few
    finally:
        remove_files()
