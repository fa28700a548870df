"""Codewords of a numeric or alphanumeric QR symbol, computed with lookup tables.

qrcode's own Reed-Solomon step (polynomial objects, rebuilt for every symbol) took most of
the time per badge; this module computes the same codewords (tested against qrcode) and hands
them to qrcode, which still lays out the symbol: `code.data_cache = codewords(...)`.
Follows ISO/IEC 18004: numeric or alphanumeric mode, terminator, pad bytes 0xEC 0x11, GF(256) over
x^8 + x^4 + x^3 + x^2 + 1, blocks interleaved.
"""

from __future__ import annotations

from functools import cache

from qrcode import base

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {c: i for i, c in enumerate(ALPHANUMERIC)}

EXP = [0] * 512
LOG = [0] * 256
_x = 1
for _i in range(255):
    EXP[_i] = _x
    LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    EXP[_i] = EXP[_i - 255]


@cache
def _generator(degree: int) -> tuple[int, ...]:
    """Coefficients (highest first, leading 1 dropped) of prod (x - a^i) for i < degree."""
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            if coef:
                nxt[j + 1] ^= EXP[LOG[coef] + i]
        poly = nxt
    return tuple(poly[1:])


def _ec(data: list[int], degree: int) -> list[int]:
    gen = _generator(degree)
    gen_logs = [LOG[g] if g else -1 for g in gen]
    rem = [0] * degree
    for byte in data:
        factor = byte ^ rem[0]
        rem = rem[1:] + [0]
        if factor:
            lf = LOG[factor]
            for j, gl in enumerate(gen_logs):
                if gl >= 0:
                    rem[j] ^= EXP[gl + lf]
    return rem


def _count_bits(version: int, numeric: bool = False) -> int:
    if numeric:
        return 10 if version < 10 else 12 if version < 27 else 14
    return 9 if version < 10 else 11 if version < 27 else 13


def codewords(text: str, version: int, error_correction: int) -> list[int]:
    """Final (interleaved, error-corrected) codewords of `text`: numeric mode for digits only,
    alphanumeric mode otherwise."""
    bits: list[int] = []

    def put(value: int, length: int) -> None:
        bits.extend((value >> (length - 1 - i)) & 1 for i in range(length))

    if text.isdigit() and text.isascii():
        put(0b0001, 4)
        put(len(text), _count_bits(version, numeric=True))
        for i in range(0, len(text), 3):
            group = text[i : i + 3]
            put(int(group), {3: 10, 2: 7, 1: 4}[len(group)])
    else:
        put(0b0010, 4)
        put(len(text), _count_bits(version))
        for i in range(0, len(text) - 1, 2):
            put(_VALUE[text[i]] * 45 + _VALUE[text[i + 1]], 11)
        if len(text) % 2:
            put(_VALUE[text[-1]], 6)
    blocks = base.rs_blocks(version, error_correction)
    capacity = sum(b.data_count for b in blocks) * 8
    if len(bits) > capacity:
        raise ValueError("text too long for this QR version")
    bits.extend([0] * min(4, capacity - len(bits)))
    bits.extend([0] * (-len(bits) % 8))
    data = [int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits), 8)]
    pad = 0
    while len(data) < capacity // 8:
        data.append((0xEC, 0x11)[pad % 2])
        pad += 1
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        chunk = data[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_ec(chunk, block.total_count - block.data_count))
    out = []
    for group in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in group)):
            out.extend(b[i] for b in group if i < len(b))
    return out
