"""The figure model: bones in a hierarchy, poses as data, and where each joint lands."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

Point = tuple[float, float]


@dataclass(frozen=True)
class Bone:
    """A body segment drawn along its own +x axis, starting at its joint on the parent."""

    name: str
    parent: str | None
    length: float = 0.0
    width: float = 10.0
    shape: str = "limb"
    at: Point | None = None  # the joint in the parent's frame; None: the parent's tip
    far: bool = False  # the far side of the body in a side view, drawn in a lighter tone


@dataclass(frozen=True)
class Skeleton:
    """One view of the figure: its bones, parents first, and the order they are drawn in."""

    bones: tuple[Bone, ...]
    order: tuple[str, ...]

    def __getitem__(self, name: str) -> Bone:
        return next(bone for bone in self.bones if bone.name == name)

    def children(self, name: str) -> list[Bone]:
        return [bone for bone in self.bones if bone.parent == name]


@dataclass(frozen=True)
class Pose:
    """Where the figure is: the pelvis, each bone's direction in the picture, and extras.

    Angles are degrees in SVG terms: 0 points right, 90 points down. A bone without an angle
    carries on in its parent's direction. `shifts` move a joint off its place (in the parent's
    frame); `scales` shorten a bone seen end-on.
    """

    root: Point
    angles: dict[str, float]
    shifts: dict[str, Point] = field(default_factory=dict)
    scales: dict[str, float] = field(default_factory=dict)
    stretched: frozenset[str] = frozenset()  # bones drawn in the accent colour
    glows: frozenset[str] = frozenset()  # joints with a soft highlight: the area that stretches
    order: str | None = None  # a named drawing order; None keeps whichever is in use
    marks: tuple = ()  # arrows shown on the still picture of this pose
    held: bool = False  # a pose the stretch is held in: a stopwatch shows it

    def but(self, **changes) -> Pose:
        """A copy with some bones' angles, or some fields, changed; shifts and scales merge."""
        fields = {name: changes.pop(name) for name in list(changes) if name in _POSE_FIELDS}
        for name in ("shifts", "scales"):
            if name in fields:
                fields[name] = {**getattr(self, name), **fields[name]}
        for name in ("stretched", "glows"):
            if name in fields:
                fields[name] = frozenset(fields[name])
        return replace(self, angles={**self.angles, **changes}, **fields)


_POSE_FIELDS = {"root", "shifts", "scales", "stretched", "glows", "order", "marks", "held"}


@dataclass(frozen=True)
class Placed:
    """A bone as posed: its joint in the parent's frame and in the picture, and its direction."""

    offset: Point  # the joint, in the parent's (unscaled) frame
    turn: float  # rotation from the parent's direction, degrees
    scale: float
    joint: Point  # the joint, in picture coordinates
    angle: float  # the bone's direction in the picture, degrees
    length: float  # drawn length, after scaling


def place(skeleton: Skeleton, pose: Pose) -> dict[str, Placed]:
    """Forward kinematics: every bone's joint and direction for `pose`."""
    placed: dict[str, Placed] = {}
    for bone in skeleton.bones:
        shift = pose.shifts.get(bone.name, (0.0, 0.0))
        scale = pose.scales.get(bone.name, 1.0)
        if bone.parent is None:
            angle = pose.angles.get(bone.name, -90.0)
            offset = (pose.root[0] + shift[0], pose.root[1] + shift[1])
            placed[bone.name] = Placed(offset, angle, scale, offset, angle, bone.length * scale)
            continue
        parent = placed[bone.parent]
        angle = pose.angles.get(bone.name, parent.angle)
        at = bone.at if bone.at is not None else (skeleton[bone.parent].length, 0.0)
        offset = (at[0] * parent.scale + shift[0], at[1] + shift[1])
        joint = _add(parent.joint, rotate(offset, parent.angle))
        turn = normalise(angle - parent.angle)
        placed[bone.name] = Placed(offset, turn, scale, joint, angle, bone.length * scale)
    return placed


def point_on(skeleton: Skeleton, pose: Pose, bone: str, along=1.0, across=0.0) -> Point:
    """A point on a posed bone: `along` its length (0 joint, 1 tip), `across` to its side."""
    spot = place(skeleton, pose)[bone]
    return _add(spot.joint, rotate((along * spot.length, across), spot.angle))


def reach(skeleton: Skeleton, pose: Pose, upper: str, target: Point, bend=1) -> Pose:
    """`pose` with the two-bone limb from `upper` bent so that its end reaches `target`.

    bend=1 puts the middle joint (knee, elbow) on the anticlockwise side of the line from
    joint to target, as seen on screen; bend=-1 on the clockwise side.
    """
    lower = skeleton.children(upper)[0].name
    placed = place(skeleton, pose)
    start = placed[upper].joint
    l1 = skeleton[upper].length * placed[upper].scale
    l2 = skeleton[lower].length * pose.scales.get(lower, 1.0)
    dx, dy = target[0] - start[0], target[1] - start[1]
    distance = min(max(math.hypot(dx, dy), abs(l1 - l2) + 1e-6), l1 + l2 - 1e-6)
    base = math.atan2(dy, dx)
    opening = math.acos((l1 * l1 + distance * distance - l2 * l2) / (2 * l1 * distance))
    a1 = base - bend * opening
    middle = (start[0] + l1 * math.cos(a1), start[1] + l1 * math.sin(a1))
    a2 = math.atan2(target[1] - middle[1], target[0] - middle[0])
    return pose.but(**{upper: math.degrees(a1), lower: math.degrees(a2)})


def aim(skeleton: Skeleton, pose: Pose, bone: str, target: Point) -> Pose:
    """`pose` with one bone turned to point at `target` (a knee onto the floor, say)."""
    joint = place(skeleton, pose)[bone].joint
    return pose.but(**{bone: math.degrees(math.atan2(target[1] - joint[1], target[0] - joint[0]))})


def rotate(point: Point, degrees: float) -> Point:
    """`point` turned about the origin, clockwise on screen for positive degrees."""
    a = math.radians(degrees)
    x, y = point
    return (x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a))


def normalise(degrees: float) -> float:
    """The same direction, in (-180, 180]."""
    degrees = math.fmod(degrees, 360.0)
    if degrees > 180:
        degrees -= 360
    elif degrees <= -180:
        degrees += 360
    return degrees


def _add(a: Point, b: Point) -> Point:
    return (a[0] + b[0], a[1] + b[1])
