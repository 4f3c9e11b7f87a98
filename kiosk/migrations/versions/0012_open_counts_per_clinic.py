"""Open counts belong to a clinic: a routine's sheet opened from clinic B's screen or paper
counts for clinic B. An install from before counts every open for the clinic that gave it: a
patient sheet's own, a clinic's own routine's, else the first clinic (the one it served).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"

COLUMNS = "kind, sheet_id, day, opens"


def upgrade():
    op.create_table(
        "sheet_open_new",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opens", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"], name="fk_sheet_open_clinic",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("kind", "sheet_id", "clinic_id", "day", name="pk_sheet_open"),
    )
    op.execute(
        f"INSERT INTO sheet_open_new ({COLUMNS}, clinic_id)"  # noqa: S608
        f" SELECT {COLUMNS}, coalesce("
        "  CASE kind WHEN 'patient' THEN"
        "   (SELECT clinic_id FROM patient_sheet WHERE patient_sheet.id = sheet_id)"
        "  ELSE (SELECT clinic_id FROM routine WHERE routine.id = sheet_id) END,"
        "  (SELECT min(id) FROM clinic))"
        " FROM sheet_open WHERE EXISTS (SELECT 1 FROM clinic)")
    op.drop_table("sheet_open")
    op.rename_table("sheet_open_new", "sheet_open")


def downgrade():
    op.create_table(
        "sheet_open_old",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opens", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "sheet_id", "day"),
    )
    op.execute(f"INSERT INTO sheet_open_old ({COLUMNS}) SELECT kind, sheet_id, day, sum(opens)"  # noqa: S608
               " FROM sheet_open GROUP BY kind, sheet_id, day")
    op.drop_table("sheet_open")
    op.rename_table("sheet_open_old", "sheet_open")
