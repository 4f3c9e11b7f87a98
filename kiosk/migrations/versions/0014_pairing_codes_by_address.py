"""Pairing codes remember the address that asked for them (as a keyed hash), so the codes one
address may have waiting are bounded."""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"


def upgrade():
    with op.batch_alter_table("pairing_code") as table:
        table.add_column(sa.Column("address_key", sa.String(length=16), nullable=False,
                                   server_default=""))


def downgrade():
    with op.batch_alter_table("pairing_code") as table:
        table.drop_column("address_key")
