"""Importing members from CSV, all or nothing, with a report of every rejected row."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from eventapp.audit.services import changes, record
from eventapp.extensions import db
from eventapp.members.services import MemberData, MemberError, clean_member_data, get_member_by_code
from eventapp.models import Member, MemberKind, User

REQUIRED_COLUMNS = {"kind", "name"}
KNOWN_COLUMNS = {"kind", "name", "iso3", "code", "sort_name", "joined_on"}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (line number in the file, reason)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    committed: bool = False

    def lines(self) -> list[str]:
        out = [f"line {line}: {reason}" for line, reason in self.rejected]
        verdict = "imported" if self.committed else "nothing imported"
        out.append(
            f"{verdict}: {self.created} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected"
        )
        return out


def _row_data(row: dict[str, str]) -> MemberData:
    raw_kind = (row.get("kind") or "").strip().lower().replace(" ", "_")
    aliases = {
        "member_state": "state",
        "organisation": "regional_organisation",
        "organization": "regional_organisation",
    }
    raw_kind = aliases.get(raw_kind, raw_kind)
    try:
        kind = MemberKind(raw_kind)
    except ValueError:
        raise MemberError(f"kind must be 'state' or 'regional_organisation', not {row.get('kind')!r}") from None
    joined = (row.get("joined_on") or "").strip()
    try:
        joined_on = date.fromisoformat(joined) if joined else None
    except ValueError:
        raise MemberError(f"joined_on must be a date like 2016-09-23, not {joined!r}") from None
    return MemberData(
        kind=kind,
        name=row.get("name") or "",
        iso3=row.get("iso3"),
        code=row.get("code"),
        sort_name=row.get("sort_name"),
        joined_on=joined_on,
    )


def import_members(
    stream: TextIO, *, actor: User | None = None, keep_valid: bool = False, update_existing: bool = True
) -> ImportReport:
    """Create or update members by code. Any rejected row aborts the whole import unless `keep_valid`.

    With `update_existing` False, members already known are left as they are (the demo seed).
    """
    report = ImportReport()
    reader = csv.DictReader(stream)
    columns = {c.strip() for c in (reader.fieldnames or [])}
    missing = REQUIRED_COLUMNS - columns
    if missing:
        report.rejected.append((1, f"missing column(s): {', '.join(sorted(missing))}"))
        return report
    unknown = columns - KNOWN_COLUMNS
    if unknown:
        report.rejected.append((1, f"unknown column(s): {', '.join(sorted(unknown))}"))
        return report
    seen_codes: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            try:
                data = _row_data({k.strip(): v for k, v in row.items() if k})
                code = (data.code or data.iso3 or "").strip().upper()
                if code in seen_codes:
                    raise MemberError(f"{code} appears twice (first on line {seen_codes[code]})")
                existing = get_member_by_code(code) if code else None
                # Every rule is checked before anything is written, so a rejected row leaves no trace.
                values = clean_member_data(data, existing=existing)
                seen_codes[str(values["code"])] = line
                if existing is None:
                    member = Member(**values)
                    db.session.add(member)
                    record("member.import", member, actor=actor, details={"code": member.code})
                    report.created += 1
                elif not update_existing:
                    report.unchanged += 1
                elif changed := changes(existing, values):
                    record("member.import", existing, actor=actor, details=changed)
                    report.updated += 1
                else:
                    report.unchanged += 1
            except MemberError as exc:
                report.rejected.append((line, str(exc)))
    except (csv.Error, UnicodeDecodeError) as exc:
        report.rejected.append((reader.line_num, f"unreadable CSV: {exc}"))
        db.session.rollback()
        return report
    if report.rejected and not keep_valid:
        db.session.rollback()
        return report
    db.session.commit()
    report.committed = True
    return report
