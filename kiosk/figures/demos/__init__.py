"""The seven stretches of the clinic's article, each as poses, a loop and key poses."""

from kiosk.figures.demos import lying, upright
from kiosk.figures.demos.upright import at_ease
from kiosk.figures.scene import Demonstration

__all__ = ["at_ease", "build"]


def build() -> dict[str, Demonstration]:
    """Every built-in demonstration by name, in the article's order (neck down)."""
    demos = (
        upright.neck_stretch(),
        upright.shoulder_rolls(),
        lying.hamstring_lying(),
        upright.hamstring_standing(),
        lying.hip_twists(),
        upright.psoas(),
        lying.piriformis(),
    )
    return {demo.name: demo for demo in demos}
