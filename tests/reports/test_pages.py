"""Hosts' lists of people come a page at a time: 100 rows, page links that keep the filters, exports whole."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient

from eventapp.badges.services import approved_registrations
from eventapp.extensions import db
from eventapp.models import Meeting, RegistrationCategory, RegistrationStatus
from eventapp.web.pagination import PER_PAGE
from tests.conftest import AuthActions, Users, add_meeting, add_member, count_statements
from tests.reports.helpers import add_delegation, add_registration, crowd

#: People in the crowd: two full pages and part of a third.
CROWD = 2 * PER_PAGE + 30
NAME = re.compile(r"Fam\d{4}")


@pytest.fixture
def meeting(app: object) -> Meeting:
    return add_meeting("2030-geneva")


def shown(html: str) -> list[str]:
    """Family names in the page's rows, in order (written Fam0001 whatever their case)."""
    return [n.capitalize() for n in re.findall(r"(?i)fam\d{4}", html)]


def page_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="pager[^"]*"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no page links"
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', nav.group(1))]


def query_of(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query))


def test_registrations_come_a_hundred_at_a_time_in_name_order(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting
) -> None:
    names = crowd(meeting, CROWD)
    auth.login("host@example.org")
    base = f"/meetings/{meeting.slug}/registrations"

    first = client.get(base).get_data(as_text=True)
    pages = [shown(first)] + [shown(client.get(f"{base}?page={n}").get_data(as_text=True)) for n in (2, 3)]
    assert [len(p) for p in pages] == [PER_PAGE, PER_PAGE, 30]
    assert sum(pages, []) == sorted(names)
    assert f"Showing 1–{PER_PAGE} of {CROWD}." in first
    assert f"By status ({CROWD} in all)" in first  # the counts are the whole meeting's
    assert page_links(first) == [base, f"{base}?page=2", f"{base}?page=3", f"{base}?page=2"]
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1</a>' in first

    third = client.get(f"{base}?page=3").get_data(as_text=True)
    assert f"Showing {2 * PER_PAGE + 1}–{CROWD} of {CROWD}." in third
    assert 'rel="prev"' in third and 'rel="next"' not in third


def test_page_links_keep_the_filters_and_the_search(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting
) -> None:
    names = crowd(meeting, 3 * PER_PAGE + 30)
    auth.login("host@example.org")
    base = f"/meetings/{meeting.slug}/registrations"
    html = client.get(f"{base}?status=submitted&q=bruno").get_data(as_text=True)
    submitted_brunos = [name for n, name in enumerate(names) if n % 3 and n % 2 == 0]
    assert f"Showing 1–{PER_PAGE} of {len(submitted_brunos)}." in html
    assert query_of(page_links(html)[1]) == {"status": "submitted", "q": "bruno", "page": "2"}
    second = client.get(f"{base}?status=submitted&q=bruno&page=2").get_data(as_text=True)
    assert shown(html) + shown(second) == sorted(submitted_brunos)
    assert 'value="bruno"' in second and 'value="submitted" selected' in second


def test_odd_page_numbers_show_the_first_page_or_an_empty_one(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting
) -> None:
    names = crowd(meeting, 5, members=0)
    auth.login("host@example.org")
    base = f"/meetings/{meeting.slug}/registrations"
    for odd in ("abc", "0", "-2", "²", "99999999999999999999999"):
        response = client.get(f"{base}?page={odd}")
        assert response.status_code == 200, odd
    assert shown(client.get(f"{base}?page=abc").get_data(as_text=True)) == sorted(names)
    past_the_end = client.get(f"{base}?page=7").get_data(as_text=True)
    assert shown(past_the_end) == [] and "No registration matches." in past_the_end
    assert page_links(past_the_end)[0] == base  # "Previous page" leads back to the last page there is


def test_exports_hold_every_matching_registration_not_one_page(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting
) -> None:
    names = crowd(meeting, CROWD)
    auth.login("host@example.org")
    body = client.get(f"/meetings/{meeting.slug}/registrations.csv?page=2").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]
    assert [row[3].capitalize() for row in rows] == sorted(names)
    html = client.get(f"/meetings/{meeting.slug}/registrations?status=approved&page=2").get_data(as_text=True)
    assert f"/meetings/{meeting.slug}/registrations.csv?status=approved" in html
    assert "registrations.csv?status=approved&amp;page" not in html


def test_review_queue_comes_a_page_at_a_time_oldest_first_and_keeps_its_page_after_a_decision(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting
) -> None:
    names = crowd(meeting, CROWD)
    auth.login("host@example.org")
    base = f"/meetings/{meeting.slug}/review"
    # "All" is asked for as status= (the queue opens on "Submitted").
    pages = [shown(client.get(f"{base}?status=&page={n}").get_data(as_text=True)) for n in (1, 2, 3)]
    assert sum(pages, []) == names  # made in this order

    submitted = f"{base}?status=submitted&category=civil_society"
    html = client.get(submitted).get_data(as_text=True)
    assert query_of(page_links(html)[1]) == {"status": "submitted", "category": "civil_society", "page": "2"}
    in_queue = [n for n in range(CROWD) if n % 3 and n % 4]  # delegates are in the delegate category
    two = client.get(f"{submitted}&page=2").get_data(as_text=True)
    on_page_two = re.findall(r'name="selected" value="(\d+)"', two)
    assert len(on_page_two) == len(in_queue) - PER_PAGE
    response = client.post(f"{submitted}&page=2", data={"selected": on_page_two[:2], "action": "approve"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("?status=submitted&category=civil_society&page=2")


def test_badges_page_counts_everyone_approved_and_lists_a_page_in_print_order(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting
) -> None:
    crowd(meeting, 3 * PER_PAGE + 3)
    in_print_order = [r.family_name.capitalize() for r in approved_registrations(meeting)]
    assert len(in_print_order) == PER_PAGE + 1
    auth.login("host@example.org")
    base = f"/meetings/{meeting.slug}/badges"
    first = client.get(base).get_data(as_text=True)
    assert f"{PER_PAGE + 1} approved participants." in first
    second = client.get(f"{base}?page=2").get_data(as_text=True)
    assert shown(first) == in_print_order[:PER_PAGE] and shown(second) == in_print_order[PER_PAGE:]


@pytest.mark.parametrize("page", ["registrations", "registrations?page=2&q=a", "review?page=2", "badges", "catering"])
def test_statements_do_not_grow_with_the_rows_listed(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting, page: str
) -> None:
    auth.login("host@example.org")
    path = f"/meetings/{meeting.slug}/{page}"

    def statements() -> int:
        client.get(path)  # the first request warms per-process caches
        with count_statements() as seen:
            assert client.get(path).status_code == 200
        return len(seen)

    crowd(meeting, PER_PAGE + 5, members=2, delegated_every=1)
    few = statements()
    crowd_more = [
        add_registration(
            meeting,
            family_name=f"Fam{9000 + n}",
            status=RegistrationStatus.APPROVED,
            category=RegistrationCategory.MEDIA,
            dietary_needs="Halal",
            accessibility_needs="Ramp",
            delegation=add_delegation(meeting, add_member(f"X{n:02d}", f"Extra {n:02d}")) if n < 8 else None,
            commit=False,
        )
        for n in range(2 * PER_PAGE)
    ]
    db.session.commit()
    assert len(crowd_more) == 2 * PER_PAGE
    assert statements() == few
