"""Screens: a schedule of routines by weekday and time, and "show this routine now"."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade():
    with op.batch_alter_table("screen") as batch:
        batch.add_column(sa.Column("override_routine_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("override_until", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key("fk_screen_override_routine", "routine",
                                 ["override_routine_id"], ["id"], ondelete="SET NULL")
    op.create_table(
        "screen_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("routine_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("starts", sa.String(length=5), nullable=False),
        sa.Column("ends", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(["screen_id"], ["screen.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["routine_id"], ["routine.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_screen_schedule_screen_id", "screen_schedule", ["screen_id"])


def downgrade():
    op.drop_index("ix_screen_schedule_screen_id", table_name="screen_schedule")
    op.drop_table("screen_schedule")
    with op.batch_alter_table("screen") as batch:
        batch.drop_constraint("fk_screen_override_routine", type_="foreignkey")
        batch.drop_column("override_until")
        batch.drop_column("override_routine_id")
