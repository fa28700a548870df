import pytest

from eventapp.privacy.crypto import DecryptionError, decrypt_text, encrypt_text
from tests.conftest import make_app


def test_round_trip_and_ciphertext_hides_the_value(app: object) -> None:
    token = encrypt_text("P1234567 Ünïcode")
    assert "P1234567" not in token
    assert decrypt_text(token) == "P1234567 Ünïcode"


def test_other_key_cannot_decrypt(_schema: str) -> None:
    first = make_app(_schema)
    with first.app_context():
        token = encrypt_text("secret")
    other = make_app(_schema, DATA_ENCRYPTION_KEY="Y3V0ZXJ0aGlzaXN0aGlydHl0d29ieXRlc2xvbmdrZXk=")
    with other.app_context(), pytest.raises(DecryptionError):
        decrypt_text(token)
