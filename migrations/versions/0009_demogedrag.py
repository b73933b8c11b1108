"""Demogedrag: how a demo gemeente acts by itself in the ketentest

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('demogedrag',
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('gedrag', sa.String(length=20), nullable=False),
    sa.Column('aan', sa.Boolean(), nullable=False),
    sa.Column('gewijzigd_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gewijzigd_door', sa.String(length=254), nullable=True),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_demogedrag_gemeente_id_gemeente'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('gemeente_id', name=op.f('pk_demogedrag'))
    )


def downgrade():
    op.drop_table('demogedrag')
