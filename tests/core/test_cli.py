from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.models import AuditLog, Member, Role, User
from tests.conftest import add_member


def test_users_create_reads_password_from_piped_stdin(runner: FlaskCliRunner, member: Member) -> None:
    result = runner.invoke(
        args=["users", "create", "FP@Example.org", "--role", "focal_point", "--member", "rou"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created Focal point fp@example.org for Romania." in result.output
    user = db.session.scalar(select(User).where(User.email == "fp@example.org"))
    assert user.member_id == member.id
    assert user.check_password("a long enough password")
    assert db.session.scalar(select(AuditLog.action)) == "user.create"


def test_users_create_rejects_bad_input(runner: FlaskCliRunner, member: Member) -> None:
    cases = [
        (["users", "create", "not-an-email", "--role", "admin"], "Not a valid email"),
        (["users", "create", "fp@example.org", "--role", "focal_point"], "must be bound to a member"),
        (["users", "create", "fp@example.org", "--role", "focal_point", "--member", "ZZZ"], "No member with the code"),
        (["users", "create", "a@example.org", "--role", "host", "--member", "ROU"], "Only focal points"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args, input="a long enough password\n")
        assert result.exit_code != 0
        assert message in result.output
    short = runner.invoke(args=["users", "create", "a@example.org", "--role", "admin"], input="short\n")
    assert "at least 10 characters" in short.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_users_create_refuses_a_taken_address(runner: FlaskCliRunner) -> None:
    args = ["users", "create", "host@example.org", "--role", "host"]
    assert runner.invoke(args=args, input="a long enough password\n").exit_code == 0
    again = runner.invoke(args=[*args[:2], "HOST@example.org", *args[3:]], input="a long enough password\n")
    assert again.exit_code != 0
    assert "already an account" in again.output
    assert db.session.scalar(select(User.role)) == Role.HOST


def _csv(tmp_path: Path, body: str) -> str:
    path = tmp_path / "members.csv"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_members_import_creates_and_updates(runner: FlaskCliRunner, tmp_path: Path) -> None:
    add_member("KEN", "Kenia")
    path = _csv(
        tmp_path,
        "kind,iso3,code,name,joined_on\n"
        "state,KEN,,Kenya,2016-09-23\n"
        "state,civ,,Côte d'Ivoire,\n"
        "regional_organisation,,IGAD,the Intergovernmental Authority on Development (IGAD),\n",
    )
    result = runner.invoke(args=["members", "import", path])
    assert result.exit_code == 0, result.output
    assert "imported: 2 new, 1 updated, 0 unchanged, 0 rejected" in result.output
    names = dict(db.session.execute(select(Member.code, Member.name)).all())
    assert names == {
        "KEN": "Kenya",
        "CIV": "Côte d'Ivoire",
        "IGAD": "the Intergovernmental Authority on Development (IGAD)",
    }


def test_members_import_reports_rejected_rows_and_imports_nothing(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "kind,iso3,code,name\n"
        "state,KEN,,Kenya\n"
        "state,XYZ,,Atlantis\n"
        "planet,,,Mars\n"
        "regional_organisation,,,Nameless Union\n"
        "state,KEN,,Kenya again\n"
        "state,FRA,,\n",
    )
    result = runner.invoke(args=["members", "import", path])
    assert result.exit_code == 1
    out = result.output
    assert "line 3: XYZ is not an ISO 3166 alpha-3 country code." in out
    assert "line 4: kind must be 'state' or 'regional_organisation'" in out
    assert "line 5: Give the organisation's short code" in out
    assert "line 6: KEN appears twice (first on line 2)" in out
    assert "line 7: Give the member's name" in out
    assert "nothing imported: 1 new, 0 updated, 0 unchanged, 5 rejected" in out
    assert db.session.scalar(select(func.count(Member.id))) == 0


def test_members_import_keep_valid(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = _csv(tmp_path, "kind,iso3,name\nstate,KEN,Kenya\nstate,XYZ,Atlantis\n")
    result = runner.invoke(args=["members", "import", "--keep-valid", path])
    assert result.exit_code == 1
    assert "imported: 1 new" in result.output
    assert db.session.scalars(select(Member.code)).all() == ["KEN"]


def test_members_import_rejects_unknown_columns(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["members", "import", _csv(tmp_path, "kind,name,colour\nstate,Kenya,red\n")])
    assert result.exit_code == 1
    assert "unknown column(s): colour" in result.output


def test_seed_demo_command_prints_passwords_once(runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Members: 64 added" in first.output
    assert "secretariat@example.org" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "Members: 0 added, 64 already there." in second.output
    assert "secretariat@example.org" not in second.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "demo seed skipped" in skipped.output
