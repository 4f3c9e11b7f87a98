"""Stretches done lying on the back, on a mat: seen side on for the hamstring and the
figure 4, and from beyond the feet for the hip twist, where the knees fall across the body.
"""

from __future__ import annotations

import math

from kiosk.figures.demos.common import (
    FLOOR,
    MAT_TOP,
    arrow,
    away,
)
from kiosk.figures.model import Point, Pose, place, point_on, reach
from kiosk.figures.scene import Demonstration, Floor, Glow, Mat, MatFromAbove, Move, Still
from kiosk.figures.skeletons import LYING, SHIN, SIDE, THIGH, Camera, Leg, lying

# Hamstring Stretch (Lying Down): on a mat, seen from the side, head to the left. The
# person's right side is towards us: the right leg works first, in front; the other side is
# the far (left) leg doing the same, in the paler accent, with the head where it was.

_SUPINE = Pose(
    root=(132, MAT_TOP - 12),
    angles={
        "pelvis": 180, "torso": 180, "neck": 180, "head": 188,
        "l_upper_arm": 8, "l_forearm": 2, "r_upper_arm": 10, "r_forearm": 4,
        "l_foot": 10, "r_foot": 10,
    },
)


def _knees_bent(pose: Pose, sides=("l", "r")) -> Pose:
    """Knees up, feet flat on the mat near the buttocks."""
    for side in sides:
        ankle_x = 177 if side == "l" else 181
        pose = reach(SIDE, pose, f"{side}_thigh", (ankle_x, MAT_TOP - 6))
    return pose


def _leg(pose: Pose, side: str, thigh: float, shin: float) -> Pose:
    return pose.but(**{f"{side}_thigh": thigh, f"{side}_shin": shin, f"{side}_foot": shin - 80})


def _hands_behind(pose: Pose, side: str, along: float) -> Pose:
    """Both hands round the back of one thigh: the near hand shows on the thigh's far edge."""
    grip = point_on(SIDE, pose, f"{side}_thigh", along, 5)
    for arm in ("l", "r"):
        pose = reach(SIDE, pose, f"{arm}_upper_arm", grip, bend=1)
    return pose


def _working_leg(side: str) -> frozenset[str]:
    """The whole leg that moves, in the accent: a thigh and shin of one colour read as one leg."""
    return frozenset({f"{side}_thigh", f"{side}_shin"})


def hamstring_lying() -> Demonstration:
    """Lying with knees bent, one thigh held from behind and drawn towards the chest, the
    knee then straightening up to the ceiling; then the other leg, on the same picture."""
    start = _knees_bent(_SUPINE)
    poses = {"start": start}
    for side, other in (("r", "l"), ("l", "r")):
        lying_bent = _knees_bent(_SUPINE, sides=(other,))
        # Thigh upright, knee bent, both hands round the middle of the back of the thigh;
        # then the knee straightens, the foot going up to the ceiling.
        grasp = _hands_behind(_leg(lying_bent, side, -90, -30), side, 0.45)
        hold = _hands_behind(_leg(lying_bent, side, -108, -84), side, 0.5)
        # On the way down the knee bends first, then the thigh comes down with the knee bent
        # and the foot goes back to the mat: a straight leg lowered would load the low back.
        lowering = _leg(_SUPINE, side, -72, 16)
        lowering = _knees_bent(lowering, sides=(other,))
        knee_start = point_on(SIDE, start, f"{side}_thigh")
        knee_up = point_on(SIDE, grasp, f"{side}_thigh")
        foot_bent, foot_up = (point_on(SIDE, p, f"{side}_shin") for p in (grasp, hold))
        foot_low = point_on(SIDE, lowering, f"{side}_shin")
        foot_mat = point_on(SIDE, start, f"{side}_shin")
        lift = arrow(away(knee_start, 12, -6), away(knee_up, 12, -2), 0.3)
        straighten = arrow(away(foot_bent, 8, -2), away(foot_up, 10, 2), 0.3)
        lower = arrow(away(foot_low, 10, -4), away(foot_mat, 12, -12), -0.35)
        working = {"stretched": _working_leg(side)}
        poses[f"ready_{side}"] = start.but(**working)  # the leg lights up before it moves
        poses[f"grasp_{side}"] = grasp.but(marks=(lift,), **working)
        poses[f"hold_{side}"] = hold.but(marks=(straighten,), held=True, **working)
        # Let go: no stretch any more, so no accent; the arrow takes the foot to the mat.
        poses[f"release_{side}"] = lowering.but(marks=(lower,))
    return Demonstration(
        name="hamstring-stretch-lying-down",
        title="Hamstring Stretch (Lying Down)",
        skeleton=SIDE,
        view_box=(22, 40, 196, 154),
        props=(Floor(FLOOR), Mat(26, 214, FLOOR)),
        poses=poses,
        # Step 2 grasps the thigh and brings it in; pulling on into the hold is step 3.
        loop=(
            Move("start", 0, hold=0.6, step=1),
            Move("ready_r", 0.4, step=2),
            Move("grasp_r", 1.2, hold=0.3),
            Move("hold_r", 1.0, hold=2.0, easing="ease-out", step=3),
            Move("release_r", 0.8, easing="ease-in", step=4),
            Move("start", 0.8, hold=0.4, easing="ease-out"),
            Move("ready_l", 0.4, step=5),
            Move("grasp_l", 1.2, hold=0.3),
            Move("hold_l", 1.0, hold=2.0, easing="ease-out"),
            Move("release_l", 0.8, easing="ease-in"),
            Move("start", 0.8, easing="ease-out"),
        ),
        stills=(
            Still("Start", "start", step=1),
            Still("Hold behind the thigh", "grasp_r", step=2),
            Still("Straighten the knee and hold", "hold_r", step=3),
            Still("Let the leg down", "release_r", step=4),
            Still("Other leg: hold behind the thigh", "grasp_l", step=5),
            Still("Other leg: straighten and hold", "hold_l", step=5),
        ),
        thumbnail="hold_r",
        steps=5,
    )


