"""iEb-berichten en registraties, migratieverloop, planner, klok en uitbak

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 03:53:35.960227

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('klokstand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('moment', sa.DateTime(timezone=True), nullable=False),
    sa.Column('gewijzigd_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gewijzigd_door', sa.String(length=254), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_klokstand'))
    )
    op.create_table('belactie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('aangemaakt_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verschillen', sa.JSON(), nullable=False),
    sa.Column('afgehandeld_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('afgehandeld_door', sa.String(length=254), nullable=True),
    sa.Column('uitkomst', sa.Text(), nullable=True),
    sa.Column('nieuwe_leverdatum', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_belactie_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_belactie'))
    )
    with op.batch_alter_table('belactie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_belactie_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('gebeurtenis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('soort', sa.String(length=40), nullable=False),
    sa.Column('van_toestand', sa.String(length=30), nullable=True),
    sa.Column('naar_toestand', sa.String(length=30), nullable=True),
    sa.Column('door', sa.String(length=254), nullable=False),
    sa.Column('omschrijving', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_gebeurtenis_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gebeurtenis'))
    )
    with op.batch_alter_table('gebeurtenis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gebeurtenis_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('geplande_actie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('soort', sa.String(length=40), nullable=False),
    sa.Column('due_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('geclaimd_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('geclaimd_door', sa.String(length=80), nullable=True),
    sa.Column('pogingen', sa.Integer(), nullable=False),
    sa.Column('uitgevoerd_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fout', sa.Text(), nullable=True),
    sa.Column('parameters', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_geplande_actie_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_geplande_actie')),
    sa.UniqueConstraint('gemeente_id', 'soort', 'due_op', name=op.f('uq_geplande_actie_gemeente_id_soort_due_op'))
    )
    with op.batch_alter_table('geplande_actie', schema=None) as batch_op:
        batch_op.create_index('ix_geplande_actie_status_due', ['status', 'due_op'], unique=False)

    op.create_table('kanaal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('kanaal', sa.String(length=10), nullable=False),
    sa.Column('open', sa.Boolean(), nullable=False),
    sa.Column('gewijzigd_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gewijzigd_door', sa.String(length=254), nullable=True),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_kanaal_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kanaal')),
    sa.UniqueConstraint('gemeente_id', 'kanaal', name=op.f('uq_kanaal_gemeente_id_kanaal'))
    )
    op.create_table('mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sleutel', sa.String(length=160), nullable=True),
    sa.Column('gemeente_id', sa.Integer(), nullable=True),
    sa.Column('soort', sa.String(length=60), nullable=False),
    sa.Column('aan', sa.JSON(), nullable=False),
    sa.Column('onderwerp', sa.String(length=300), nullable=False),
    sa.Column('tekst', sa.Text(), nullable=False),
    sa.Column('aangemaakt_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verzonden_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pogingen', sa.Integer(), nullable=False),
    sa.Column('volgende_poging_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('laatste_fout', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_mail_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail')),
    sa.UniqueConstraint('sleutel', name=op.f('uq_mail_sleutel'))
    )
    with op.batch_alter_table('mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_aangemaakt_op'), ['aangemaakt_op'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('b4_regel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bestand_id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('rij', sa.Integer(), nullable=False),
    sa.Column('gemeentecode', sa.String(length=4), nullable=False),
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
    sa.ForeignKeyConstraint(['bestand_id'], ['bestand.id'],
                            name=op.f('fk_b4_regel_bestand_id_bestand'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_b4_regel_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_b4_regel')),
    sa.UniqueConstraint('bestand_id', 'bsn', name=op.f('uq_b4_regel_bestand_id_bsn'))
    )
    with op.batch_alter_table('b4_regel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_b4_regel_bestand_id'), ['bestand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_b4_regel_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('mail_bijlage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=255), nullable=False),
    sa.Column('mediatype', sa.String(length=100), nullable=False),
    sa.Column('inhoud', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['mail_id'], ['mail.id'], name=op.f('fk_mail_bijlage_mail_id_mail'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_bijlage'))
    )
    with op.batch_alter_table('mail_bijlage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_bijlage_mail_id'), ['mail_id'], unique=False)

    op.create_table('terugkoppeling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('ontvangst_id', sa.Integer(), nullable=False),
    sa.Column('b4_bestand_id', sa.Integer(), nullable=False),
    sa.Column('ontvangen_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('geldig', sa.Boolean(), nullable=False),
    sa.Column('actueel', sa.Boolean(), nullable=False),
    sa.Column('te_laat', sa.Boolean(), nullable=False),
    sa.Column('tellingen', sa.JSON(), nullable=True),
    sa.Column('problemen', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['b4_bestand_id'], ['bestand.id'], name=op.f('fk_terugkoppeling_b4_bestand_id_bestand')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_terugkoppeling_gemeente_id_gemeente')),
    sa.ForeignKeyConstraint(['ontvangst_id'], ['ontvangst.id'], name=op.f('fk_terugkoppeling_ontvangst_id_ontvangst')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terugkoppeling')),
    sa.UniqueConstraint('ontvangst_id', name=op.f('uq_terugkoppeling_ontvangst_id'))
    )
    with op.batch_alter_table('terugkoppeling', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_terugkoppeling_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_table('wmo407_bericht',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ontvangst_id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('identificatie', sa.String(length=12), nullable=False),
    sa.Column('dagtekening', sa.Date(), nullable=False),
    sa.Column('ontvangen_op', sa.DateTime(timezone=True), nullable=False),
    sa.Column('niveau', sa.SmallInteger(), nullable=False),
    sa.Column('geaccepteerd', sa.Boolean(), nullable=False),
    sa.Column('retourcodes', sa.String(length=200), nullable=False),
    sa.Column('aantal_clienten', sa.Integer(), nullable=False),
    sa.Column('aantal_perioden', sa.Integer(), nullable=False),
    sa.Column('identificatie_retour', sa.String(length=12), nullable=True),
    sa.Column('wmo408_bestand_id', sa.Integer(), nullable=True),
    sa.Column('te_laat', sa.Boolean(), nullable=False),
    sa.Column('rapport', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_wmo407_bericht_gemeente_id_gemeente')),
    sa.ForeignKeyConstraint(['ontvangst_id'], ['ontvangst.id'], name=op.f('fk_wmo407_bericht_ontvangst_id_ontvangst')),
    sa.ForeignKeyConstraint(['wmo408_bestand_id'], ['bestand.id'],
                            name=op.f('fk_wmo407_bericht_wmo408_bestand_id_bestand')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wmo407_bericht')),
    sa.UniqueConstraint('identificatie_retour', name=op.f('uq_wmo407_bericht_identificatie_retour')),
    sa.UniqueConstraint('ontvangst_id', name=op.f('uq_wmo407_bericht_ontvangst_id'))
    )
    with op.batch_alter_table('wmo407_bericht', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wmo407_bericht_gemeente_id'), ['gemeente_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wmo407_bericht_ontvangen_op'), ['ontvangen_op'], unique=False)

    op.create_table('bericht_periode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('bw_startnummer', sa.BigInteger(), nullable=False),
    sa.Column('bw_startdatum', sa.Date(), nullable=False),
    sa.Column('bw_einddatum', sa.Date(), nullable=True),
    sa.Column('status_aanlevering', sa.SmallInteger(), nullable=False),
    sa.Column('retourcodes', sa.String(length=100), nullable=False),
    sa.Column('client_retourcodes', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['bericht_id'], ['wmo407_bericht.id'],
                            name=op.f('fk_bericht_periode_bericht_id_wmo407_bericht'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_bericht_periode_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bericht_periode'))
    )
    with op.batch_alter_table('bericht_periode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bericht_periode_bericht_id'), ['bericht_id'], unique=False)
        batch_op.create_index('ix_bericht_periode_gemeente_bsn', ['gemeente_id', 'bsn'], unique=False)

    op.create_table('bw_periode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('bw_startnummer', sa.BigInteger(), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('bw_startdatum', sa.Date(), nullable=False),
    sa.Column('bw_einddatum', sa.Date(), nullable=True),
    sa.Column('verwijderd', sa.Boolean(), nullable=False),
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.Column('gewijzigd_op', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bericht_id'], ['wmo407_bericht.id'],
                            name=op.f('fk_bw_periode_bericht_id_wmo407_bericht')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_bw_periode_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bw_periode')),
    sa.UniqueConstraint('gemeente_id', 'bw_startnummer', name=op.f('uq_bw_periode_gemeente_id_bw_startnummer'))
    )
    with op.batch_alter_table('bw_periode', schema=None) as batch_op:
        batch_op.create_index('ix_bw_periode_gemeente_bsn', ['gemeente_id', 'bsn'], unique=False)

    op.create_table('identificatie_reservering',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('identificatie', sa.String(length=12), nullable=False),
    sa.Column('bericht_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bericht_id'], ['wmo407_bericht.id'],
                            name=op.f('fk_identificatie_reservering_bericht_id_wmo407_bericht')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'],
                            name=op.f('fk_identificatie_reservering_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identificatie_reservering')),
    sa.UniqueConstraint('gemeente_id', 'identificatie',
                        name=op.f('uq_identificatie_reservering_gemeente_id_identificatie'))
    )
    op.create_table('migratie',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('toestand', sa.String(length=30), nullable=False),
    sa.Column('timeslot', sa.Date(), nullable=True),
    sa.Column('voorkeur_timeslot', sa.Date(), nullable=True),
    sa.Column('tweede_keus_timeslot', sa.Date(), nullable=True),
    sa.Column('aanmelding_toelichting', sa.Text(), nullable=True),
    sa.Column('aangemeld_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('aangemeld_door', sa.String(length=254), nullable=True),
    sa.Column('gepland_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gepland_door', sa.String(length=254), nullable=True),
    sa.Column('terugkoppeling_te_laat', sa.Boolean(), nullable=False),
    sa.Column('aanlevering_te_laat', sa.Boolean(), nullable=False),
    sa.Column('verwacht_aantal', sa.Integer(), nullable=True),
    sa.Column('akkoord_terugkoppeling_id', sa.Integer(), nullable=True),
    sa.Column('akkoord_aanleveren_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('akkoord_aanleveren_door', sa.String(length=254), nullable=True),
    sa.Column('aanleverdeadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('aansluiting', sa.JSON(), nullable=True),
    sa.Column('aansluiting_correct', sa.Boolean(), nullable=True),
    sa.Column('goedgekeurd_op', sa.DateTime(timezone=True), nullable=True),
    sa.Column('goedgekeurd_door', sa.String(length=254), nullable=True),
    sa.Column('afwijking_reden', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['akkoord_terugkoppeling_id'], ['terugkoppeling.id'],
                            name=op.f('fk_migratie_akkoord_terugkoppeling_id_terugkoppeling')),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeente.id'], name=op.f('fk_migratie_gemeente_id_gemeente')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_migratie')),
    sa.UniqueConstraint('gemeente_id', name=op.f('uq_migratie_gemeente_id'))
    )
    with op.batch_alter_table('migratie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_migratie_timeslot'), ['timeslot'], unique=False)
        batch_op.create_index(batch_op.f('ix_migratie_toestand'), ['toestand'], unique=False)

    op.create_table('terugkoppeling_regel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terugkoppeling_id', sa.Integer(), nullable=False),
    sa.Column('rij', sa.Integer(), nullable=False),
    sa.Column('bsn', sa.String(length=9), nullable=False),
    sa.Column('code', sa.String(length=1), nullable=False),
    sa.Column('einddatum_gemeente', sa.Date(), nullable=True),
    sa.Column('toelichting', sa.Text(), nullable=True),
    sa.Column('toegevoegd', sa.Boolean(), nullable=False),
    sa.Column('gemeentecode', sa.String(length=4), nullable=True),
    sa.Column('geslachtsnaam', sa.String(length=200), nullable=True),
    sa.Column('voorvoegsel', sa.String(length=20), nullable=True),
    sa.Column('voorletters', sa.String(length=20), nullable=True),
    sa.Column('geboortedatum', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['terugkoppeling_id'], ['terugkoppeling.id'],
                            name=op.f('fk_terugkoppeling_regel_terugkoppeling_id_terugkoppeling'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terugkoppeling_regel'))
    )
    with op.batch_alter_table('terugkoppeling_regel', schema=None) as batch_op:
        batch_op.create_index('ix_terugkoppeling_regel_tk_bsn', ['terugkoppeling_id', 'bsn'], unique=False)



def downgrade():
    with op.batch_alter_table('terugkoppeling_regel', schema=None) as batch_op:
        batch_op.drop_index('ix_terugkoppeling_regel_tk_bsn')

    op.drop_table('terugkoppeling_regel')
    with op.batch_alter_table('migratie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_migratie_toestand'))
        batch_op.drop_index(batch_op.f('ix_migratie_timeslot'))

    op.drop_table('migratie')
    op.drop_table('identificatie_reservering')
    with op.batch_alter_table('bw_periode', schema=None) as batch_op:
        batch_op.drop_index('ix_bw_periode_gemeente_bsn')

    op.drop_table('bw_periode')
    with op.batch_alter_table('bericht_periode', schema=None) as batch_op:
        batch_op.drop_index('ix_bericht_periode_gemeente_bsn')
        batch_op.drop_index(batch_op.f('ix_bericht_periode_bericht_id'))

    op.drop_table('bericht_periode')
    with op.batch_alter_table('wmo407_bericht', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wmo407_bericht_ontvangen_op'))
        batch_op.drop_index(batch_op.f('ix_wmo407_bericht_gemeente_id'))

    op.drop_table('wmo407_bericht')
    with op.batch_alter_table('terugkoppeling', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_terugkoppeling_gemeente_id'))

    op.drop_table('terugkoppeling')
    with op.batch_alter_table('mail_bijlage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_bijlage_mail_id'))

    op.drop_table('mail_bijlage')
    with op.batch_alter_table('b4_regel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_b4_regel_gemeente_id'))
        batch_op.drop_index(batch_op.f('ix_b4_regel_bestand_id'))

    op.drop_table('b4_regel')
    with op.batch_alter_table('mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_gemeente_id'))
        batch_op.drop_index(batch_op.f('ix_mail_aangemaakt_op'))

    op.drop_table('mail')
    op.drop_table('kanaal')
    with op.batch_alter_table('geplande_actie', schema=None) as batch_op:
        batch_op.drop_index('ix_geplande_actie_status_due')

    op.drop_table('geplande_actie')
    with op.batch_alter_table('gebeurtenis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gebeurtenis_gemeente_id'))

    op.drop_table('gebeurtenis')
    with op.batch_alter_table('belactie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_belactie_gemeente_id'))

    op.drop_table('belactie')
    op.drop_table('klokstand')
