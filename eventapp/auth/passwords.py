"""Password rules: long enough, and not a common or breached choice. No composition rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, read once per process (it never changes while the app runs)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str, *, email: str = "") -> bool:
    """Whether the password is on the list, or is the account's own address or its name part."""
    lowered = password.strip().lower()
    if lowered in common_passwords():
        return True
    address = email.strip().lower()
    return bool(address) and lowered in {address, address.partition("@")[0]}
