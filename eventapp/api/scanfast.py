"""scanBadge answered in front of Flask for the ordinary case: a device at the venue entrance.

A door scanner sends a scan every second or two and waits for the answer before the next
person steps up, so a scan's cost is the queue's length. Through Flask a scan paid more for the
request context, the session machinery, the extensions' hooks and three separate database
round trips than for its own work. This WSGI layer does the work only: it checks the badge's
signature with the meeting's public key (remembered per worker), then one statement in
autocommit on a pooled connection reads the device, its meeting and the badge with its holder
and, when all is in order, moves the person and stores the CheckIn (see
eventapp/checkin/recording.py). The statement re-checks every condition it relies on (the key
included), so a worker that remembers something out of date writes nothing and hands over to
Flask. A revoked or not-approved badge costs a second statement that stores the refusal.

It answers only when it is sure the Flask view would answer the same: a valid bearer token of
this meeting that needs no last-used touch, a well-formed body, the entrance checkpoint, an
answer in English (reasons follow the caller's language), a
badge it knows and whose signature checks out, and a request within the API budgets. Anything
else - bad input, unknown or revoked tokens, session checkpoints, forged or foreign badges, a
database error, a caller over budget - goes on to Flask unchanged, with the body it read put
back. tests/api/test_scan_fastpath.py keeps the two answers identical.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie

from eventapp.api import budgets
from eventapp.api.auth import LAST_USED_GRANULARITY, hash_token
from eventapp.api.scanrequest import BadRequest, parse_scan_request
from eventapp.badges.tokens import TokenError, parse_token, signature_valid_with
from eventapp.checkin import services
from eventapp.checkin.recording import commit_mode, read_move_and_record_sql, record_scan
from eventapp.i18n.locales import COOKIE_NAME, DEFAULT_LOCALE, locale_for
from eventapp.models import (
    DeviceToken,
    Direction,
    Meeting,
    RegistrationCategory,
    RegistrationStatus,
    ScanResult,
)
from eventapp.models.base import utcnow
from eventapp.web.frontpath import FrontLayer, fetch_one, install_in_front, take_body
from eventapp.web.security import HSTS, SECURITY_HEADERS

#: A finished answer, called like a WSGI application.
Answer = Callable[[dict[str, Any], Any], Iterable[bytes]]
SCAN_PATH = re.compile(r"^/api/v1/meetings/([A-Za-z0-9._~-]+)/scans$")
MAX_BODY = 4096

_badge = services.BADGE_QUERY.subquery("held")
#: The device, its meeting and the badge with its holder: one round trip.
DEVICE_AND_BADGE: sa.Select[Any] = (
    sa.select(
        DeviceToken.name.label("device_name"),
        DeviceToken.revoked_at,
        DeviceToken.last_used_at,
        Meeting.id.label("meeting_id"),
        Meeting.slug,
        Meeting.badge_public_key,
        *_badge.c,
    )
    .join(Meeting, Meeting.id == DeviceToken.meeting_id)
    .outerjoin(_badge, sa.true())
    .where(DeviceToken.token_hash == sa.bindparam("token_hash"))
)
DEVICE_AND_BADGE_SQL = str(DEVICE_AND_BADGE.compile(dialect=postgresql.psycopg.dialect()))
FOUND_COLUMNS = [c.name for c in DEVICE_AND_BADGE.selected_columns]
#: The whole door scan in one round trip (see eventapp/checkin/recording.py).
DOOR_SCAN_SQL = read_move_and_record_sql(DEVICE_AND_BADGE_SQL)
PUBLIC_KEY_SQL = "SELECT badge_public_key FROM meetings WHERE id = %(meeting_id)s"
#: Meetings whose key a worker remembers (there are a few meetings a year).
MAX_REMEMBERED_KEYS = 256


class ScanFastPath(FrontLayer):
    """WSGI layer for POST /api/v1/meetings/<slug>/scans from devices; the rest goes to `inner`."""

    def __init__(self, app: Flask, inner: Any) -> None:
        super().__init__(app, inner)
        #: meeting id -> its badge public key (base64url text, as stored).
        self._keys: dict[int, str] = {}
        #: The "already inside" reason in English, the only language this layer answers in.
        self._already_inside: str | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") == "POST"
            and environ.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
            and self.engine().dialect.name == "postgresql"  # one-statement recording needs it
        ):
            match = SCAN_PATH.match(environ.get("PATH_INFO", ""))
            if match is not None:
                body = take_body(environ, MAX_BODY) if _is_json(environ) else None
                if body is not None:
                    response = self._answer(environ, match.group(1), body)
                    if response is not None:
                        return response(environ, start_response)
        return self.inner(environ, start_response)

    def _answer(self, environ: dict[str, Any], slug: str, body: bytes) -> Answer | None:
        try:
            request = parse_scan_request(json.loads(body))
            parsed = parse_token(request.token)
        except (ValueError, BadRequest, TokenError):  # JSONDecodeError is a ValueError
            return None
        if request.checkpoint != services.ENTRANCE or not _in_english(environ):
            return None
        bearer = environ["HTTP_AUTHORIZATION"][7:].strip()
        token_hash = hash_token(bearer)
        try:
            return self._scan(environ, slug, request, parsed, token_hash)
        except Exception:  # let Flask meet the same error and answer it the usual way
            return None

    def _scan(self, environ: dict[str, Any], slug: str, request: Any, parsed: Any, token_hash: str) -> Answer | None:
        with self.engine().connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            public_key = self._public_key(conn, parsed.meeting_id)
            # The badge is checked before anything is written; the statement re-checks the key.
            if public_key is None or not signature_valid_with(public_key, parsed.meeting_id, parsed):
                return None
            address = environ.get("REMOTE_ADDR") or "127.0.0.1"
            if budgets.over_budget(self.app.config, budgets.DEVICE_PREFIX + token_hash, address) is not None:
                return None  # Flask answers the 429 (and counts nothing more that matters)
            # Counted here, as Flask would count it: if Flask ends up answering, it must not count again.
            environ[budgets.COUNTED] = True
            now = utcnow()
            entering = request.direction == Direction.IN
            params = {
                "token_hash": token_hash,
                "token_id": parsed.token_id,
                "slug": slug,
                "meeting_id": parsed.meeting_id,
                "public_key": public_key,
                "used_since": now - LAST_USED_GRANULARITY,
                "movable_status": RegistrationStatus.APPROVED.value,
                "checkpoint": request.checkpoint,
                "session_id": None,
                "direction": request.direction.value,
                "nonce": request.nonce,
                "scanned_at": request.scanned_at or now,
                "recorded_at": now,
                "scanned_by_id": None,
                "inside": entering,
                "entering": entering,
                "result": (ScanResult.ADMITTED if entering else ScanResult.EXITED).value,
                "reason": "",
                "result_unmoved": ScanResult.ALREADY_INSIDE.value,
                "reason_unmoved": self._already_inside_reason(),
                "synchronous_commit": commit_mode(self.app.config),
            }
            found = fetch_one(conn, DOOR_SCAN_SQL, params)
            if found is None:
                return None  # an unknown token: Flask answers the 401
            row = dict(zip(FOUND_COLUMNS, found, strict=False))
            checkin_id, stored_result, stored_reason = found[len(FOUND_COLUMNS) :]
            if checkin_id is not None:
                result, reason = ScanResult(stored_result), stored_reason
                badge = _badge(row)
            else:
                # Nothing stored: a scan Flask must answer, or a badge that does not get in.
                if not self._ordinary(row, slug, parsed.meeting_id, public_key, now):
                    return None
                badge = _badge(row)
                result, reason = services.verdict(badge, request.direction)
                if result in (ScanResult.ADMITTED, ScanResult.EXITED):
                    return None  # a nonce seen before: Flask answers with the stored scan
                values = {
                    "meeting_id": parsed.meeting_id,
                    "badge_id": badge.badge_id,
                    "registration_id": badge.registration_id,
                    "checkpoint": request.checkpoint,
                    "session_id": None,
                    "direction": request.direction,
                    "nonce": request.nonce,
                    "scanned_at": params["scanned_at"],
                    "recorded_at": now,
                    "device": row["device_name"][:120],
                    "scanned_by_id": None,
                }
                stored = record_scan(
                    conn,
                    values,
                    result=result,
                    reason=reason,
                    moves=False,
                    reason_already_inside="",
                    config=self.app.config,
                )
                if stored is None:
                    return None  # a nonce seen before
                _, result, reason = stored
        payload = {"result": result.value, "reason": reason, "participant": badge.participant, "duplicate": False}
        return self._json(environ, payload)

    def _already_inside_reason(self) -> str:
        if self._already_inside is None:
            self._already_inside = services.already_inside_reason()
        return self._already_inside

    def _public_key(self, conn: Connection, meeting_id: int) -> str | None:
        """The meeting's public key, remembered per worker (the scan statement re-checks it)."""
        key = self._keys.get(meeting_id)
        if key is None:
            found = fetch_one(conn, PUBLIC_KEY_SQL, {"meeting_id": meeting_id})
            key = found[0] if found is not None else None
            if key is not None:
                if len(self._keys) >= MAX_REMEMBERED_KEYS:
                    self._keys.clear()
                self._keys[meeting_id] = key
        return key

    def _ordinary(self, row: dict[str, Any], slug: str, meeting_id: int, public_key: str, now: datetime) -> bool:
        """Whether the device may scan here without Flask and the badge is one the meeting issued."""
        if row["badge_public_key"] != public_key:
            self._keys.pop(meeting_id, None)  # a changed key: Flask checks the badge with the new one
            return False
        return (
            row["revoked_at"] is None
            and row["slug"] == slug
            and row["meeting_id"] == meeting_id
            and row["last_used_at"] is not None
            and now - row["last_used_at"] <= LAST_USED_GRANULARITY
            and row["badge_id"] is not None
        )

    def _json(self, environ: dict[str, Any], payload: dict[str, Any]) -> Answer:
        # As Flask's jsonify writes it outside debug mode: compact, sorted keys, a final newline.
        body = (self.app.json.dumps(payload, separators=(",", ":")) + "\n").encode("utf-8")
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *SECURITY_HEADERS]
        if environ.get("wsgi.url_scheme") == "https":
            headers.append(HSTS)
        # Flask's answer depends on the session too (the scanner page calls with its cookie).
        headers.append(("Vary", "Cookie"))

        def answer(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            start_response("200 OK", headers)
            return [body]

        return answer


def _badge(row: dict[str, Any]) -> services.BadgeRow:
    row["status"] = RegistrationStatus(row["status"])
    row["category"] = RegistrationCategory(row["category"])
    return services.badge_row(row)


def _in_english(environ: dict[str, Any]) -> bool:
    """Whether Flask would answer in English (the reasons are worded in the caller's language)."""
    if "HTTP_COOKIE" not in environ and "HTTP_ACCEPT_LANGUAGE" not in environ:
        return True
    chosen = parse_cookie(environ).get(COOKIE_NAME)
    accepted = parse_accept_header(environ.get("HTTP_ACCEPT_LANGUAGE"), LanguageAccept)
    return locale_for(chosen, accepted) == DEFAULT_LOCALE


def _is_json(environ: dict[str, Any]) -> bool:
    """As Flask's request.is_json: only then does the view read the body as JSON."""
    mimetype = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def install(app: Flask) -> None:
    install_in_front(app, ScanFastPath)
