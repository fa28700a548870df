from __future__ import annotations

import pytest

from eventapp.extensions import db
from eventapp.models import Badge, BadgeBatch, BadgeBatchStatus, RegistrationStatus
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import add_meeting


@pytest.fixture
def meeting(app, users):
    m = add_meeting()
    add_registration(m, "Ana", "Pop")
    add_registration(m, "Ion", "Ionescu", status=RegistrationStatus.SUBMITTED)
    return m


def test_scanner_and_focal_point_cannot_see_badges(client, auth, meeting):
    auth.login("fp@example.org")
    assert client.get(f"/meetings/{meeting.slug}/badges").status_code == 403
    auth.logout()
    assert client.get(f"/meetings/{meeting.slug}/badges").status_code == 302


def test_host_prints_a_batch_inline_and_downloads_it(client, auth, meeting, tmp_path, app):
    app.instance_path = str(tmp_path)
    auth.login("host@example.org")
    page = client.get(f"/meetings/{meeting.slug}/badges")
    assert page.status_code == 200 and "Ana Pop" in page.text and "Ion Ionescu" not in page.text
    response = client.post(f"/meetings/{meeting.slug}/badges/batches", data={"layout": "a4-4up", "category": ""})
    assert response.status_code == 302
    batch = db.session.query(BadgeBatch).one()
    assert batch.status == BadgeBatchStatus.DONE and batch.badge_count == 1
    pdf = client.get(f"/meetings/{meeting.slug}/badges/batches/{batch.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_bad_layout_is_shown_next_to_the_field(client, auth, meeting):
    auth.login("host@example.org")
    response = client.post(f"/meetings/{meeting.slug}/badges/batches", data={"layout": "a0", "category": ""})
    assert response.status_code == 422
    assert 'id="layout-error"' in response.text
    assert db.session.query(BadgeBatch).count() == 0


def test_reissue_revokes(client, auth, meeting):
    from eventapp.models import Registration

    person = db.session.query(Registration).filter_by(given_name="Ana").one()
    badge_for(person)
    auth.login("host@example.org")
    response = client.post(f"/meetings/{meeting.slug}/badges/{person.id}/reissue")
    assert response.status_code == 302
    badges = db.session.query(Badge).order_by(Badge.id).all()
    assert len(badges) == 2 and badges[0].revoked_at is not None and badges[1].revoked_at is None


def test_the_badges_list_reads_a_page_in_the_same_queries_for_few_people_or_many(client, auth, meeting):
    from tests.conftest import add_member, count_statements

    auth.login("host@example.org")
    slug = meeting.slug

    def statements() -> int:
        db.session.expire_all()
        with count_statements() as seen:
            assert client.get(f"/meetings/{slug}/badges").status_code == 200
        return len(seen)

    badge_for(add_registration(meeting, "Lea", "Berg", member=add_member("SWE", "Member SWE")))
    few = statements()
    for n, code in enumerate(("KEN", "PER", "NOR", "JOR")):
        member = add_member(code, f"Member {code}")
        for k in range(3):
            badge_for(add_registration(meeting, f"Given{n}{k}", f"Family{n}{k}", member=member))
    assert statements() == few
