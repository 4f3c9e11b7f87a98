"""Patient sheets keep a snapshot of each stretch; sheet opens are counted per day."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    # No patient sheet could be made before this revision, so the table is rebuilt empty.
    op.drop_index("ix_patient_sheet_item_sheet_id", table_name="patient_sheet_item")
    op.drop_table("patient_sheet_item")
    op.create_table(
        "patient_sheet_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("stretch_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body_region", sa.String(length=80), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("hold_seconds", sa.Integer(), nullable=False),
        sa.Column("repetitions", sa.Integer(), nullable=False),
        sa.Column("sides", sa.JSON(), nullable=False),
        sa.Column("stretch_position", sa.String(length=20), nullable=False),
        sa.Column("cautions", sa.Text(), nullable=False),
        sa.Column("demonstration", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["patient_sheet.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stretch_id"], ["stretch.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_patient_sheet_item_sheet_id", "patient_sheet_item", ["sheet_id"])
    op.create_table(
        "sheet_open",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opens", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "sheet_id", "day"),
    )


def downgrade():
    op.drop_table("sheet_open")
    op.drop_index("ix_patient_sheet_item_sheet_id", table_name="patient_sheet_item")
    op.drop_table("patient_sheet_item")
    op.create_table(
        "patient_sheet_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("stretch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hold_seconds", sa.Integer(), nullable=False),
        sa.Column("repetitions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["patient_sheet.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stretch_id"], ["stretch.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_patient_sheet_item_sheet_id", "patient_sheet_item", ["sheet_id"])
