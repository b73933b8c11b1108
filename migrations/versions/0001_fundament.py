"""fundament: gemeenten, gebruikers, clienten, bestanden, ontvangsten, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-29 03:48:10.428275

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('gebruiker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('naam', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('aangemaakt_op', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role in ('gemeente', 'gemeente_beheerder', 'cak', 'cak_beheerder', 'leverancier')",
                       name=op.f('ck_gebruiker_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gebruiker')),
    sa.UniqueConstraint('email', name=op.f('uq_gebruiker_email'))
    )
    op.create_table('gemeente',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('naam', sa.String(length=100), nullable=False),
    sa.Column('soort', sa.String(length=20), nullable=False),
    sa.Column('centrumgemeente_id', sa.Integer(), nullable=True),
    sa.Column('levert_zelf_aan', sa.Boolean(), nullable=False),
    sa.Column('bestandsprefix', sa.String(length=16), nullable=False),
    sa.Column('bw_startnummer', sa.BigInteger(), nullable=True),
    sa.Column('contact_naam', sa.String(length=100), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_telefoon', sa.String(length=30), nullable=True),
    sa.CheckConstraint("soort in ('centrumgemeente', 'regiogemeente')", name=op.f('ck_gemeente_soort')),
    sa.ForeignKeyConstraint(['centrumgemeente_id'], ['gemeente.id'],
                            name=op.f('fk_gemeente_centrumgemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gemeente')),
    sa.UniqueConstraint('code', name=op.f('uq_gemeente_code'))
    )
    op.create_table('inlog_blokkade',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('mislukt', sa.Integer(), nullable=False),
    sa.Column('venster_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('geblokkeerd_tot', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('email', name=op.f('pk_inlog_blokkade'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('gebruiker_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('actie', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'], name=op.f('fk_audit_event_gebruiker_id_gebruiker')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_audit_event_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actie'), ['actie'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_gemeente_id'), ['gemeente_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_op'), ['op'], unique=False)

    op.create_table('bestand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('categorie', sa.String(length=30), nullable=False),
    sa.Column('naam', sa.String(length=255), nullable=False),
    sa.Column('mediatype', sa.String(length=100), nullable=False),
    sa.Column('inhoud', sa.LargeBinary(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('grootte', sa.Integer(), nullable=False),
    sa.Column('gepubliceerd_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('gemaakt_door_id', sa.Integer(), nullable=True),
    sa.Column('gemaakt_door_job', sa.String(length=64), nullable=True),
    sa.Column('sleutel', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['gemaakt_door_id'], ['gebruiker.id'], name=op.f('fk_bestand_gemaakt_door_id_gebruiker')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_bestand_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bestand')),
    sa.UniqueConstraint('gemeente_id', 'sleutel', name=op.f('uq_bestand_gemeente_id_sleutel'))
    )
    with op.batch_alter_table('bestand', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bestand_gemeente_id'), ['gemeente_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bestand_gepubliceerd_op'), ['gepubliceerd_op'], unique=False)

    op.create_table('bw_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('geslachtsnaam', sa.String(length=200), nullable=False),
    sa.Column('voorvoegsel', sa.String(length=20), nullable=True),
    sa.Column('voorletters', sa.String(length=20), nullable=False),
    sa.Column('geboortedatum', sa.Date(), nullable=False),
    sa.Column('datum_start_bw', sa.Date(), nullable=False),
    sa.Column('datum_einde_bw', sa.Date(), nullable=True),
    sa.Column('bron', sa.String(length=10), nullable=False),
    sa.Column('aanbieder_agb', sa.String(length=8), nullable=False),
    sa.Column('soort_bijdrage', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_bw_client_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bw_client')),
    sa.UniqueConstraint('gemeente_id', 'bsn', name=op.f('uq_bw_client_gemeente_id_bsn'))
    )
    with op.batch_alter_table('bw_client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bw_client_bsn'), ['bsn'], unique=False)
        batch_op.create_index(batch_op.f('ix_bw_client_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('gebruiker_gemeente',
    sa.Column('gebruiker_id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'],
                            name=op.f('fk_gebruiker_gemeente_gebruiker_id_gebruiker'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'],
                            name=op.f('fk_gebruiker_gemeente_gemeente_id_gemeente'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('gebruiker_id', 'gemeente_id', name=op.f('pk_gebruiker_gemeente'))
    )
    op.create_table('ontvangst',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('gebruiker_id', sa.Integer(), nullable=True),
    sa.Column('kanaal', sa.String(length=20), nullable=False),
    sa.Column('soort', sa.String(length=30), nullable=False),
    sa.Column('bestandsnaam', sa.String(length=255), nullable=False),
    sa.Column('inhoud', sa.LargeBinary(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('grootte', sa.Integer(), nullable=False),
    sa.Column('ontvangen_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('uitkomst', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'], name=op.f('fk_ontvangst_gebruiker_id_gebruiker')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_ontvangst_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ontvangst'))
    )
    with op.batch_alter_table('ontvangst', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ontvangst_gemeente_id'), ['gemeente_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ontvangst_ontvangen_op'), ['ontvangen_op'], unique=False)
        batch_op.create_index(batch_op.f('ix_ontvangst_sha256'), ['sha256'], unique=False)

    op.create_table('download',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bestand_id', sa.Integer(), nullable=False),
    sa.Column('gebruiker_id', sa.Integer(), nullable=True),
    sa.Column('op', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bestand_id'], ['bestand.id'],
                            name=op.f('fk_download_bestand_id_bestand'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'], name=op.f('fk_download_gebruiker_id_gebruiker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_download'))
    )
    with op.batch_alter_table('download', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_download_bestand_id'), ['bestand_id'], unique=False)



def downgrade():
    with op.batch_alter_table('download', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_download_bestand_id'))

    op.drop_table('download')
    with op.batch_alter_table('ontvangst', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ontvangst_sha256'))
        batch_op.drop_index(batch_op.f('ix_ontvangst_ontvangen_op'))
        batch_op.drop_index(batch_op.f('ix_ontvangst_gemeente_id'))

    op.drop_table('ontvangst')
    op.drop_table('gebruiker_gemeente')
    with op.batch_alter_table('bw_client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bw_client_gemeente_id'))
        batch_op.drop_index(batch_op.f('ix_bw_client_bsn'))

    op.drop_table('bw_client')
    with op.batch_alter_table('bestand', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bestand_gepubliceerd_op'))
        batch_op.drop_index(batch_op.f('ix_bestand_gemeente_id'))

    op.drop_table('bestand')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_op'))
        batch_op.drop_index(batch_op.f('ix_audit_event_gemeente_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actie'))

    op.drop_table('audit_event')
    op.drop_table('inlog_blokkade')
    op.drop_table('gemeente')
    op.drop_table('gebruiker')
