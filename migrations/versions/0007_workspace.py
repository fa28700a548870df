"""workspace: staff notes about a registration

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['author_id'], ['users.id'], name=op.f('fk_staff_notes_author_id_users'), ondelete='SET NULL'
        ),
        sa.ForeignKeyConstraint(
            ['registration_id'],
            ['registrations.id'],
            name=op.f('fk_staff_notes_registration_id_registrations'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_notes')),
    )
    op.create_index(op.f('ix_staff_notes_registration_id'), 'staff_notes', ['registration_id'])


def downgrade():
    op.drop_index(op.f('ix_staff_notes_registration_id'), table_name='staff_notes')
    op.drop_table('staff_notes')
