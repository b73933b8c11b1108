"""Storingen: onderbroken verwerking

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 01:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ontvangst") as batch:
        batch.add_column(sa.Column("geclaimd_op", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("geclaimd_door", sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table("ontvangst") as batch:
        batch.drop_column("geclaimd_door")
        batch.drop_column("geclaimd_op")
