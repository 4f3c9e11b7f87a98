"""Alembic's entry point: run by `flask --app kiosk migrate` on the app's own connection."""

from alembic import context

from kiosk import models  # noqa: F401  (registers every table on Base.metadata)
from kiosk.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot alter most columns in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
