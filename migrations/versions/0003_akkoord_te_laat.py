"""Vlag akkoord_te_laat: het CAK gaf geen akkoord om aan te leveren vóór vrijdag 17:00 voor de timeslotweek

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 22:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('migratie', schema=None) as batch_op:
        batch_op.add_column(sa.Column('akkoord_te_laat', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('migratie', schema=None) as batch_op:
        batch_op.drop_column('akkoord_te_laat')
