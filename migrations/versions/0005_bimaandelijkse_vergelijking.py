"""De tweemaandelijkse bestandsvergelijking: regels, terugkoppeling en verschillen

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('vergelijking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('bestand_id', sa.Integer(), nullable=False),
    sa.Column('moment', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bestand_id'], ['bestand.id'],
                            name=op.f('fk_vergelijking_bestand_id_bestand'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_vergelijking_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vergelijking')),
    sa.UniqueConstraint('bestand_id', name=op.f('uq_vergelijking_bestand_id'))
    )
    with op.batch_alter_table('vergelijking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vergelijking_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('vergelijking_regel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vergelijking_id', sa.Integer(), nullable=False),
    sa.Column('rij', sa.Integer(), nullable=False),
    sa.Column('gemeentecode', sa.String(length=4), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('geslachtsnaam', sa.String(length=200), nullable=False),
    sa.Column('voorvoegsel', sa.String(length=20), nullable=True),
    sa.Column('voorletters', sa.String(length=20), nullable=False),
    sa.Column('geboortedatum', sa.Date(), nullable=True),
    sa.Column('datum_start_bw', sa.Date(), nullable=True),
    sa.Column('datum_einde_bw', sa.Date(), nullable=True),
    sa.Column('bron', sa.String(length=10), nullable=False),
    sa.Column('aanbieder_agb', sa.String(length=8), nullable=False),
    sa.Column('soort_bijdrage', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['vergelijking_id'], ['vergelijking.id'],
                            name=op.f('fk_vergelijking_regel_vergelijking_id_vergelijking'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vergelijking_regel')),
    sa.UniqueConstraint('vergelijking_id', 'bsn', name=op.f('uq_vergelijking_regel_vergelijking_id_bsn'))
    )
    with op.batch_alter_table('vergelijking_regel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vergelijking_regel_vergelijking_id'), ['vergelijking_id'], unique=False)

    op.create_table('vergelijking_terugkoppeling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('vergelijking_id', sa.Integer(), nullable=False),
    sa.Column('ontvangst_id', sa.Integer(), nullable=False),
    sa.Column('ontvangen_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('geldig', sa.Boolean(), nullable=False),
    sa.Column('actueel', sa.Boolean(), nullable=False),
    sa.Column('tellingen', sa.JSON(), nullable=True),
    sa.Column('problemen', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'],
                            name=op.f('fk_vergelijking_terugkoppeling_gemeente_id_gemeente')),
    sa.ForeignKeyConstraint(['ontvangst_id'], ['ontvangst.id'],
                            name=op.f('fk_vergelijking_terugkoppeling_ontvangst_id_ontvangst')),
    sa.ForeignKeyConstraint(['vergelijking_id'], ['vergelijking.id'],
                            name=op.f('fk_vergelijking_terugkoppeling_vergelijking_id_vergelijking')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vergelijking_terugkoppeling')),
    sa.UniqueConstraint('ontvangst_id', name=op.f('uq_vergelijking_terugkoppeling_ontvangst_id'))
    )
    with op.batch_alter_table('vergelijking_terugkoppeling', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vergelijking_terugkoppeling_gemeente_id'), ['gemeente_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vergelijking_terugkoppeling_vergelijking_id'), ['vergelijking_id'],
                              unique=False)

    op.create_table('verschil',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('terugkoppeling_id', sa.Integer(), nullable=False),
    sa.Column('rij', sa.Integer(), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('code', sa.String(length=1), nullable=False),
    sa.Column('toegevoegd', sa.Boolean(), nullable=False),
    sa.Column('einddatum_gemeente', sa.Date(), nullable=True),
    sa.Column('toelichting', sa.Text(), nullable=True),
    sa.Column('gemeentecode', sa.String(length=4), nullable=True),
    sa.Column('geslachtsnaam', sa.String(length=200), nullable=True),
    sa.Column('voorvoegsel', sa.String(length=20), nullable=True),
    sa.Column('voorletters', sa.String(length=20), nullable=True),
    sa.Column('geboortedatum', sa.Date(), nullable=True),
    sa.Column('datum_start_bw', sa.Date(), nullable=True),
    sa.Column('datum_einde_bw', sa.Date(), nullable=True),
    sa.Column('vervangen_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('afgehandeld_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('afgehandeld_door', sa.String(length=254), nullable=True),
    sa.Column('notitie', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_verschil_gemeente_id_gemeente')),
    sa.ForeignKeyConstraint(['terugkoppeling_id'], ['vergelijking_terugkoppeling.id'],
                            name=op.f('fk_verschil_terugkoppeling_id_vergelijking_terugkoppeling'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verschil'))
    )
    with op.batch_alter_table('verschil', schema=None) as batch_op:
        batch_op.create_index('ix_verschil_gemeente_open', ['gemeente_id', 'afgehandeld_op', 'vervangen_op'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_verschil_terugkoppeling_id'), ['terugkoppeling_id'], unique=False)


def downgrade():
    with op.batch_alter_table('verschil', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verschil_terugkoppeling_id'))
        batch_op.drop_index('ix_verschil_gemeente_open')
    op.drop_table('verschil')
    with op.batch_alter_table('vergelijking_terugkoppeling', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vergelijking_terugkoppeling_vergelijking_id'))
        batch_op.drop_index(batch_op.f('ix_vergelijking_terugkoppeling_gemeente_id'))
    op.drop_table('vergelijking_terugkoppeling')
    with op.batch_alter_table('vergelijking_regel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vergelijking_regel_vergelijking_id'))
    op.drop_table('vergelijking_regel')
    with op.batch_alter_table('vergelijking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vergelijking_gemeente_id'))
    op.drop_table('vergelijking')