# Hip Twists: lying on the back, seen from beyond the feet and a little to the person's
# left, looking down: bent knees show as bent (seen square on from the feet, thigh and shin
# fell on one line and read as straight legs), the shoulders and arms lie flat on the mat,
# and a knee that falls to the floor is seen to land on it. Seen from the feet, the person's
# left is on our right; their left limbs are the paler ones, as in every drawing. The
# stretch is felt in the low back and the side of the hip the knees roll away from: the
# hips in the accent and a glow beside the waist, the legs in their own colours.

_TWIST_CAMERA = Camera(yaw=24, pitch=30, origin=(122, 118), zoom=1.2)
_LYING_VIEW = (24, 34, 192, 150)
_BENT = Leg(hip=50, knee=110, foot=0)
TWIST_HELD = 80  # degrees: the knees rolled until the lower one rests on the floor
# The legs rolled to the person's right: the left leg now lies on top of the right.
_LEFT_LEG_ON_TOP = ("l_upper_arm", "r_upper_arm", "neck", "torso", "pelvis", "r_thigh", "l_thigh")


def _mat(camera: Camera) -> MatFromAbove:
    corners = ((-62, 0, -62), (62, 0, -62), (62, 0, 92), (-62, 0, 92))
    return MatFromAbove(tuple(camera.project(corner) for corner in corners))


def _knees(pose: Pose) -> Point:
    """Between the knees of the lying figure, in the picture."""
    (rx, ry), (lx, ly) = (point_on(LYING, pose, f"{side}_thigh") for side in "rl")
    return ((rx + lx) / 2, (ry + ly) / 2)


def hip_twists() -> Demonstration:
    """Lying with knees bent, both knees lowered to the left until they rest on the floor,
    back up, then to the right: the head, shoulders and arms never move."""
    start = lying(_TWIST_CAMERA, _BENT, _BENT, order="default")
    top = away(_knees(start), 0, -14)
    poses = {"start": start}
    for side, sign, order in (("left", 1, "default"), ("right", -1, "legs_right")):
        # The knees fall together and the hips roll with them; feet stay together.
        halfway = lying(_TWIST_CAMERA, _BENT, _BENT, twist=sign * 35, order=order)
        held = lying(_TWIST_CAMERA, _BENT, _BENT, twist=sign * TWIST_HELD, order=order)
        fallen = away(_knees(held), sign * 6, -14)
        there = arrow(top, fallen, sign * -0.35)
        # Felt in the low back and the side of the hip the knees roll away from.
        feel = Glow(_TWIST_CAMERA.project((-sign * 20.0, 4.0, 14.0)), 12)
        moving = {"stretched": {"pelvis"}, "order": order}
        poses[f"twist_{side}"] = halfway.but(marks=(there,), order=order)
        poses[f"hold_{side}"] = held.but(marks=(feel, there), held=True, **moving)
        # On the way back, the knees most of the way up: still bent (at 35 degrees to the
        # right thigh and shin happen to line up in this view and read as one straight leg).
        rising = lying(_TWIST_CAMERA, _BENT, _BENT, twist=sign * 20, order=order)
        back = arrow(away(_knees(held), sign * 6, -14), top, sign * 0.35)
        poses[f"release_{side}"] = rising.but(marks=(back,), order=order)
    return Demonstration(
        name="hip-twists",
        title="Hip Twists",
        skeleton=LYING,
        view_box=_LYING_VIEW,
        props=(_mat(_TWIST_CAMERA),),
        orders={"legs_right": _LEFT_LEG_ON_TOP},
        poses=poses,
        loop=(
            Move("start", 0, hold=0.8, step=1),
            Move("hold_left", 2.0, hold=2.0, step=2),
            Move("release_left", 0.9, easing="ease-in", step=3),
            Move("start", 0.9, hold=0.5, easing="ease-out"),
            Move("hold_right", 2.0, hold=2.0, step=4),
            Move("release_right", 0.9, easing="ease-in", step=5),
            Move("start", 0.9, easing="ease-out"),
        ),
        stills=(
            Still("Start", "start", step=(1, 5)),
            Still("Twist to the left", "twist_left", step=2),
            Still("Hold", "hold_left", step=2),
            Still("Release", "release_left", step=3),
            Still("Other side", "hold_right", step=4),
        ),
        thumbnail="hold_left",
        steps=5,
    )


