"""Who works where: an account belongs to clinics, as staff or as a clinic's admin, and may
edit the organisation's library. An install from before keeps what everyone could do: its
admins are the organisation's admins, and its staff work at its clinic and edit the library.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade():
    op.create_table(
        "clinic_membership",
        sa.Column("staff_account_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint("role IN ('staff', 'admin')", name="member_role"),
        sa.ForeignKeyConstraint(["staff_account_id"], ["staff_account.id"],
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("staff_account_id", "clinic_id"),
    )
    op.create_index("ix_clinic_membership_clinic_id", "clinic_membership", ["clinic_id"])
    with op.batch_alter_table("staff_account") as batch:
        batch.add_column(sa.Column("edits_library", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    op.execute("INSERT INTO clinic_membership (staff_account_id, clinic_id, role)"
               " SELECT staff_account.id, clinic.id, 'staff' FROM staff_account, clinic"
               " WHERE staff_account.role = 'staff'")


def downgrade():
    with op.batch_alter_table("staff_account") as batch:
        batch.drop_column("edits_library")
    op.drop_index("ix_clinic_membership_clinic_id", table_name="clinic_membership")
    op.drop_table("clinic_membership")
