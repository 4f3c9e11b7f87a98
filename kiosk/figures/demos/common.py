"""What every demonstration shares: the floor, the picture size, arrows, mirror images."""

from __future__ import annotations

from kiosk.figures.model import Point, Pose, point_on, reach
from kiosk.figures.scene import Arrow
from kiosk.figures.skeletons import SIDE

FLOOR = 186
ANKLE = FLOOR - 6  # an ankle above a flat foot
MAT_TOP = FLOOR - 4
VIEW = (0, 0, 240, 200)
MIRROR = "mirror"  # the drawing order of a mirror image: the other side


def arrow(start: Point, end: Point, bend=0.25) -> Arrow:
    """A gently curved arrow from `start` to `end`, bowing to its left by `bend` of its length."""
    (sx, sy), (ex, ey) = start, end
    mid = ((sx + ex) / 2 + (ey - sy) * bend, (sy + ey) / 2 - (ex - sx) * bend)
    return Arrow(start, mid, end)


def between(a: Point, b: Point, share: float) -> Point:
    return (a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share)


def away(point: Point, dx: float, dy: float) -> Point:
    return (point[0] + dx, point[1] + dy)


def mirrored(poses: dict[str, Pose]) -> dict[str, Pose]:
    """The same poses as a mirror image, named with "_m": the other side of the stretch."""
    return {f"{name}_m": pose.but(order=MIRROR) for name, pose in poses.items()}


def on_a_chair(pose: Pose) -> Pose:
    """Sitting on the chair seen from the side, feet flat, hands resting on the thighs."""
    pose = reach(SIDE, pose, "l_thigh", (151, ANKLE))
    pose = reach(SIDE, pose, "r_thigh", (155, ANKLE))
    for side, along in (("l", 0.55), ("r", 0.6)):
        lap = point_on(SIDE, pose, f"{side}_thigh", along, -11)
        pose = reach(SIDE, pose, f"{side}_upper_arm", lap, bend=-1)
    return pose
