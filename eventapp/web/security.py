"""Security headers on every response, and trust in the proxy's forwarded headers."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

#: No inline script anywhere: every script is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


#: On every response.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    # The scanner page needs the camera; nothing needs the rest.
    ("Permissions-Policy", "camera=(self), microphone=(), geolocation=()"),
)
#: Only over TLS.
HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")


def trust_proxies(app: Flask) -> None:
    """Read client address, scheme and host from the X-Forwarded-* headers of TRUSTED_PROXIES proxies."""
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]


def configure_security(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        for name, value in SECURITY_HEADERS:
            headers.setdefault(name, value)
        if request.is_secure:
            headers.setdefault(*HSTS)
        return response
