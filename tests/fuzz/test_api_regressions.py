"""Inputs the API fuzzing found, kept as plain examples: each once answered 500 or off-schema."""

from __future__ import annotations

import uuid

import pytest

from tests.fuzz.seed import FuzzWorld, seed_world


@pytest.fixture
def world(app) -> FuzzWorld:
    return seed_world()


def _scan_body(world: FuzzWorld, **values: str) -> dict[str, str]:
    body = {"token": world.badge_tokens[0], "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex}
    return body | values


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/checkins?before_id=9223372036854775808", 400),  # past SQLite's INTEGER: OverflowError
        ("/checkins?before_id=3000000000", 400),  # past PostgreSQL's INTEGER: DataError
        ("/participants/9223372036854775808/badge.pdf", 404),
        ("/participants/-1/badge.pdf", 404),  # no route: was the HTML error page
        ("/participants/§/badge.pdf", 404),
        ("/participants/{pending}/badge.pdf", 409),  # was undocumented
        ("/participants/{approved}/badge.pdf?layout=poster", 400),  # was silently A6
        ("/participants?q=a%00b", 400),  # NUL: refused before PostgreSQL sees it
        ("/checkins?limit=0", 400),  # the document says 1 to 1000; 0 was taken as 1
        ("/checkins?limit=1001", 400),
        ("/checkins?limit=5", 200),
        ("/checkins?limit=1&limit=2", 400),  # one value per parameter, as documented
        ("/participants?q=a&q=b", 400),
        ("/checkins?before_id=0", 400),
    ],
)
def test_odd_parameters_get_documented_json_answers(client, world: FuzzWorld, path: str, status: int) -> None:
    path = path.format(pending=world.registration_ids[-1], approved=world.registration_ids[0])
    response = client.get(
        f"/api/v1/meetings/{world.meeting.slug}{path}", headers={"Authorization": f"Bearer {world.bearer}"}
    )
    assert (response.status_code, response.mimetype) == (status, "application/json")


@pytest.mark.parametrize("slug", ["a%00b", "a%2Fb", "ghost"])
def test_unknown_meetings_get_json_404(client, world: FuzzWorld, slug: str) -> None:
    response = client.get(f"/api/v1/meetings/{slug}/status", headers={"Authorization": f"Bearer {world.bearer}"})
    assert (response.status_code, response.mimetype) == (404, "application/json")
    assert "error" in response.json


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("checkpoint", "session-²"),  # str.isdigit() is true, int() raised ValueError
        ("checkpoint", "session-9223372036854775808"),
        ("nonce", "n\x00"),
        ("nonce", "\ud800"),  # a lone surrogate has no UTF-8 form: the INSERT raised UnicodeEncodeError
        ("scanned_at", "0001-01-01T00:00:00+01:00"),  # before year 1 in UTC: OverflowError
        ("scanned_at", "9999-12-31T23:59:59-01:00"),
    ],
)
def test_odd_scan_bodies_get_400(client, world: FuzzWorld, field: str, value: str) -> None:
    response = client.post(
        f"/api/v1/meetings/{world.meeting.slug}/scans",
        json=_scan_body(world, **{field: value}),
        headers={"Authorization": f"Bearer {world.bearer}"},
    )
    assert response.status_code == 400
    assert response.json["field"] == field


def test_a_wrong_method_says_which_are_allowed(client, world: FuzzWorld) -> None:
    response = client.delete(
        f"/api/v1/meetings/{world.meeting.slug}/scans", headers={"Authorization": f"Bearer {world.bearer}"}
    )
    assert (response.status_code, response.mimetype) == (405, "application/json")
    assert response.headers["Allow"] == "OPTIONS, POST"


def test_the_document_names_the_checkpoints_the_api_takes(client, world: FuzzWorld) -> None:
    import re

    schema = client.get("/api/v1/openapi.json").json["components"]["schemas"]["ScanRequest"]
    pattern = re.compile(schema["properties"]["checkpoint"]["pattern"])
    assert pattern.match("entrance") and pattern.match("session-12")
    assert not pattern.match("exit") and not pattern.match("session-")
    refused = client.post(
        f"/api/v1/meetings/{world.meeting.slug}/scans",
        json=_scan_body(world, checkpoint="exit"),
        headers={"Authorization": f"Bearer {world.bearer}"},
    )
    assert refused.status_code == 400
