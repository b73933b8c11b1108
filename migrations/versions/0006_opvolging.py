"""De opvolgtaken van het CAK na de migratieperiode

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('opvolgtaak',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('soort', sa.String(length=40), nullable=False),
    sa.Column('aangemaakt_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('clienten', sa.JSON(), nullable=False),
    sa.Column('bestand_id', sa.Integer(), nullable=True),
    sa.Column('gesloten_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gesloten_door', sa.String(length=254), nullable=True),
    sa.Column('uitkomst', sa.Text(), nullable=True),
    sa.Column('reden_gesloten', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['bestand_id'], ['bestand.id'], name=op.f('fk_opvolgtaak_bestand_id_bestand')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_opvolgtaak_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opvolgtaak')),
    sa.UniqueConstraint('gemeente_id', 'soort', 'aangemaakt_op',
                        name=op.f('uq_opvolgtaak_gemeente_id_soort_aangemaakt_op'))
    )
    with op.batch_alter_table('opvolgtaak', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opvolgtaak_gemeente_id'), ['gemeente_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opvolgtaak_gesloten_op'), ['gesloten_op'], unique=False)


def downgrade():
    with op.batch_alter_table('opvolgtaak', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opvolgtaak_gesloten_op'))
        batch_op.drop_index(batch_op.f('ix_opvolgtaak_gemeente_id'))
    op.drop_table('opvolgtaak')
