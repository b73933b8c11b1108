"""Opgeslagen bestanden gecomprimeerd; geen foreign keys op de bulktabellen van WMO407

Every stored file (bestand, ontvangst, mail_bijlage) gets `inhoud_opslag`: "ruw" for the rows that exist
(their bytes stay as they are and are read as they are), "zlib" for what the portal stores from now on.
The per-row foreign keys of bericht_periode and bw_periode go: they were most of the cost of storing a
large WMO407 on PostgreSQL, and only delivery.register writes those rows (see portal/models/ieb.py).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 03:00:00.000000

"""
import zlib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

BESTANDSTABELLEN = ("bestand", "ontvangst", "mail_bijlage")
FOREIGN_KEYS = (
    ("bericht_periode", "fk_bericht_periode_bericht_id_wmo407_bericht", "bericht_id", "wmo407_bericht",
     "CASCADE"),
    ("bericht_periode", "fk_bericht_periode_gemeente_id_gemeente", "gemeente_id", "gemeente", None),
    ("bw_periode", "fk_bw_periode_bericht_id_wmo407_bericht", "bericht_id", "wmo407_bericht", None),
    ("bw_periode", "fk_bw_periode_gemeente_id_gemeente", "gemeente_id", "gemeente", None),
)


def upgrade():
    for tabel in BESTANDSTABELLEN:
        with op.batch_alter_table(tabel) as batch:
            batch.add_column(sa.Column("inhoud_opslag", sa.String(length=10), nullable=False,
                                       server_default="ruw"))
        with op.batch_alter_table(tabel) as batch:
            batch.alter_column("inhoud_opslag", server_default=None, existing_type=sa.String(length=10),
                               existing_nullable=False)
    for tabel, naam, _kolom, _ouder, _ondelete in FOREIGN_KEYS:
        with op.batch_alter_table(tabel) as batch:
            batch.drop_constraint(naam, type_="foreignkey")


def downgrade():
    for tabel, naam, kolom, ouder, ondelete in FOREIGN_KEYS:
        with op.batch_alter_table(tabel) as batch:
            batch.create_foreign_key(naam, ouder, [kolom], ["id"], ondelete=ondelete)
    verbinding = op.get_bind()
    for tabel in BESTANDSTABELLEN:
        t = sa.table(tabel, sa.column("id", sa.Integer), sa.column("inhoud", sa.LargeBinary),
                     sa.column("inhoud_opslag", sa.String))
        ids = verbinding.execute(sa.select(t.c.id).where(t.c.inhoud_opslag == "zlib")).scalars().all()
        for rij_id in ids:  # one row at a time: a file can be large once decompressed
            opgeslagen = verbinding.execute(sa.select(t.c.inhoud).where(t.c.id == rij_id)).scalar_one()
            inhoud = zlib.decompress(opgeslagen) if opgeslagen is not None else None
            verbinding.execute(sa.update(t).where(t.c.id == rij_id).values(inhoud=inhoud, inhoud_opslag="ruw"))
        with op.batch_alter_table(tabel) as batch:
            batch.drop_column("inhoud_opslag")
