"""How a request picks its language: the switcher's cookie, then the browser, then English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from eventapp.extensions import babel
from eventapp.i18n.locales import COOKIE_NAME
from tests.conftest import make_app


def html_tag(body: str) -> str:
    return body[body.index("<html") : body.index(">", body.index("<html")) + 1]


def test_english_by_default(client: FlaskClient) -> None:
    body = client.get("/").get_data(as_text=True)
    assert html_tag(body) == '<html lang="en" dir="ltr">'
    assert ">Meetings</a>" in body


def test_switcher_sets_a_cookie_and_returns_to_the_page_in_french(client: FlaskClient) -> None:
    response = client.get("/language", query_string={"lang": "fr", "next": "/members/?page=2"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/members/?page=2"
    cookie = client.get_cookie(COOKIE_NAME)
    assert cookie is not None and cookie.value == "fr"
    set_cookie = response.headers["Set-Cookie"]
    assert "Max-Age=31536000" in set_cookie and "SameSite=Lax" in set_cookie and "HttpOnly" in set_cookie

    body = client.get("/members/").get_data(as_text=True)
    assert html_tag(body) == '<html lang="fr" dir="ltr">'
    assert ">Réunions</a>" in body and ">Meetings</a>" not in body


def test_switcher_accepts_a_posted_choice(client: FlaskClient) -> None:
    response = client.post("/language", data={"lang": "es", "next": "/"})
    assert response.status_code == 302
    assert client.get_cookie(COOKIE_NAME).value == "es"


def test_switcher_choice_beats_the_browser_preference(client: FlaskClient) -> None:
    client.get("/language?lang=fr&next=/")
    body = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'lang="fr"' in html_tag(body)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_switcher_never_leaves_the_site(client: FlaskClient, target: str) -> None:
    response = client.get("/language", query_string={"lang": "fr", "next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_ignored(client: FlaskClient) -> None:
    client.get("/language?lang=xx&next=/")
    assert client.get_cookie(COOKIE_NAME) is None
    assert 'lang="en"' in html_tag(client.get("/").get_data(as_text=True))


def test_browser_preference_picks_spanish(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept-Language": "de-DE,es;q=0.8,en;q=0.5"})
    body = response.get_data(as_text=True)
    assert 'lang="es"' in html_tag(body)
    assert ">Reuniones</a>" in body
    assert "Accept-Language" in response.headers["Vary"]


def test_unsupported_browser_language_falls_back_to_english(client: FlaskClient) -> None:
    body = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert html_tag(body) == '<html lang="en" dir="ltr">'


def test_arabic_is_right_to_left(client: FlaskClient) -> None:
    body = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert html_tag(body) == '<html lang="ar" dir="rtl">'
    assert ">الاجتماعات</a>" in body


def test_switcher_names_each_language_in_itself(client: FlaskClient) -> None:
    body = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    switcher = body[body.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'aria-label="Langue"' in switcher
    for code, name in [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية")]:
        assert f'lang="{code}"' in switcher and f">{name}</a>" in switcher
    assert switcher.count('aria-current="true"') == 1
    assert 'hreflang="fr" aria-current="true"' in switcher


@pytest.fixture
def client_without_catalogues(_schema: str, tmp_path: Path) -> Iterator[FlaskClient]:
    """An app whose translations folder holds no compiled catalogue (as before `make install`)."""
    translations_cache = babel.domain_instance.cache  # process-wide: loaded catalogues stay here
    translations_cache.clear()
    app = make_app(_schema, BABEL_TRANSLATION_DIRECTORIES=str(tmp_path))
    with app.app_context():
        yield app.test_client()
    translations_cache.clear()


def test_missing_compiled_catalogues_fall_back_to_english(client_without_catalogues: FlaskClient) -> None:
    body = client_without_catalogues.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="fr"' in html_tag(body)
    assert ">Meetings</a>" in body
