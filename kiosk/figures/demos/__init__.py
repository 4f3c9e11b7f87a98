"""The seven stretches of the clinic's article, each as poses, a loop and key poses, and a
library of drawings for the clinic's own stretches."""

from kiosk.figures.demos import library, lying, upright
from kiosk.figures.demos.upright import at_ease
from kiosk.figures.scene import Demonstration

__all__ = ["at_ease", "build"]


def build() -> dict[str, Demonstration]:
    """Every built-in demonstration by name: the article's (neck down), then the library's."""
    demos = (
        upright.neck_stretch(),
        upright.shoulder_rolls(),
        lying.hamstring_lying(),
        upright.hamstring_standing(),
        lying.hip_twists(),
        upright.psoas(),
        lying.piriformis(),
        *library.build(),
    )
    return {demo.name: demo for demo in demos}
