"""QR codes as SVG: a URL in, markup out; error correction M, 4-module quiet zone, dark on white."""

from functools import lru_cache

import qrcode
from markupsafe import Markup, escape
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4


def matrix(url: str) -> list[list[bool]]:
    """The code's modules, quiet zone included; True is dark."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


@lru_cache(maxsize=256)
def svg(url: str, label: str = "") -> Markup:
    """A scalable SVG of the code for `url`: one path, runs of dark modules merged into bars."""
    modules = matrix(url)
    size = len(modules)
    bars = []
    for y, row in enumerate(modules):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            bars.append(f"M{start} {y}h{x - start}v1h{start - x}z")
    title = f"<title>{escape(label)}</title>" if label else ""
    role = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true"'
    # Safe markup: the label is escaped and everything else is numbers.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"'
        f' shape-rendering="crispEdges"{role}>{title}'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(bars)}"/></svg>'
    )