# Piriformis Stretch: side on like the lying hamstring, head to the left, the arms resting
# on the mat (nothing pulls). One leg goes up to ninety degrees at hip and knee (thigh
# upright, shin level: a tabletop); the other comes up and crosses it, its ankle resting on
# the raised thigh just below the knee, its knee out: a figure 4. The crossing leg is the
# one whose buttock stretches, so it carries the accent and the glow at its hip.


def _fixed(pose: Pose, bone: str, target: Point) -> Pose:
    """`pose` with one bone turned and shortened (seen at a slant) to end at `target`."""
    joint = place(SIDE, pose)[bone].joint
    dx, dy = target[0] - joint[0], target[1] - joint[1]
    length = {"thigh": THIGH, "shin": SHIN}[bone.split("_")[1]]
    return pose.but(**{bone: math.degrees(math.atan2(dy, dx))},
                    scales={bone: min(math.hypot(dx, dy) / length, 1.0)})


def _crossed(pose: Pose, raised: str, crossing: str) -> Pose:
    """The crossing leg's ankle on the front of the raised thigh, just below its knee (the
    thigh's front faces the head when it is upright), its knee out and down towards the feet."""
    ankle = point_on(SIDE, pose, f"{raised}_thigh", 0.86, -9)
    hip = place(SIDE, pose)[f"{crossing}_thigh"].joint
    pose = _fixed(pose, f"{crossing}_thigh", away(hip, 31, -21))
    pose = _fixed(pose, f"{crossing}_shin", ankle)
    return pose.but(**{f"{crossing}_foot": -112})


def piriformis() -> Demonstration:
    """Lying down, knees bent; one leg lifted to ninety degrees at hip and knee, the other
    brought up and crossed over it, its ankle resting just below the knee: a figure 4. Held,
    lowered, then the same with the legs the other way round, the head where it was."""
    start = _knees_bent(_SUPINE)
    poses = {"start": start}
    for crossing, raised in (("r", "l"), ("l", "r")):
        others_bent = _knees_bent(_SUPINE, sides=(crossing,))
        up = _leg(others_bent, raised, -90, 0)
        # Up and over: the knee opening a little as the foot rises above the other knee
        # (a knee folded the other way would swing the foot through the floor on the way).
        lifting = _leg(up, crossing, -58, -22)
        crossed = _crossed(up, raised, crossing)
        knee_down, knee_up = (point_on(SIDE, p, f"{raised}_thigh") for p in (start, up))
        foot_up = point_on(SIDE, lifting, f"{crossing}_shin")
        ankle = point_on(SIDE, crossed, f"{crossing}_shin")
        lift = arrow(away(knee_down, -12, -2), away(knee_up, -12, 2), -0.3)
        # The foot on its way up and over, to rest on the raised thigh below the knee.
        cross = arrow(away(foot_up, 6, -14), away(ankle, -2, -14), -0.3)
        feel = {"stretched": _working_leg(crossing)}
        poses[f"raise_{crossing}"] = up.but(marks=(lift,))
        poses[f"lift_{crossing}"] = lifting.but(marks=(cross,), **feel)
        poses[f"cross_{crossing}"] = crossed.but(held=True, **feel)
    return Demonstration(
        name="piriformis-stretch",
        title="Piriformis Stretch",
        skeleton=SIDE,
        view_box=(30, 72, 180, 122),  # framed closer: nothing rises above the raised foot
        props=(Floor(FLOOR), Mat(26, 214, FLOOR)),
        poses=poses,
        # Steps 1 to 3 for each leg: the hold ends by switching legs, which starts again at 1.
        # Step 4 ("imagine crossing your legs on a chair") is a way to think of it, not a move.
        loop=(
            Move("start", 0, hold=0.5, step=1),
            Move("raise_r", 1.2, hold=0.3),
            Move("lift_r", 0.7, easing="ease-in", step=2),
            Move("cross_r", 0.8, easing="ease-out"),
            Move("cross_r", 0, hold=2.0, step=3),
            Move("lift_r", 0.8),
            Move("raise_r", 0.6),
            Move("start", 1.0, hold=0.3),
            Move("raise_l", 1.2, hold=0.3, step=1),
            Move("lift_l", 0.7, easing="ease-in", step=2),
            Move("cross_l", 0.8, easing="ease-out"),
            Move("cross_l", 0, hold=2.0, step=3),
            Move("lift_l", 0.8),
            Move("raise_l", 0.6),
            Move("start", 1.0),
        ),
        stills=(
            Still("Start", "start", step=1),
            Still("One leg to 90 degrees", "raise_r", step=1),
            Still("Cross the other leg over", "lift_r", step=2),
            Still("Hold", "cross_r", step=3),
            Still("Other side: cross over", "lift_l", step=2),
            Still("Other side: hold", "cross_l", step=3),
        ),
        thumbnail="cross_r",
        steps=4,
    )
