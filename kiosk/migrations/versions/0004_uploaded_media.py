"""Uploaded photos and videos: a stretch may show one instead of its animation.

The bytes are stored in the database, so every app server sees them without a shared disk.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade():
    op.create_table(
        "media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("mime_type", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('image', 'video')", name="media_kind"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_media_sha256", "media", ["sha256"])
    # SQLite cannot add a column with a foreign key in place: batch mode copies the table.
    with op.batch_alter_table("stretch") as batch:
        batch.add_column(sa.Column("media_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_stretch_media", "media", ["media_id"], ["id"],
                                 ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("stretch") as batch:
        batch.drop_constraint("fk_stretch_media", type_="foreignkey")
        batch.drop_column("media_id")
    op.drop_index("ix_media_sha256", table_name="media")
    op.drop_table("media")
