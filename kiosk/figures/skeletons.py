"""The figure seen from the side and from the front, and a lying figure seen from its feet."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from kiosk.figures.model import Bone, Point, Pose, Skeleton, rotate

# Proportions in picture units (about a centimetre each): a figure about 170 tall.
TORSO, NECK, HEAD = 50, 7, 12
UPPER_ARM, FOREARM = 31, 27
THIGH, SHIN, FOOT = 42, 40, 14


def _limbs(side: str, shoulder: Point, hip: Point, far=False) -> tuple[Bone, ...]:
    """One side's arm and leg."""
    return (
        Bone(f"{side}_upper_arm", "torso", UPPER_ARM, 10, "upper_arm", at=shoulder, far=far),
        Bone(f"{side}_forearm", f"{side}_upper_arm", FOREARM, 9, "forearm", far=far),
        Bone(f"{side}_thigh", "pelvis", THIGH, 15, at=hip, far=far),
        Bone(f"{side}_shin", f"{side}_thigh", SHIN, 12, far=far),
        Bone(f"{side}_foot", f"{side}_shin", FOOT, 8, "foot", far=far),
    )


# Facing right. The person's right side is towards us, so their left limbs are the far ones.
SIDE = Skeleton(
    bones=(
        Bone("pelvis", None, shape="none"),
        Bone("torso", "pelvis", TORSO, 24, "torso_side", at=(0, 0)),
        Bone("neck", "torso", NECK, 11),
        Bone("head", "neck", HEAD, shape="head_side"),
        *_limbs("l", (TORSO - 6, 0), (0, 0), far=True),
        *_limbs("r", (TORSO - 6, 0), (0, 0)),
    ),
    order=("l_thigh", "r_thigh", "pelvis", "l_upper_arm", "torso", "neck", "r_upper_arm"),
)

# Facing us: their left is on our right. A bone's local +y points to the person's left
# when the bone points up the body, so left joints sit at +y.
FRONT = Skeleton(
    bones=(
        Bone("pelvis", None, 0, 16, "hips"),
        Bone("torso", "pelvis", TORSO, 30, "torso_front", at=(0, 0)),
        Bone("neck", "torso", NECK, 10),
        Bone("head", "neck", HEAD, shape="head_front"),
        Bone("face", "head", shape="face"),
        *_limbs("l", (TORSO - 5, 18), (0, 9)),
        *_limbs("r", (TORSO - 5, -18), (0, -9)),
    ),
    order=("l_thigh", "r_thigh", "pelvis", "torso", "l_upper_arm", "r_upper_arm", "neck"),
)

# Lying on the back, seen from beyond the feet and a little to the right: the legs are
# nearest, so drawn last; the head and arms rest on the floor beyond the chest. The left
# limbs are the farther ones, drawn lighter, so two bent legs do not merge into one shape.
LYING = Skeleton(
    bones=tuple(replace(bone, far=bone.name.startswith("l_")) for bone in FRONT.bones),
    order=("l_upper_arm", "r_upper_arm", "neck", "torso", "pelvis", "l_thigh", "r_thigh"),
)


# The lying figure in three dimensions: x to the person's left, y up from the floor,
# z from the feet towards the head. Only the lying demonstrations need depth.
P3 = tuple[float, float, float]
PELVIS_3D: P3 = (0.0, 10.0, 0.0)


@dataclass(frozen=True)
class Leg:
    """A leg of a figure lying on its back, by its joints' bend, in degrees.

    hip: 0 lies along the floor, 90 points the thigh at the ceiling. knee: 0 is straight.
    foot: the foot's direction in the same plane (0 along the floor away from the head,
    90 toes to the ceiling). Or give the knee, ankle and toe points outright.
    """

    hip: float = 50
    knee: float = 110
    foot: float = 0
    points: tuple[P3, P3, P3] | None = None


@dataclass(frozen=True)
class Camera:
    """Looking from beyond the feet, turned `yaw` degrees and looking down `pitch` degrees."""

    yaw: float
    pitch: float
    origin: Point  # where the pelvis lands in the picture
    zoom: float = 1.0

    def project(self, p: P3) -> Point:
        x, y, z = p
        yaw, pitch = math.radians(self.yaw), math.radians(self.pitch)
        across = x * math.cos(yaw) - z * math.sin(yaw)
        depth = x * math.sin(yaw) + z * math.cos(yaw)
        up = y * math.cos(pitch) + depth * math.sin(pitch)
        ox, oy = self.origin
        px, py, pz = PELVIS_3D
        pelvis_up = py * math.cos(pitch) + pz * math.sin(pitch)
        return (ox + across * self.zoom, oy - (up - pelvis_up) * self.zoom)


