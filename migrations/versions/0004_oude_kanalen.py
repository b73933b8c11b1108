"""De mutaties van de oude kanalen (H&V-app, Excel, 60-record)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

def upgrade():
    op.create_table(
        'oud_kanaal_mutatie',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('gemeente_id', sa.Integer(), nullable=False),
        sa.Column('kanaal', sa.String(length=20), nullable=False),
        sa.Column('ontvangst_id', sa.Integer(), nullable=True),
        sa.Column('volgnummer', sa.Integer(), nullable=True),
        sa.Column('gemeentecode', sa.String(length=4), nullable=False),
        sa.Column('bsn', sa.String(length=9), nullable=False),
        sa.Column('geslachtsnaam', sa.String(length=200), nullable=True),
        sa.Column('voorvoegsel', sa.String(length=20), nullable=True),
        sa.Column('voorletters', sa.String(length=20), nullable=True),
        sa.Column('geboortedatum', sa.Date(), nullable=True),
        sa.Column('soort_mutatie', sa.String(length=5), nullable=False),
        sa.Column('datum_start_bw', sa.Date(), nullable=False),
        sa.Column('datum_einde_bw', sa.Date(), nullable=True),
        sa.Column('aanbieder_agb', sa.String(length=8), nullable=False),
        sa.Column('aanbieder_naam', sa.String(length=200), nullable=True),
        sa.Column('leveringsvorm', sa.String(length=3), nullable=False),
        sa.Column('soort_bijdrage', sa.String(length=3), nullable=False),
        sa.Column('woonsituatie', sa.String(length=20), nullable=True),
        sa.Column('toelichting', sa.Text(), nullable=True),
        sa.Column('toegepast_op', sa.DateTime(timezone=True), nullable=False),
        sa.Column('gebruiker_id', sa.Integer(), nullable=True),
        sa.Column('gebruiker_naam', sa.String(length=254), nullable=False),
        sa.Column('bw_client_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['bw_client_id'], ['bw_client.id'],
                                name=op.f('fk_oud_kanaal_mutatie_bw_client_id_bw_client')),
        sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'],
                                name=op.f('fk_oud_kanaal_mutatie_gebruiker_id_gebruiker')),
        sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'],
                                name=op.f('fk_oud_kanaal_mutatie_gemeente_id_gemeente')),
        sa.ForeignKeyConstraint(['ontvangst_id'], ['ontvangst.id'],
                                name=op.f('fk_oud_kanaal_mutatie_ontvangst_id_ontvangst')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_oud_kanaal_mutatie')),
    )
    with op.batch_alter_table('oud_kanaal_mutatie', schema=None) as batch_op:
        for kolom in ('bsn', 'bw_client_id', 'gemeente_id', 'ontvangst_id', 'toegepast_op'):
            batch_op.create_index(batch_op.f(f'ix_oud_kanaal_mutatie_{kolom}'), [kolom], unique=False)

def downgrade():
    op.drop_table('oud_kanaal_mutatie')
