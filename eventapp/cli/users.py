from __future__ import annotations

import sys

import click

from eventapp.auth.services import UserError, change_password, create_user, find_user_by_email
from eventapp.members.services import get_member_by_code
from eventapp.models import Role


def _read_password() -> str:
    if not sys.stdin.isatty():
        # Piped (scripts): the first line of standard input is the password.
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("users")
def users_group() -> None:
    """Manage user accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--member", "member_code", help="ISO3 code or acronym of the member a focal point speaks for.")
@click.option("--name", default="", help="Name shown in the interface.")
def create_user_command(email: str, role: str, member_code: str | None, name: str) -> None:
    """Create an account; the password comes from standard input when piped, else a prompt."""
    member = None
    if member_code:
        member = get_member_by_code(member_code)
        if member is None:
            raise click.ClickException(f"No member with the code {member_code}.")
    password = _read_password()
    try:
        user = create_user(email, Role(role), password, member=member, name=name)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    bound = f" for {user.member.name}" if user.member else ""
    click.echo(f"Created {user.role.label} {user.email}{bound}.")


@users_group.command("set-password")
@click.argument("email")
def set_password_command(email: str) -> None:
    """Give an account a new password (read like `create`); it is signed out everywhere."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    password = _read_password()
    try:
        change_password(user, password)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"New password set for {user.email}; its sessions have ended.")