def lying(camera: Camera, right: Leg, left: Leg, twist=0.0, **fields) -> Pose:
    """A pose of the figure lying on its back, knees rolled `twist` degrees to its left."""
    body = lying_points(right, left, twist)
    flat = {name: (camera.project(a), camera.project(b)) for name, (a, b) in body.items()}
    return pose_from_points(LYING, flat, **fields)


def lying_points(right: Leg, left: Leg, twist=0.0) -> dict[str, tuple[P3, P3]]:
    """Each bone of the lying figure as its joint and tip in three dimensions (y is the
    height above the floor): what a check that a knee reaches the floor needs."""
    body = _lying_body()
    for side, leg, sign in (("r", right, -1), ("l", left, 1)):
        hip = _roll((sign * 9.0, PELVIS_3D[1], 0.0), twist)
        knee, ankle, toe = (_roll(p, twist) for p in _leg_points(leg, sign))
        body[f"{side}_thigh"] = (hip, knee)
        body[f"{side}_shin"] = (knee, ankle)
        body[f"{side}_foot"] = (ankle, toe)
    body["pelvis"] = (PELVIS_3D, body["l_thigh"][0])  # from the middle towards the left hip
    return body


def _lying_body() -> dict[str, tuple[P3, P3]]:
    """The trunk, head and arms of the lying figure: flat on the floor, arms out to the sides."""
    shoulders, neck, head = (0.0, 11.0, TORSO), (0.0, 12.0, TORSO + NECK), (0, 12.5, 71.0)
    body = {
        "torso": (PELVIS_3D, shoulders),
        "neck": (shoulders, neck),
        "head": (neck, head),
        "face": (head, head),
    }
    for side, sign in (("r", -1), ("l", 1)):
        shoulder = (sign * 18.0, 10.0, TORSO - 5.0)
        # Arms resting on the floor, out from the sides: steady for a twist.
        elbow = (sign * (18.0 + UPPER_ARM * 0.6), 6.0, TORSO - 5.0 - UPPER_ARM * 0.8)
        hand = (elbow[0] + sign * FOREARM * 0.55, 5.0, elbow[2] - FOREARM * 0.83)
        body[f"{side}_upper_arm"] = (shoulder, elbow)
        body[f"{side}_forearm"] = (elbow, hand)
    return body


def _leg_points(leg: Leg, sign: int) -> tuple[P3, P3, P3]:
    """Knee, ankle and toe of one leg, before any twist."""
    if leg.points is not None:
        return leg.points
    x, y, z = sign * 9.0, PELVIS_3D[1], 0.0

    def step(start: P3, length: float, degrees: float) -> P3:
        a = math.radians(degrees)
        return (start[0], start[1] + length * math.sin(a), start[2] - length * math.cos(a))

    knee = step((x, y, z), THIGH, leg.hip)
    ankle = step(knee, SHIN, leg.hip - leg.knee)
    return knee, ankle, step(ankle, FOOT, leg.foot)


def _roll(p: P3, degrees: float) -> P3:
    """`p` rolled about the body's long axis, through the pelvis, towards the person's left."""
    x, y = rotate((p[0], p[1] - PELVIS_3D[1]), -degrees)
    return (x, y + PELVIS_3D[1], p[2])


def pose_from_points(skeleton: Skeleton, points: dict[str, tuple[Point, Point]], **fields) -> Pose:
    """The pose that puts each bone's joint and tip exactly on the given picture points."""
    angles, scales = {}, {}
    for bone in skeleton.bones:
        (jx, jy), (tx, ty) = points[bone.name]
        if bone.length:
            angles[bone.name] = math.degrees(math.atan2(ty - jy, tx - jx))
            scales[bone.name] = max(math.hypot(tx - jx, ty - jy) / bone.length, 0.05)
        elif bone.parent is None:  # the pelvis: its local +y runs across to the left hip
            angles[bone.name] = math.degrees(math.atan2(-(tx - jx), ty - jy))
        else:
            angles[bone.name] = angles[bone.parent]
    shifts = {}
    for bone in skeleton.bones:
        if bone.parent is None:
            continue
        parent = skeleton[bone.parent]
        want = rotate(_minus(points[bone.name][0], points[parent.name][0]), -angles[parent.name])
        at = bone.at if bone.at is not None else (parent.length, 0.0)
        shifts[bone.name] = (want[0] - at[0] * scales.get(parent.name, 1.0), want[1] - at[1])
    root = points[skeleton.bones[0].name][0]
    return Pose(root, angles, shifts, scales, **fields)


def _minus(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])
