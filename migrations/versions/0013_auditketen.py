"""Audit als hashketen

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 01:00:00.000000

The audit trail gets the wall-clock time, the BSNs an event showed, and a SHA-256 hash chain; the events
already recorded are chained in the order of their id.
"""
import sqlalchemy as sa
from alembic import op

from portal.auditketen import BEGIN, VELDEN, bereken_hash
from portal.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_ketenkop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volgnummer', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_ketenkop'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('volgnummer', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('op_echt', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('bsns', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('aantal_bsns', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('vorige_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    event = sa.table('audit_event', sa.column('id', sa.Integer()), sa.column('op', UTCDateTime()),
                     sa.column('op_echt', UTCDateTime()), sa.column('gebruiker_id', sa.Integer()),
                     sa.column('actor', sa.String()), sa.column('actie', sa.String()),
                     sa.column('object_type', sa.String()), sa.column('object_id', sa.String()),
                     sa.column('gemeente_id', sa.Integer()), sa.column('ip', sa.String()),
                     sa.column('bsns', sa.JSON()), sa.column('aantal_bsns', sa.Integer()),
                     sa.column('details', sa.JSON()), sa.column('volgnummer', sa.Integer()),
                     sa.column('vorige_hash', sa.String()), sa.column('hash', sa.String()))
    conn = op.get_bind()
    vorige, volgnummer = BEGIN, 0
    for rij in conn.execute(sa.select(event).order_by(event.c.id)).mappings().all():
        volgnummer += 1
        velden = {**{naam: rij[naam] for naam in VELDEN}, "volgnummer": volgnummer, "op_echt": rij["op"],
                  "bsns": None, "aantal_bsns": 0, "vorige_hash": vorige}
        velden["hash"] = bereken_hash(velden)
        conn.execute(event.update().where(event.c.id == rij["id"]).values(
            volgnummer=volgnummer, op_echt=rij["op"], aantal_bsns=0, vorige_hash=vorige, hash=velden["hash"]))
        vorige = velden["hash"]
    kop = sa.table('audit_ketenkop', sa.column('id', sa.Integer()), sa.column('volgnummer', sa.Integer()),
                   sa.column('hash', sa.String()))
    conn.execute(kop.insert().values(id=1, volgnummer=volgnummer, hash=vorige))

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        for naam, soort in (('volgnummer', sa.Integer()), ('op_echt', UTCDateTime()),
                            ('aantal_bsns', sa.Integer()), ('vorige_hash', sa.String(length=64)),
                            ('hash', sa.String(length=64))):
            batch_op.alter_column(naam, existing_type=soort, nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_volgnummer'), ['volgnummer'])
        batch_op.create_index(batch_op.f('ix_audit_event_op_echt'), ['op_echt'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_op_echt'))
        batch_op.drop_constraint(batch_op.f('uq_audit_event_volgnummer'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('vorige_hash')
        batch_op.drop_column('aantal_bsns')
        batch_op.drop_column('bsns')
        batch_op.drop_column('op_echt')
        batch_op.drop_column('volgnummer')
    op.drop_table('audit_ketenkop')
