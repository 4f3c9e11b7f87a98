"""The app for bench/soak.py: as wsgi.py, with the test-only sub-second dwell (DWELL_MS)."""

import os

from kiosk import create_app

app = create_app({"DWELL_MS": int(os.environ.get("SOAK_DWELL_MS", "150"))})
