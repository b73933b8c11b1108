"""API-tokens van gebruikers

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('gebruiker_id', sa.Integer(), nullable=False),
        sa.Column('naam', sa.String(length=100), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('aangemaakt_op', sa.DateTime(timezone=True), nullable=False),
        sa.Column('aangemaakt_door', sa.String(length=254), nullable=False),
        sa.Column('laatst_gebruikt_op', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ingetrokken_op', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ingetrokken_door', sa.String(length=254), nullable=True),
        sa.Column('venster_start', sa.DateTime(timezone=True), nullable=True),
        sa.Column('venster_aantal', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'],
                                name=op.f('fk_api_token_gebruiker_id_gebruiker'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash')),
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_gebruiker_id'), ['gebruiker_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_gebruiker_id'))
    op.drop_table('api_token')
