"""Quota en bewaartermijn van geweigerde uploads

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 01:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ontvangst") as batch:
        batch.add_column(sa.Column("inhoud_verwijderd_op", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("ontvangst") as batch:
        batch.drop_column("inhoud_verwijderd_op")
