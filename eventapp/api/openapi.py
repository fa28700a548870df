"""OpenAPI 3 description of the check-in API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

RESULTS = ["admitted", "already_inside", "not_allowed", "not_approved", "revoked", "invalid", "wrong_meeting", "exited"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}, "description": "Meeting slug"}
PARTICIPANTS = {"type": "array", "items": _ref("Participant")}
LAYOUTS = ["a6", "a4-4up", "letter-4x3"]
BINARY = {"type": "string", "format": "binary"}
#: Row ids are 32-bit INTEGER columns; a larger id names nothing.
MAX_ID = 2**31 - 1
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
#: The most scans one listCheckins answer holds.
MAX_CHECKINS = 1000
#: A checkpoint: the venue entrance or the room of one session.
CHECKPOINT_PATTERN = "^(entrance|session-[0-9]+)$"
LIMIT = {"type": "integer", "minimum": 1, "maximum": MAX_CHECKINS}
#: A string with something besides blanks (no NUL or unpaired surrogate either, or the answer is 400).
TEXT = {"type": "string", "minLength": 1, "pattern": "\\S"}
ERRORS = {
    "400": _json(_ref("Error"), "Invalid request body or parameters"),
    "401": _json(
        _ref("Error"),
        "Missing, unknown or revoked device token. Once an address has had RATELIMIT_LOGIN of these "
        "within the window, its requests without valid credentials get 429 instead (limited: failed_sign_ins)",
    ),
    "403": _json(_ref("Error"), "Token of another meeting, or account without the scanner role"),
    "404": _json(_ref("Error"), "No such meeting (or participant), or no such address under /api/v1"),
    "429": {
        **_json(
            _ref("RateLimited"),
            "Over a budget, named by `limited`: this device token's requests (RATELIMIT_API), requests "
            "without a token from this address (RATELIMIT_API), or failed authentications from this address "
            "(RATELIMIT_LOGIN; refuses only requests without valid credentials, never a valid device)",
        ),
        "headers": {
            "Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}
        },
    },
}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "WPS Focal Points Network check-in API",
            "version": "1",
            "description": "Badge scanning for on-site staff. Devices authenticate with a bearer token "
            "made by `flask --app eventapp tokens create --meeting SLUG --name NAME`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"deviceToken": []}],
        "paths": {
            "/meetings/{slug}/scans": {
                "post": {
                    "operationId": "scanBadge",
                    "summary": "Record one scan of a badge at a checkpoint; the same nonce twice records one scan.",
                    "parameters": [SLUG],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ScanRequest")}}},
                    "responses": {"200": _json(_ref("ScanResponse")), **ERRORS},
                }
            },
            "/meetings/{slug}/participants": {
                "get": {
                    "operationId": "listParticipants",
                    "summary": "Approved participants, searched by name, organisation or member.",
                    "parameters": [SLUG, {"name": "q", "in": "query", "schema": {"type": "string"}}],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {"participants": {"type": "array", "items": _ref("Participant")}},
                            }
                        ),
                        **ERRORS,
                    },
                }
            },
            "/meetings/{slug}/participants/{id}/badge.pdf": {
                "get": {
                    "operationId": "getBadgePdf",
                    "summary": "One participant's badge as a PDF.",
                    "parameters": [
                        SLUG,
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                        {
                            "name": "layout",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["a6", "a4-4up", "letter-4x3"]},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "PDF",
                            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                        },
                        **ERRORS,
                        "409": _json(_ref("Error"), "The participant is not approved, so has no badge"),
                    },
                }
            },
            "/meetings/{slug}/scanner-bundle": {
                "get": {
                    "operationId": "getScannerBundle",
                    "summary": "Public key, revoked token ids and a minimal roster for offline scanning.",
                    "parameters": [SLUG],
                    "responses": {"200": _json(_ref("ScannerBundle")), **ERRORS},
                }
            },
            "/meetings/{slug}/status": {
                "get": {
                    "operationId": "getCheckinStatus",
                    "summary": "How many people are inside, per checkpoint, category and delegation.",
                    "parameters": [SLUG],
                    "responses": {"200": _json(_ref("CheckinStatus")), **ERRORS},
                }
            },
            "/meetings/{slug}/checkins": {
                "get": {
                    "operationId": "listCheckins",
                    "summary": "Scan history, newest first.",
                    "parameters": [
                        SLUG,
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_CHECKINS},
                        },
                        {"name": "before_id", "in": "query", "schema": ID, "description": "Scans older than this one"},
                    ],
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["checkins"],
                                "properties": {"checkins": {"type": "array", "items": _ref("CheckIn")}},
                            }
                        ),
                        **ERRORS,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"deviceToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}, "field": {"type": "string"}},
                },
                "RateLimited": {
                    "type": "object",
                    "required": ["error", "limited", "message", "retry_after"],
                    "properties": {
                        "error": {"type": "string", "enum": ["rate_limited"]},
                        "limited": {
                            "type": "string",
                            "enum": ["device", "address", "failed_sign_ins"],
                            "description": "Which budget is spent: this device token's, this address's without "
                            "a token, or this address's failed authentications",
                        },
                        "message": {"type": "string"},
                        "retry_after": {"type": "integer", "minimum": 1},
                    },
                },
                "ScanRequest": {
                    "type": "object",
                    "required": ["token", "checkpoint", "direction", "nonce"],
                    "properties": {
                        "token": {**TEXT, "maxLength": 200, "description": "The badge's QR content"},
                        "checkpoint": {
                            "type": "string",
                            "maxLength": 64,
                            "pattern": CHECKPOINT_PATTERN,
                            "description": "'entrance' or 'session-<id>'",
                        },
                        "direction": {"type": "string", "enum": ["in", "out"]},
                        "nonce": {**TEXT, "maxLength": 64, "description": "Unique per scan; a retry sends it again"},
                        "scanned_at": {"type": "string", "format": "date-time"},
                    },
                },
                "ScanResponse": {
                    "type": "object",
                    "required": ["result", "reason", "participant", "duplicate"],
                    "properties": {
                        "result": {"type": "string", "enum": RESULTS},
                        "reason": {"type": "string"},
                        "participant": {"nullable": True, "allOf": [_ref("Participant")]},
                        "duplicate": {"type": "boolean"},
                    },
                },
                "Participant": {
                    "type": "object",
                    "required": ["id", "name", "category", "category_label", "organisation", "member", "has_photo"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "category": {"type": "string"},
                        "category_label": {"type": "string"},
                        "organisation": {"type": "string"},
                        "member": {"type": "string", "nullable": True},
                        "has_photo": {"type": "boolean"},
                    },
                },
                **READ_SIDE_SCHEMAS,
            },
        },
    }


_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
_IDS = {"type": "array", "items": {"type": "integer"}}
#: Shapes of the read-only answers (scanner bundle, status, history), for clients and the fuzz tests.
READ_SIDE_SCHEMAS: dict[str, Any] = {
    "ScannerBundle": {
        "type": "object",
        "required": ["meeting", "public_key", "revoked", "roster", "checkpoints", "sessions", "inside"],
        "properties": {
            "meeting": {
                "type": "object",
                "required": ["id", "slug", "title"],
                "properties": {"id": {"type": "integer"}, "slug": {"type": "string"}, "title": {"type": "string"}},
            },
            "public_key": {"type": "string", "description": "Ed25519 public key, base64url without padding"},
            "revoked": {"type": "array", "items": {"type": "string"}, "description": "Token ids of revoked badges"},
            "roster": {
                "type": "array",
                "items": {
                    "allOf": [
                        _ref("Participant"),
                        {
                            "type": "object",
                            "required": ["token_id", "delegation", "sessions"],
                            "properties": {
                                "token_id": {"type": "string"},
                                "delegation": {"type": "boolean"},
                                "sessions": {**_IDS, "description": "Invitation-only sessions open to them"},
                            },
                        },
                    ]
                },
            },
            "checkpoints": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["value", "label"],
                    "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
                },
            },
            "sessions": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "required": ["id", "access"],
                    "properties": {
                        "id": {"type": "integer"},
                        "access": {"type": "string", "enum": ["open", "delegations", "invitation"]},
                    },
                },
            },
            "inside": {
                "type": "object",
                "additionalProperties": _IDS,
                "description": "Registration ids per checkpoint",
            },
        },
    },
    "CheckinStatus": {
        "type": "object",
        "required": ["inside", "by_category", "by_delegation", "scans"],
        "properties": {
            "inside": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["checkpoint", "label", "count"],
                    "properties": {
                        "checkpoint": {"type": "string"},
                        "label": {"type": "string"},
                        "count": {"type": "integer", "minimum": 0},
                    },
                },
            },
            "by_category": _COUNTS,
            "by_delegation": _COUNTS,
            "scans": {"type": "integer", "minimum": 0},
        },
    },
    "CheckIn": {
        "type": "object",
        "required": ["id", "checkpoint", "direction", "result", "reason", "name", "registration_id", "device"],
        "properties": {
            "id": {"type": "integer"},
            "checkpoint": {"type": "string"},
            "direction": {"type": "string", "enum": ["in", "out"]},
            "result": {"type": "string", "enum": RESULTS},
            "reason": {"type": "string"},
            "name": {"type": "string", "nullable": True},
            "registration_id": {"type": "integer", "nullable": True},
            "device": {"type": "string"},
            "nonce": {"type": "string"},
            "scanned_at": {"type": "string", "format": "date-time"},
            "recorded_at": {"type": "string", "format": "date-time"},
        },
    },
}
