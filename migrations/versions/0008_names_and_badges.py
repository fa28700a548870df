"""names as people write them: badge name, Latin name, name order, nameplates

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registrations") as batch:
        batch.add_column(sa.Column("badge_name", sa.String(length=100), server_default="", nullable=False))
        batch.add_column(sa.Column("latin_name", sa.String(length=200), server_default="", nullable=False))
        order = sa.Enum(
            "given_first", "family_first", name="nameorder", native_enum=False, create_constraint=False, length=32
        )
        batch.add_column(sa.Column("name_order", order, nullable=True))
        batch.add_column(sa.Column("name_sort_key", sa.LargeBinary(), nullable=True))
    op.create_index("ix_registrations_meeting_sort_key", "registrations", ["meeting_id", "name_sort_key", "id"])
    op.create_index(
        "ix_registrations_meeting_status_sort_key",
        "registrations",
        ["meeting_id", "status", "name_sort_key", "id"],
    )
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("nameplate_languages", sa.String(length=40), server_default="en,fr", nullable=False))
        batch.add_column(sa.Column("seating_letter", sa.String(length=1), nullable=True))
    _fill_sort_keys()


def _fill_sort_keys():
    """Existing people get the key lists sort by (new writes keep it themselves)."""
    from eventapp.names.collation import sort_key

    bind = op.get_bind()
    people = sa.table(
        "registrations",
        sa.column("id", sa.Integer()),
        sa.column("given_name", sa.String()),
        sa.column("family_name", sa.String()),
        sa.column("name_sort_key", sa.LargeBinary()),
    )
    rows = bind.execute(sa.select(people.c.id, people.c.given_name, people.c.family_name)).all()
    for row in rows:
        bind.execute(
            people.update()
            .where(people.c.id == row.id)
            .values(name_sort_key=sort_key(row.family_name or "", row.given_name or ""))
        )


def downgrade():
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("seating_letter")
        batch.drop_column("nameplate_languages")
    op.drop_index("ix_registrations_meeting_status_sort_key", table_name="registrations")
    op.drop_index("ix_registrations_meeting_sort_key", table_name="registrations")
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("name_sort_key")
        batch.drop_column("name_order")
        batch.drop_column("latin_name")
        batch.drop_column("badge_name")
