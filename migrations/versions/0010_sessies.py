"""Sessies die eindigen: sessiegeneratie per gebruiker

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 01:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("gebruiker") as batch_op:
        batch_op.add_column(sa.Column("sessie_generatie", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("gebruiker") as batch_op:
        batch_op.drop_column("sessie_generatie")
