"""Uitnodigingen en toegangsverzoeken

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('uitnodiging',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gebruiker_id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('rol', sa.String(length=20), nullable=False),
    sa.Column('nieuw_account', sa.Boolean(), nullable=False),
    sa.Column('uitgenodigd_door_id', sa.Integer(), nullable=True),
    sa.Column('uitgenodigd_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('geldig_tot', sa.DateTime(timezone=True), nullable=False),
    sa.Column('gebruikt_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ingetrokken_op', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'], name=op.f('fk_uitnodiging_gebruiker_id_gebruiker'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_uitnodiging_gemeente_id_gemeente'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uitgenodigd_door_id'], ['gebruiker.id'],
                            name=op.f('fk_uitnodiging_uitgenodigd_door_id_gebruiker'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uitnodiging'))
    )
    with op.batch_alter_table('uitnodiging', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uitnodiging_gebruiker_id'), ['gebruiker_id'], unique=False)

    op.create_table('toegangsverzoek',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('rol', sa.String(length=20), nullable=False),
    sa.Column('reden', sa.Text(), nullable=False),
    sa.Column('ingediend_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('beoordeeld_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('beoordeeld_door_id', sa.Integer(), nullable=True),
    sa.Column('weigerreden', sa.Text(), nullable=True),
    sa.CheckConstraint("status in ('open', 'verleend', 'geweigerd')", name=op.f('ck_toegangsverzoek_status')),
    sa.CheckConstraint("rol in ('gemeente', 'leverancier')", name=op.f('ck_toegangsverzoek_rol')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_toegangsverzoek_gemeente_id_gemeente'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['beoordeeld_door_id'], ['gebruiker.id'],
                            name=op.f('fk_toegangsverzoek_beoordeeld_door_id_gebruiker'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_toegangsverzoek'))
    )
    with op.batch_alter_table('toegangsverzoek', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_toegangsverzoek_gemeente_id'), ['gemeente_id'], unique=False)


def downgrade():
    with op.batch_alter_table('toegangsverzoek', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_toegangsverzoek_gemeente_id'))
    op.drop_table('toegangsverzoek')
    with op.batch_alter_table('uitnodiging', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uitnodiging_gebruiker_id'))
    op.drop_table('uitnodiging')
