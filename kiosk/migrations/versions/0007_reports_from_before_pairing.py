"""Screens' last reports from before pairing are forgotten: anyone could have sent them.

From here on only a browser paired with the screen reports (kiosk/display/pairing.py), so the
console says "not paired yet" until staff pair each screen, instead of showing an old report
and then "gone quiet" for a screen that is on but not paired.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade():
    screen = sa.table("screen", sa.column("last_report_at", sa.DateTime(timezone=True)),
                      sa.column("last_slide", sa.String))
    op.execute(screen.update().values(last_report_at=None, last_slide=""))


def downgrade():
    pass  # a report cannot be brought back, and none is needed: the screens report again
