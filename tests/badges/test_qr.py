from __future__ import annotations

import base64
import os

import pytest
import qrcode
from qrcode import constants, util

from eventapp.badges.pdf import needs_shaping, qr_runs
from eventapp.badges.qr import codewords


@pytest.mark.parametrize("version", [3, 7, 8, 12])
@pytest.mark.parametrize("length", [1, 20, 60, 127])
def test_codewords_match_qrcodes_own(version, length):
    # A letter first: a text of digits alone is written in numeric mode (see the next test).
    text = ("A" + base64.b32encode(os.urandom(79)).decode().rstrip("="))[:length]
    try:
        expected = util.create_data(version, constants.ERROR_CORRECT_M, [util.QRData(text, mode=util.MODE_ALPHA_NUM)])
    except Exception:  # noqa: BLE001 (too long for this version in qrcode too)
        with pytest.raises(ValueError):
            codewords(text, version, constants.ERROR_CORRECT_M)
        return
    assert codewords(text, version, constants.ERROR_CORRECT_M) == expected


@pytest.mark.parametrize("version", [3, 5, 7, 12])
@pytest.mark.parametrize("length", [1, 2, 3, 20, 190, 191])
def test_numeric_codewords_match_qrcodes_own(version, length):
    text = "".join(str(b % 10) for b in os.urandom(length))
    try:
        expected = util.create_data(version, constants.ERROR_CORRECT_M, [util.QRData(text, mode=util.MODE_NUMBER)])
    except Exception:  # noqa: BLE001 (too long for this version in qrcode too)
        with pytest.raises(ValueError):
            codewords(text, version, constants.ERROR_CORRECT_M)
        return
    assert codewords(text, version, constants.ERROR_CORRECT_M) == expected


def test_qr_runs_cover_the_symbol():
    size, runs = qr_runs("A" * 127)
    reference = qrcode.QRCode(error_correction=constants.ERROR_CORRECT_M)
    reference.add_data("A" * 127)
    reference.make(fit=True)
    assert size == 4 * reference.version + 17  # the smallest version that holds a token
    assert all(c >= 0 and c + n <= size and 0 <= r < size for r, c, n in runs)


def test_which_text_needs_shaping():
    assert not needs_shaping("Žofia Łukasiewicz Батбаяр Đặng")
    assert needs_shaping("محمد") and needs_shaping("राम") and needs_shaping("e\u0301")
