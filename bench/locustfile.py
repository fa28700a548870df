"""Locust users for the four load scenarios; bench/__main__.py runs them one at a time.

Each user runs its task at BENCH_USER_RATE per second (`constant_throughput`); the scenario's
rate is users x that. BENCH_FIXTURES names the JSON file of slugs, tokens and the host's
credentials made by the setup step. Production cookies are Secure and the bench speaks plain
HTTP to gunicorn, so the users carry their session cookie in a header themselves.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import gevent
import gevent.lock
from locust import FastHttpUser, constant_throughput, events, task
from locust.contrib.fasthttp import FastResponse
from locust.env import Environment

FIXTURES: dict[str, Any] = {}
if os.environ.get("BENCH_FIXTURES"):
    with open(os.environ["BENCH_FIXTURES"], encoding="utf-8") as stream:
        FIXTURES = json.load(stream)
USER_RATE = float(os.environ.get("BENCH_USER_RATE", "1"))
#: Seconds at full load, once every user is running, before the statistics start counting.
WARMUP = float(os.environ.get("BENCH_WARMUP", "0"))
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
#: Share of door scans that are a second scan of a badge already seen in this run.
REPEAT_SHARE = 0.1


def session_cookie(response: FastResponse) -> str:
    """A Cookie header carrying what the response set (cookies being cleared left out)."""
    pairs = [c.split(";", 1)[0].strip() for c in (response.headers.get_all("set-cookie") or [])]
    return "; ".join(p for p in pairs if p.partition("=")[2])


def csrf_token(html: str) -> str | None:
    found = CSRF.search(html)
    return (found.group(1) or found.group(2)) if found else None


@events.init.add_listener
def _count_after_warmup(environment: Environment, **_: Any) -> None:
    def reset_later(**__: Any) -> None:
        gevent.spawn_later(WARMUP, environment.stats.reset_all)

    environment.events.spawning_complete.add_listener(reset_later)


class PacedUser(FastHttpUser):
    """A user running its task BENCH_USER_RATE times a second from a random point of its period.

    Doors, applicants and calendars act independently: started in step (Locust spawns users in
    batches), the users would fire in bursts that no real event produces.
    """

    abstract = True
    wait_time = constant_throughput(USER_RATE)

    def on_start(self) -> None:
        gevent.sleep(random.random() / USER_RATE)


class DoorRush(PacedUser):
    """Door scanners: scans of distinct badges, one in ten a repeat (the person is already inside)."""

    fresh = itertools.cycle(FIXTURES.get("badge_tokens", []))
    seen: list[str] = []

    @task
    def scan(self) -> None:
        if self.seen and random.random() < REPEAT_SHARE:
            token, name = random.choice(self.seen), "scan (repeat)"
        else:
            token, name = next(self.fresh), "scan"
            self.seen.append(token)
        body = {
            "token": token,
            "checkpoint": "entrance",
            "direction": "in",
            "nonce": uuid.uuid4().hex,
            "scanned_at": datetime.now(UTC).isoformat(),
        }
        headers = {"Authorization": f"Bearer {FIXTURES['bearer']}"}
        path = f"/api/v1/meetings/{FIXTURES['scale_slug']}/scans"
        with self.client.post(path, json=body, headers=headers, name=name, catch_response=True) as answer:
            result = (answer.json() or {}).get("result") if answer.status_code == 200 else None
            if result not in ("admitted", "already_inside"):
                answer.failure(f"{answer.status_code} {result or (answer.text or '')[:80]}")


class Applicant(PacedUser):
    """A new applicant: opens the form (session cookie, CSRF token), then sends it with a fresh email."""

    @task
    def apply(self) -> None:
        path = f"/meetings/{FIXTURES['apply_slug']}/apply"
        with self.client.get(path, name="apply: open form", catch_response=True) as form:
            token, cookie = csrf_token(form.text or ""), session_cookie(form)
            if form.status_code != 200 or not token or not cookie:
                form.failure(f"{form.status_code}: no form, CSRF token or session cookie")
                return
        fields = {
            "csrf_token": token,
            "category": "civil_society",
            "given_name": "Amina",
            "family_name": "Bench",
            "email": f"applicant-{uuid.uuid4().hex}@bench.example.org",
            "organisation": "Femmes Leaders du Sahel",
            "country": "MLI",
            "nationality": "MLI",
            "motivation": "Local peacebuilding and the national action plan on women, peace and security.",
            "dietary_needs": "Vegetarian",
            "consent_data_processing": "y",
            "consent_participant_list": "y",
        }
        with self.client.post(
            path,
            data=fields,
            headers={"Cookie": cookie},
            name="apply: send",
            allow_redirects=False,
            catch_response=True,
        ) as sent:
            if sent.status_code != 302 or "/r/" not in (sent.headers.get("Location") or ""):
                sent.failure(f"{sent.status_code} instead of 302 to the manage page")


class CalendarPoller(PacedUser):
    """Calendar apps polling a meeting's agenda and personal feeds; half send an earlier answer's ETag."""

    etags: dict[str, str] = {}
    polled: list[str] = []

    @task
    def poll(self) -> None:
        if random.random() < 0.5:
            kind = "meeting feed"
            path = revisit = f"/meetings/{FIXTURES['feed_slug']}/agenda.ics"
        else:
            kind = "personal feed"
            path = f"/calendar/{random.choice(FIXTURES['calendar_tokens'])}.ics"
            revisit = random.choice(self.polled) if self.polled else path
        etag = self.etags.get(revisit) if random.random() < 0.5 else None
        if etag:
            path, kind = revisit, f"{kind} (304)"
        headers = {"If-None-Match": etag} if etag else {}
        with self.client.get(path, headers=headers, name=kind, catch_response=True) as answer:
            wanted = 304 if etag else 200
            if answer.status_code != wanted:
                answer.failure(f"{answer.status_code} instead of {wanted}")
            elif not etag and answer.headers.get("ETag"):
                if path not in self.etags and path.startswith("/calendar/"):
                    self.polled.append(path)
                self.etags[path] = answer.headers["ETag"]


class Host(PacedUser):
    """A host signed in, going through the list pages of the 10,000-person meeting."""

    #: (request name, path under the meeting): each list's first page, and what a host does next on
    #: it: a filter, a search ({q}), the next page.
    pages = (
        ("registrations", "registrations"),
        ("registrations: filter", "registrations?status=approved&category=delegate"),
        ("registrations: search", "registrations?q={q}"),
        ("registrations: page 2", "registrations?page=2"),
        ("review", "review"),
        ("review: filter, page 2", "review?status=submitted&page=2"),
        ("attendance", "attendance"),
        ("delegations", "delegations"),
        ("catering", "catering"),
        ("badges", "badges"),
        ("badges: page 2", "badges?page=2"),
    )
    #: Searches of a name, a full name, an organisation and a name in another script.
    searches = ("Diallo", "Amina Diallo", "peace", "Иванова")

    #: One host signed in once, with a tab per user: sign-ins stay under RATELIMIT_LOGIN as in production.
    cookie = ""
    signing_in = gevent.lock.Semaphore()

    def on_start(self) -> None:
        super().on_start()
        with self.signing_in:
            if not Host.cookie:
                Host.cookie = self._sign_in()

    def _sign_in(self) -> str:
        with self.client.get("/login", name="sign in", catch_response=True) as form:
            token, cookie = csrf_token(form.text or ""), session_cookie(form)
        fields = {"csrf_token": token or "", "email": FIXTURES["host_email"], "password": FIXTURES["host_password"]}
        with self.client.post(
            "/login",
            data=fields,
            headers={"Cookie": cookie},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as signed_in:
            if signed_in.status_code != 302:
                signed_in.failure(f"sign-in answered {signed_in.status_code}")
                return ""
            return session_cookie(signed_in)

    @task
    def list_page(self) -> None:
        name, page = random.choice(self.pages)
        path = f"/meetings/{FIXTURES['scale_slug']}/{page.format(q=quote(random.choice(self.searches)))}"
        headers = {"Cookie": self.cookie}
        with self.client.get(path, headers=headers, name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code} instead of 200")
