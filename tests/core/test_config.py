import os
from pathlib import Path

import pytest

from eventapp import create_app
from eventapp.config import ConfigurationError, load_config, normalise_database_url


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SECRET_KEY", "DATA_ENCRYPTION_KEY", "DATABASE_URL", "APP_ENV", "REDIS_URL", "MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout


def test_production_refuses_to_start_without_secret_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        load_config(str(tmp_path / "instance"), overrides={})


def test_production_with_secret_key_uses_secure_cookies(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATA_ENCRYPTION_KEY", "x3DCdEbvXqAmbNCLUBI1R3y6i9k7Lv7TaTNT_0l7x0k=")
    config = load_config(str(tmp_path / "instance"), overrides={})
    assert config["SECRET_KEY"] == "s" * 40
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["MAIL_BACKEND"] == "smtp"


def test_development_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    first = load_config(str(instance), overrides={})["SECRET_KEY"]
    second = load_config(str(instance), overrides={})["SECRET_KEY"]
    assert first == second
    assert len(str(first)) >= 64
    assert (instance / "secret_key").read_text().strip() == first
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_under_instance(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    config = load_config(str(instance), overrides={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'eventapp.sqlite3'}"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_url_spellings(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("REDIS_URL=redis://127.0.0.1:6379/3\nMAIL_SERVER=smtp.example.org\n")
    try:
        config = load_config(str(tmp_path / "instance"), overrides={})
    finally:  # load_dotenv writes to os.environ; leave nothing behind for other tests
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("MAIL_SERVER", None)
    assert config["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert config["MAIL_SERVER"] == "smtp.example.org"


def test_create_app_in_production_without_key_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigurationError, match="refuses to start"):
        create_app()


def test_production_refuses_to_start_without_data_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    with pytest.raises(ConfigurationError, match="DATA_ENCRYPTION_KEY is not set"):
        load_config(str(tmp_path / "instance"), overrides={})


def test_development_data_key_is_kept(tmp_path: Path) -> None:
    first = load_config(str(tmp_path / "instance"), overrides={})["DATA_ENCRYPTION_KEY"]
    assert load_config(str(tmp_path / "instance"), overrides={})["DATA_ENCRYPTION_KEY"] == first


def test_pooled_connections_are_pinged_before_use(tmp_path: Path) -> None:
    assert load_config(str(tmp_path / "instance"), overrides={})["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
