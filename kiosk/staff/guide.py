"""The guides in docs/, read in the console: the staff guide, and for whoever looks after the
machine, the deployment guide (the console's front page links to its "Phones at home")."""

import re
from functools import cache
from pathlib import Path

import markdown
from flask import abort, render_template, send_from_directory
from markupsafe import Markup

from kiosk.staff import bp

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"
# A guide's name as its file is named: relative links between the guides keep working.
GUIDE_NAME = re.compile(r"[a-z][a-z-]*\.md")


@cache
def _rendered(path: Path, modified: float) -> tuple[str, Markup]:
    """The guide's title and its HTML. The files are ours, from the repository, not input:
    headings get the ids GitHub gives them, so the same #anchors work in both places."""
    text = path.read_text(encoding="utf-8")
    html = markdown.markdown(text, extensions=["toc", "tables", "fenced_code"], extension_configs={
        # No style attributes: the console's policy allows no inline style.
        "tables": {"use_align_attribute": True},
    })
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")),
                 path.stem)
    return title, Markup(html)  # noqa: S704 - our own documentation, not user input


def guide_path(name: str) -> Path:
    path = DOCS / name
    if not GUIDE_NAME.fullmatch(name) or not path.is_file():
        abort(404)
    return path


@bp.get("/guide/<name>")
def guide(name):
    path = guide_path(name)
    title, body = _rendered(path, path.stat().st_mtime)
    return render_template("staff/guide.html", title=title, body=body)


@bp.get("/guide/images/<name>")
def guide_image(name):
    """The guides' pictures (docs/images/), nothing else."""
    return _picture(DOCS / "images", name)


@bp.get("/guide/images/demonstrations/<name>")
def guide_demonstration_image(name):
    """The demonstrations' key poses as the blind check saw them (docs/images/demonstrations/)."""
    return _picture(DOCS / "images" / "demonstrations", name)


def _picture(folder: Path, name: str):
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*\.png", name):
        abort(404)
    return send_from_directory(folder, name, mimetype="image/png")
