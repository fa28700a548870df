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
ERRORS = {
    "400": _json(_ref("Error"), "Invalid request body"),
    "401": _json(_ref("Error"), "Missing, unknown or revoked device token"),
    "403": _json(_ref("Error"), "Token of another meeting, or account without the scanner role"),
    "404": _json(_ref("Error"), "No such meeting"),
    "429": {
        **_json(_ref("RateLimited"), "Too many requests from this device token (RATELIMIT_API)"),
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
                    },
                }
            },
            "/meetings/{slug}/scanner-bundle": {
                "get": {
                    "operationId": "getScannerBundle",
                    "summary": "Public key, revoked token ids and a minimal roster for offline scanning.",
                    "parameters": [SLUG],
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
            "/meetings/{slug}/status": {
                "get": {
                    "operationId": "getCheckinStatus",
                    "summary": "How many people are inside, per checkpoint, category and delegation.",
                    "parameters": [SLUG],
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
            "/meetings/{slug}/checkins": {
                "get": {
                    "operationId": "listCheckins",
                    "summary": "Scan history, newest first.",
                    "parameters": [
                        SLUG,
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 1000}},
                        {"name": "before_id", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {"200": _json({"type": "object"}), **ERRORS},
                }
            },
        },
        "components": {
            "securitySchemes": {"deviceToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "string"}, "field": {"type": "string"}}},
                "RateLimited": {
                    "type": "object",
                    "required": ["error", "message", "retry_after"],
                    "properties": {
                        "error": {"type": "string", "enum": ["rate_limited"]},
                        "message": {"type": "string"},
                        "retry_after": {"type": "integer", "minimum": 1},
                    },
                },
                "ScanRequest": {
                    "type": "object",
                    "required": ["token", "checkpoint", "direction", "nonce"],
                    "properties": {
                        "token": {"type": "string", "description": "The badge's QR content"},
                        "checkpoint": {"type": "string", "description": "'entrance' or 'session-<id>'"},
                        "direction": {"type": "string", "enum": ["in", "out"]},
                        "nonce": {"type": "string", "maxLength": 64},
                        "scanned_at": {"type": "string", "format": "date-time"},
                    },
                },
                "ScanResponse": {
                    "type": "object",
                    "properties": {
                        "result": {"type": "string", "enum": RESULTS},
                        "reason": {"type": "string"},
                        "participant": {"nullable": True, "allOf": [_ref("Participant")]},
                        "duplicate": {"type": "boolean"},
                    },
                },
                "Participant": {
                    "type": "object",
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
            },
        },
    }
