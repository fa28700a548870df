"""messages to participants and their log; names and titles in the six languages

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

#: JSONB on PostgreSQL (plain json has no equality: rows holding it could not be selected DISTINCT).
TRANSLATIONS_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
#: (table, column): names and titles in the other UN languages, {} until someone writes them.
TRANSLATIONS = (
    ("members", "name_translations"),
    ("meetings", "title_translations"),
    ("meetings", "theme_translations"),
    ("sessions", "title_translations"),
)


def upgrade():
    op.create_table(
        "message_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("default_locale", sa.String(length=10), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["users.id"], name=op.f("fk_message_templates_saved_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_message_templates_name")),
    )
    op.create_table(
        "group_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("default_locale", sa.String(length=10), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("send_token", sa.String(length=43), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_group_messages_meeting_id_meetings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["users.id"], name=op.f("fk_group_messages_sent_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_messages")),
        sa.UniqueConstraint("send_token", name=op.f("uq_group_messages_send_token")),
    )
    op.create_index(op.f("ix_group_messages_meeting_id"), "group_messages", ["meeting_id"], unique=False)
    op.create_table(
        "group_message_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=201), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["group_messages.id"],
            name=op.f("fk_group_message_recipients_message_id_group_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_message_id"],
            ["outbox_messages.id"],
            name=op.f("fk_group_message_recipients_outbox_message_id_outbox_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_group_message_recipients_registration_id_registrations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_message_recipients")),
    )
    for column in ("message_id", "registration_id", "outbox_message_id"):
        op.create_index(
            op.f(f"ix_group_message_recipients_{column}"), "group_message_recipients", [column], unique=False
        )
    for table, column in TRANSLATIONS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, TRANSLATIONS_TYPE, server_default=sa.text("'{}'"), nullable=False))


def downgrade():
    for table, column in reversed(TRANSLATIONS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
    for column in ("outbox_message_id", "registration_id", "message_id"):
        op.drop_index(op.f(f"ix_group_message_recipients_{column}"), table_name="group_message_recipients")
    op.drop_table("group_message_recipients")
    op.drop_index(op.f("ix_group_messages_meeting_id"), table_name="group_messages")
    op.drop_table("group_messages")
    op.drop_table("message_templates")
