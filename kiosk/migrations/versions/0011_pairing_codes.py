"""Screens join by a code: a new screen at /display shows a short code until staff type it in
the console, which makes the screen and pairs the browser showing it."""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade():
    op.create_table(
        "pairing_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("browser_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["screen_id"], ["screen.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("browser_key"),
    )
    op.create_index("ix_pairing_code_created_at", "pairing_code", ["created_at"])


def downgrade():
    op.drop_index("ix_pairing_code_created_at", table_name="pairing_code")
    op.drop_table("pairing_code")
