"""Inlogpogingen per account en per adres

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 01:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # The counts were kept by the portal's clock; from now on by real time: start afresh.
    op.execute("DELETE FROM inlog_blokkade")
    with op.batch_alter_table('inlog_blokkade', schema=None) as batch_op:
        batch_op.add_column(sa.Column('laatste_mislukt', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column('venster_start')
    op.create_table('inlog_adres',
    sa.Column('adres', sa.String(length=64), nullable=False),
    sa.Column('mislukt', sa.Integer(), nullable=False),
    sa.Column('venster_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('geblokkeerd_tot', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('adres', name=op.f('pk_inlog_adres'))
    )


def downgrade():
    op.drop_table('inlog_adres')
    op.execute("DELETE FROM inlog_blokkade")
    with op.batch_alter_table('inlog_blokkade', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venster_start', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column('laatste_mislukt')
