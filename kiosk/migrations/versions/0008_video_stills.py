"""A still from each uploaded video, for its browse tile and its poster.

The table starts empty: the kiosk makes the still of a video uploaded before this on the
first screen that needs it (kiosk/media/stills.py), as it does after an import, so upgrading decodes
nothing and needs no video library in the migration.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade():
    op.create_table(
        "video_still",
        sa.Column("video_sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("byte_size", sa.Integer(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("video_sha256"),
    )


def downgrade():
    op.drop_table("video_still")
