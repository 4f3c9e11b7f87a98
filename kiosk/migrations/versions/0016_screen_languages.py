"""The languages a screen's loop shows, the first the one it starts in (and returns to when
idle): every screen so far shows English only."""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"


def upgrade():
    with op.batch_alter_table("screen") as batch:
        batch.add_column(sa.Column("languages", sa.JSON(), nullable=False,
                                   server_default=sa.text("'[\"en\"]'")))


def downgrade():
    with op.batch_alter_table("screen") as batch:
        batch.drop_column("languages")
