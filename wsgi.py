"""What gunicorn serves: `gunicorn wsgi:app`."""

from kiosk import create_app

app = create_app()
