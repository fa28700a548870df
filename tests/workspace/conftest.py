"""The security tests' seeded world, signed in as its host."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD
from tests.security.world import EMAILS, World, build_world, remove_files


@pytest.fixture
def world(app: Flask) -> Iterator[World]:
    yield build_world()
    remove_files()


def sign_in(client: FlaskClient, account: str) -> None:
    answer = client.post("/login", data={"email": EMAILS[account], "password": PASSWORD})
    assert answer.status_code == 302, f"{account} could not sign in"


@pytest.fixture
def host(client: FlaskClient, world: World) -> FlaskClient:
    sign_in(client, "host")
    return client
