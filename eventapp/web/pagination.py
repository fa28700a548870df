"""Pages of a host list: a fixed number of rows a page, chosen by the `page` query argument."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from eventapp.extensions import db

#: Rows on one page of a host list: a page stays quick to load and print at any meeting size.
PER_PAGE = 100
#: The last page anyone can ask for: far past any meeting's rows, and its offset still fits
#: PostgreSQL's OFFSET (a bigint), which a page number of twenty digits would not.
MAX_PAGE = 100_000


def page_number(args: Mapping[str, str]) -> int:
    """The page asked for; a missing, malformed or non-positive value is the first page."""
    value = args.get("page", "")
    # isascii(): str.isdigit() also accepts "²", which int() refuses.
    if not (value.isascii() and value.isdigit()):
        return 1
    return max(min(int(value), MAX_PAGE), 1)


def paginate(query: sa.Select[Any], args: Mapping[str, str]) -> Pagination:
    """One page of an ordered query, with the total count of its rows; past the end, an empty page."""
    return db.paginate(query, page=page_number(args), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
