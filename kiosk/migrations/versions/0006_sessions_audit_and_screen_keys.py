"""Sessions bound to a per-account key, temporary passwords, screens' report keys, the audit log."""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def _fill_keys(table: str):
    """Give every existing row its own random key before the column becomes required."""
    connection = op.get_bind()
    rows = sa.table(table, sa.column("id", sa.Integer), sa.column(_KEYS[table], sa.String))
    for (row_id,) in connection.execute(sa.select(rows.c.id)).all():
        connection.execute(rows.update().where(rows.c.id == row_id)
                           .values({_KEYS[table]: secrets.token_hex(32)}))


_KEYS = {"staff_account": "session_key", "screen": "report_key"}


def upgrade():
    with op.batch_alter_table("staff_account") as batch:
        batch.add_column(sa.Column("session_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True),
                                   nullable=True))
    _fill_keys("staff_account")
    with op.batch_alter_table("staff_account") as batch:
        batch.alter_column("session_key", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("must_change_password", server_default=None)
        batch.create_unique_constraint("uq_staff_account_session_key", ["session_key"])

    with op.batch_alter_table("screen") as batch:
        batch.add_column(sa.Column("report_key", sa.String(length=64), nullable=True))
    _fill_keys("screen")
    with op.batch_alter_table("screen") as batch:
        batch.alter_column("report_key", existing_type=sa.String(length=64), nullable=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("address_key", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])


def downgrade():
    op.drop_index("ix_audit_event_at", table_name="audit_event")
    op.drop_table("audit_event")
    with op.batch_alter_table("screen") as batch:
        batch.drop_column("report_key")
    with op.batch_alter_table("staff_account") as batch:
        batch.drop_constraint("uq_staff_account_session_key", type_="unique")
        batch.drop_column("password_changed_at")
        batch.drop_column("must_change_password")
        batch.drop_column("session_key")
