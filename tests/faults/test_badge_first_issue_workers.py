"""The first badges of a meeting fetched at once from `gunicorn -w 4` on PostgreSQL: all signed with the stored key."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from eventapp.badges.tokens import parse_token, signature_valid_with
from eventapp.config import normalise_database_url
from eventapp.extensions import db
from eventapp.models import Badge, Meeting
from tests.badges.test_pdf import decode_qr_codes
from tests.checkin.builders import add_registration, device_token
from tests.conftest import add_meeting, make_app
from tests.workers.cluster import TAG_HEADER, Cluster, at_once
from tests.workers.conftest import DATA_KEY, SECRET_KEY, _claim_redis_db, _migrate, production_env

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PEOPLE = 8


@pytest.fixture(scope="module")
def served(
    pg_database_factory: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Cluster, sa.Engine, str, str, list[int]]]:
    """The production set-up with a meeting that has no signing key yet and 8 approved people."""
    redis, redis_url = _claim_redis_db()
    cluster: Cluster | None = None
    try:
        url = pg_database_factory()
        _migrate(url)
        app = make_app(url, SECRET_KEY=SECRET_KEY, DATA_ENCRYPTION_KEY=DATA_KEY)
        with app.app_context():
            meeting = add_meeting("2030-first-badges")
            people = [add_registration(meeting, f"Person{i}", "Racer").id for i in range(PEOPLE)]
            bearer = device_token(meeting)
            slug = meeting.slug
            db.session.remove()
            db.engine.dispose()
        env = production_env(url, redis_url)
        cluster = Cluster(env, tmp_path_factory.mktemp("gunicorn"))
        engine = sa.create_engine(normalise_database_url(url))
        try:
            cluster.start()
            yield cluster, engine, slug, bearer, people
        finally:
            engine.dispose()
    finally:
        if cluster is not None:
            cluster.stop()
        redis.flushdb()
        redis.close()


def get_badge_pdf(cluster: Cluster, slug: str, bearer: str, registration_id: int) -> bytes:
    headers = {"Authorization": f"Bearer {bearer}", TAG_HEADER: cluster.next_tag("badge")}
    response = cluster.send("GET", f"/api/v1/meetings/{slug}/participants/{registration_id}/badge.pdf", headers, None)
    body = response.read()
    assert response.status == 200, body[:500]
    return body


def test_first_badges_from_four_workers_are_signed_with_the_stored_key(served):
    cluster, engine, slug, bearer, people = served
    pdfs = at_once(PEOPLE, lambda i: get_badge_pdf(cluster, slug, bearer, people[i]))
    # Each person again, twice at once: still their one badge.
    again = at_once(PEOPLE, lambda i: get_badge_pdf(cluster, slug, bearer, people[i // 2]))
    tokens = [decode_qr_codes(pdf)[0] for pdf in pdfs]
    with engine.connect() as conn:
        meeting_id, stored_key = conn.execute(
            sa.select(Meeting.id, Meeting.badge_public_key).where(Meeting.slug == slug)
        ).one()
        live = conn.execute(sa.select(Badge.registration_id, Badge.token_id).where(Badge.revoked_at.is_(None))).all()
    unsigned = [t for t in tokens if not signature_valid_with(stored_key, meeting_id, parse_token(t))]
    assert unsigned == [], f"{len(unsigned)} of {PEOPLE} badges were signed with a key that was not kept"
    assert sorted(r for r, _ in live) == sorted(people)
    assert sorted(t for _, t in live) == sorted(parse_token(t).token_id for t in tokens)
    assert [decode_qr_codes(pdf)[0] for pdf in again] == [tokens[i // 2] for i in range(PEOPLE)]
    # The door: every printed badge is admitted through the API.
    for i, token in enumerate(tokens):
        response = cluster.send(
            "POST",
            f"/api/v1/meetings/{slug}/scans",
            {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json", TAG_HEADER: f"door-{i}"},
            f'{{"token": "{token}", "checkpoint": "entrance", "direction": "in", "nonce": "door-{i}"}}'.encode(),
        )
        assert (response.status, response.read().count(b'"admitted"')) == (200, 1)
