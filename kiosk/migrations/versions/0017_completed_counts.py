"""Sheets followed to the end: beside a sheet's opens on a day, the days a phone said a session
was completed there (one count a phone a day, nothing else sent: issue 17)."""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"


def upgrade():
    with op.batch_alter_table("sheet_open") as batch:
        batch.add_column(sa.Column("completed", sa.Integer(), nullable=False,
                                   server_default=sa.text("0")))


def downgrade():
    with op.batch_alter_table("sheet_open") as batch:
        batch.drop_column("completed")
