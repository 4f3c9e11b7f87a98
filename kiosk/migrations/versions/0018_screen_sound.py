"""Whether a screen's follow-along speaks its cues aloud: off, as every screen so far, unless
the clinic turns it on (a waiting room is shared; captions always show)."""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"


def upgrade():
    with op.batch_alter_table("screen") as batch:
        batch.add_column(sa.Column("sound", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("screen") as batch:
        batch.drop_column("sound")
