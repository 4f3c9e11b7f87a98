"""Notices: a clinic's own slide ("Closed Monday 26 January"), or the organisation's for every
clinic, shown between two dates on the clinic's clock. Every screen's loop takes them, first,
as a new screen's does; staff untick them like any other kind of slide."""

import json

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"

screen = sa.table("screen", sa.column("id", sa.Integer), sa.column("slide_kinds", sa.JSON))


def upgrade():
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=True),
        sa.Column("photo_text", sa.String(length=200), nullable=False),
        sa.Column("shows_from", sa.Date(), nullable=False),
        sa.Column("shows_until", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("shows_from <= shows_until", name="notice_dates"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["media_id"], ["media.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notice_clinic_id", "notice", ["clinic_id"])
    _change_kinds(lambda kinds: ["notices", *kinds] if "notices" not in kinds else kinds)


def downgrade():
    _change_kinds(lambda kinds: [kind for kind in kinds if kind != "notices"])
    op.drop_index("ix_notice_clinic_id", table_name="notice")
    op.drop_table("notice")


def _change_kinds(change):
    connection = op.get_bind()
    for screen_id, kinds in connection.execute(sa.select(screen.c.id, screen.c.slide_kinds)):
        kinds = json.loads(kinds) if isinstance(kinds, str) else list(kinds or [])
        connection.execute(screen.update().where(screen.c.id == screen_id)
                           .values(slide_kinds=change(kinds)))
