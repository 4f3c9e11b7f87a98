"""Sheets as PDF: the same template as the page, laid out on A4 by WeasyPrint, offline."""

import hashlib
import mimetypes
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

CACHE_SIZE = 32
_cache: OrderedDict[str, bytes] = OrderedDict()


class StaticOnlyFetcher(URLFetcher):
    """Serve the app's own static files from disk; refuse everything else (no network, ever)."""

    def __init__(self, static_folder: str):
        super().__init__()
        self.static_folder = Path(static_folder).resolve()

    def fetch(self, url, headers=None):
        path = urlsplit(url).path
        if path.startswith("/static/"):
            file = (self.static_folder / path.removeprefix("/static/")).resolve()
            if file.is_relative_to(self.static_folder) and file.is_file():
                kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, file.read_bytes(), {"Content-Type": kind})
        raise URLFetchingError(f"not fetched for a PDF: {url}")


def render_pdf(html: str, base_url: str) -> bytes:
    """The PDF of `html`; the same HTML again gives the cached bytes."""
    key = hashlib.sha256(html.encode()).hexdigest()
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    fetcher = StaticOnlyFetcher(current_app.static_folder)
    pdf = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
    _cache[key] = pdf
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return pdf
