"""Tweede factor (TOTP) en herstelcodes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 01:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tweede_factor',
        sa.Column('gebruiker_id', sa.Integer(), nullable=False),
        sa.Column('geheim', sa.String(length=255), nullable=False),
        sa.Column('aangemaakt_op', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ingesteld_op', sa.DateTime(timezone=True), nullable=True),
        sa.Column('laatste_stap', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'],
                                name=op.f('fk_tweede_factor_gebruiker_id_gebruiker'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('gebruiker_id', name=op.f('pk_tweede_factor')),
    )
    op.create_table(
        'herstelcode',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('gebruiker_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('gebruikt_op', sa.DateTime(timezone=True), nullable=True),
        sa.Column('volgorde', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'],
                                name=op.f('fk_herstelcode_gebruiker_id_gebruiker'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_herstelcode')),
    )
    with op.batch_alter_table('herstelcode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_herstelcode_gebruiker_id'), ['gebruiker_id'], unique=False)


def downgrade():
    with op.batch_alter_table('herstelcode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_herstelcode_gebruiker_id'))
    op.drop_table('herstelcode')
    op.drop_table('tweede_factor')
