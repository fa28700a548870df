"""Badge rendering: 1,000 badges with our renderer against a naive per-badge image baseline.

Both sides make one PDF of 1,000 A6 badges (name, organisation, category band and label,
meeting title, QR of a 127-character token) and are timed in this process, no server:
- ours: eventapp.badges.pdf.render_contents, QR modules drawn as vector rectangles straight
  from qrcode's matrix, fonts with HarfBuzz shaping loaded once per PDF;
- naive: per badge, qrcode.make() builds a PIL image which reportlab embeds (drawImage), the
  way a first version usually does it.

The harness's table is made for HTTP rows, so each side becomes a Result whose "requests" are
badges: "req/s" reads badges per second, the "hello req/s" column holds the naive baseline,
and "ratio" is ours / naive (target: at least 5x, i.e. 500%). p50/p99 are per-badge times
(the whole run divided evenly, so they are equal). A second row compares the marginal
badges per second between 1,000 and 1,750 badges against between 250 and 1,000 (fixed costs
such as loading fonts cancel out): a ratio near 100% means the cost grows linearly.
"""

from __future__ import annotations

import base64
import io
import os
import time

from bench.harness import Result, Row

COUNT = 1000
TITLE = "5th Capital-Level Meeting of the WPS Focal Points Network"


def _tokens(n: int) -> list[str]:
    # Same length and alphabet as real tokens (79 bytes in base32), so the QR symbols match.
    return [base64.b32encode(os.urandom(79)).decode().rstrip("=") for _ in range(n)]


def _people(n: int) -> list[tuple[str, str]]:
    names = ["Ana Pop", "Nino Beridze", "Kwame Mensah", "María José Núñez", "Batbayar Dorj"]
    return [(f"{names[i % len(names)]} {i}", "Côte d'Ivoire") for i in range(n)]


def ours(n: int) -> Result:
    from eventapp.badges.pdf import BadgeContent, render_contents
    from eventapp.models import RegistrationCategory

    categories = list(RegistrationCategory)
    contents = [
        BadgeContent(name, org, categories[i % len(categories)], token)
        for i, ((name, org), token) in enumerate(zip(_people(n), _tokens(n), strict=True))
    ]
    started = time.perf_counter()
    pdf = render_contents(TITLE, contents, "a6")
    seconds = time.perf_counter() - started
    assert pdf.startswith(b"%PDF")
    return Result(f"ours x{n}", n, seconds, [seconds * 1000 / n] * n)


def naive(n: int) -> Result:
    import qrcode
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    people, tokens = _people(n), _tokens(n)
    started = time.perf_counter()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(105 * mm, 148 * mm))
    for (name, org), token in zip(people, tokens, strict=True):
        c.setFillColorRGB(0, 0.37, 0.72)
        c.rect(0, 130 * mm, 105 * mm, 18 * mm, fill=1, stroke=0)
        c.setFillColorRGB(1, 1, 1)
        c.setFont("Helvetica", 14)
        c.drawCentredString(52.5 * mm, 137 * mm, "MEMBER DELEGATION")
        c.setFillColorRGB(0, 0, 0)
        c.setFont("Helvetica", 8)
        c.drawCentredString(52.5 * mm, 124 * mm, TITLE)
        c.setFont("Helvetica", 22)
        c.drawCentredString(52.5 * mm, 105 * mm, name)
        c.setFont("Helvetica", 12)
        c.drawCentredString(52.5 * mm, 95 * mm, org)
        image = qrcode.make(token)
        c.drawImage(ImageReader(image.get_image()), 27.5 * mm, 10 * mm, 50 * mm, 50 * mm)
        c.showPage()
    c.save()
    seconds = time.perf_counter() - started
    return Result(f"naive x{n}", n, seconds, [seconds * 1000 / n] * n)


def _marginal(small: Result, large: Result) -> Result:
    """The badges between two runs over the time between them: the cost without fixed set-up."""
    count = large.requests - small.requests
    seconds = large.seconds - small.seconds
    return Result(f"{small.requests}->{large.requests}", count, seconds, [seconds * 1000 / count] * count)


def run() -> list[Row]:
    naive_result = naive(COUNT)
    ours_quarter = ours(COUNT // 4)
    ours_full = ours(COUNT)
    ours_more = ours(COUNT * 7 // 4)
    return [
        Row(f"badges: ours vs naive PIL+reportlab ({COUNT})", ours_full, naive_result, ">= 5x (500%)"),
        Row(
            "badges: marginal 1000->1750 vs 250->1000",
            _marginal(ours_full, ours_more),
            _marginal(ours_quarter, ours_full),
            "~100% = linear",
        ),
    ]
