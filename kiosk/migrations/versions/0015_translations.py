"""The clinic's content in other languages: a translation per piece and language, with its
status (draft or checked by the clinic) and the source it translates; and the languages the
clinic has approved for patients."""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"


def upgrade():
    op.create_table(
        "translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("ref", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("checked_by", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('draft', 'checked')", name="translation_status"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("language", "kind", "ref", "position", name="uq_translation_piece"),
    )
    op.create_table(
        "language_approval",
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("approved_by", sa.String(length=40), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("language"),
    )


def downgrade():
    op.drop_table("language_approval")
    op.drop_table("translation")
