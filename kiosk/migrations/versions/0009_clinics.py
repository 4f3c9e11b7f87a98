"""Clinics as first-class: each has a slug (for its addresses) and a time zone (its screens'
schedules run on its clock), and screens, patient sheets and a clinic's own routines belong to
one. An install from before serves one clinic: its screens and patient sheets become that
clinic's, and its routines stay the organisation's library, so every address keeps working.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"

OWNED = ("screen", "patient_sheet")  # always a clinic's; a routine may be the library's


def slug_for(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "clinic"


def upgrade():
    with op.batch_alter_table("clinic") as batch:
        batch.add_column(sa.Column("slug", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=False,
                                   server_default=""))
    connection = op.get_bind()
    clinics = connection.execute(sa.text("SELECT id, name FROM clinic ORDER BY id")).all()
    owned = any(connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
                for table in OWNED)
    if not clinics and owned:  # screens or sheets with no clinic to call: give them one
        connection.execute(sa.text("INSERT INTO clinic (name, therapist, phone, booking_url,"
                                   " address, hours, public_url, version, updated_at)"
                                   " VALUES ('Clinic', '', '', '', '', '', '', 1,"
                                   " CURRENT_TIMESTAMP)"))
        clinics = connection.execute(sa.text("SELECT id, name FROM clinic ORDER BY id")).all()
    taken = set()
    for clinic_id, name in clinics:
        slug, n = slug_for(name), 2
        while slug in taken:
            slug, n = f"{slug_for(name)}-{n}", n + 1
        taken.add(slug)
        connection.execute(sa.text("UPDATE clinic SET slug = :slug WHERE id = :id"),
                           {"slug": slug, "id": clinic_id})
    with op.batch_alter_table("clinic") as batch:
        batch.alter_column("slug", existing_type=sa.String(length=80), nullable=False)
        batch.create_unique_constraint("uq_clinic_slug", ["slug"])

    first = clinics[0][0] if clinics else None
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("clinic_id", sa.Integer(), nullable=True))
        connection.execute(sa.text(f"UPDATE {table} SET clinic_id = :id"), {"id": first})  # noqa: S608
        with op.batch_alter_table(table) as batch:
            batch.alter_column("clinic_id", existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(f"fk_{table}_clinic", "clinic", ["clinic_id"], ["id"],
                                     ondelete="RESTRICT")
            batch.create_index(f"ix_{table}_clinic_id", ["clinic_id"])
    with op.batch_alter_table("routine") as batch:
        batch.add_column(sa.Column("clinic_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_routine_clinic", "clinic", ["clinic_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_index("ix_routine_clinic_id", ["clinic_id"])


def downgrade():
    for table in ("routine", *OWNED):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_clinic_id")
            batch.drop_constraint(f"fk_{table}_clinic", type_="foreignkey")
            batch.drop_column("clinic_id")
    with op.batch_alter_table("clinic") as batch:
        batch.drop_constraint("uq_clinic_slug", type_="unique")
        batch.drop_column("timezone")
        batch.drop_column("slug")
