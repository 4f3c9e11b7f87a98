"""Stretches done lying on the back, on a mat: seen side on for the hamstring, and from
beyond the feet for the hip twist and the figure 4, where the legs move across the body.
"""

from __future__ import annotations

from kiosk.figures.demos.common import (
    FLOOR,
    MAT_TOP,
    MIRROR,
    arrow,
    away,
    mirrored,
)
from kiosk.figures.model import Point, Pose, point_on, reach
from kiosk.figures.scene import Demonstration, Floor, Mat, MatFromAbove, Move, Still
from kiosk.figures.views import LYING, SIDE, Camera, Leg, lying

# Hamstring Stretch (Lying Down): on a mat, seen from the side, head to the left.

_SUPINE = Pose(
    root=(132, MAT_TOP - 12),
    angles={
        "pelvis": 180, "torso": 180, "neck": 180, "head": 188,
        "l_upper_arm": 8, "l_forearm": 2, "r_upper_arm": 10, "r_forearm": 4,
        "l_foot": 10, "r_foot": 10,
    },
)


# The near thigh in front of the trunk and arms, so hands holding it go behind it.
_NEAR_LEG_IN_FRONT = ("l_thigh", "pelvis", "l_upper_arm", "torso", "neck", "r_upper_arm", "r_thigh")


def _knees_bent(pose: Pose, sides=("l", "r")) -> Pose:
    """Knees up, feet flat on the mat near the buttocks."""
    for side in sides:
        ankle_x = 177 if side == "l" else 181
        pose = reach(SIDE, pose, f"{side}_thigh", (ankle_x, MAT_TOP - 6))
    return pose


def _leg(pose: Pose, side: str, thigh: float, shin: float) -> Pose:
    return pose.but(**{f"{side}_thigh": thigh, f"{side}_shin": shin})


def _hands_behind(pose: Pose, side: str, along: float) -> Pose:
    """Both hands holding the back of one thigh."""
    grip = point_on(SIDE, pose, f"{side}_thigh", along, 9)
    for arm in ("l", "r"):
        pose = reach(SIDE, pose, f"{arm}_upper_arm", grip, bend=1)
    return pose


def hamstring_lying() -> Demonstration:
    """Lying with knees bent, one thigh pulled towards the chest, then the other."""
    start = _knees_bent(_SUPINE)
    poses = {"start": start.but(stretched={"r_thigh"})}
    for side, other in (("r", "l"), ("l", "r")):
        lying_bent = _knees_bent(_SUPINE, sides=(other,))
        grasp = _hands_behind(_leg(lying_bent, side, -92, -4), side, 0.6)
        hold = _hands_behind(_leg(lying_bent, side, -116, -62), side, 0.7)
        knee_start = point_on(SIDE, start, f"{side}_thigh")
        knee_hold = point_on(SIDE, hold, f"{side}_thigh")
        marks = (arrow(away(knee_start, 6, -6), away(knee_hold, 8, -4), 0.3),)
        back = (arrow(away(knee_hold, 10, -2), away(knee_start, 8, -8), 0.3),)
        tone = {"stretched": {f"{side}_thigh"}, "order": f"{side}_leg"}
        poses[f"ready_{side}"] = start.but(**tone)  # the leg lights up before it moves
        poses[f"grasp_{side}"] = grasp.but(marks=marks, **tone)
        poses[f"hold_{side}"] = hold.but(marks=marks, **tone)
        poses[f"release_{side}"] = start.but(marks=back, **tone)
    poses["other"] = poses["hold_l"]
    return Demonstration(
        name="hamstring-stretch-lying-down",
        title="Hamstring Stretch (Lying Down)",
        skeleton=SIDE,
        view_box=(30, 56, 180, 150),
        props=(Floor(FLOOR), Mat(24, 216, FLOOR)),
        orders={"r_leg": _NEAR_LEG_IN_FRONT, "l_leg": SIDE.order},
        poses=poses,
        # Step 2 grasps the thigh and brings it in; pulling on into the hold is step 3.
        loop=(
            Move("release_l", 0, hold=0.6, step=1),
            Move("ready_r", 0.4, step=2),
            Move("grasp_r", 1.2, easing="ease-in"),
            Move("hold_r", 1.0, hold=2.0, easing="ease-out", step=3),
            Move("release_r", 1.6, hold=0.4, step=4),
            Move("ready_l", 0.4, step=5),
            Move("grasp_l", 1.2, easing="ease-in"),
            Move("hold_l", 1.0, hold=2.0, easing="ease-out"),
            Move("release_l", 1.6),
        ),
        stills=(
            Still("Start", "start", step=1),
            Still("Stretch", "grasp_r", step=2),
            Still("Hold", "hold_r", step=3),
            Still("Release", "release_r", step=4),
            Still("Other leg", "other", step=5),
        ),
        thumbnail="hold_r",
        steps=5,
    )


# Hip Twists and Piriformis Stretch: lying on the back, seen from beyond the feet.

# Lying on the back, seen from beyond the feet and a little to their right: bent knees
# show as peaks, and a raised shin does not hide behind its own thigh.
_FROM_FEET = Camera(yaw=20, pitch=15, origin=(134, 125), zoom=1.5)
_LYING_VIEW = (48, 34, 174, 145)
_BENT = Leg(hip=50, knee=110, foot=0)


def _mat(camera: Camera) -> MatFromAbove:
    corners = ((-40, 0, -78), (40, 0, -78), (40, 0, 96), (-40, 0, 96))
    return MatFromAbove(tuple(camera.project(corner) for corner in corners))


def _knees(pose: Pose) -> Point:
    """Between the knees of the lying figure, in the picture."""
    (rx, ry), (lx, ly) = (point_on(LYING, pose, f"{side}_thigh") for side in "rl")
    return ((rx + lx) / 2, (ry + ly) / 2)


def hip_twists() -> Demonstration:
    """Lying with knees bent, both knees lowered to one side, then the other."""
    start = lying(_FROM_FEET, _BENT, _BENT, order="default")
    # The knees fall together and the hips roll with them: the hips show the stretch.
    twisted = lying(_FROM_FEET, _BENT, _BENT, twist=62, stretched={"pelvis"})
    halfway = lying(_FROM_FEET, _BENT, _BENT, twist=30, stretched={"pelvis"})
    top, fallen = away(_knees(start), 0, -12), away(_knees(twisted), 0, -12)
    there = arrow(top, fallen, -0.3)
    side = {
        "start": start,
        "twist": halfway.but(marks=(there,)),
        "hold": twisted.but(marks=(there,)),
        "release": start.but(marks=(arrow(fallen, top, 0.3),)),
    }
    return Demonstration(
        name="hip-twists",
        title="Hip Twists",
        skeleton=LYING,
        view_box=_LYING_VIEW,
        props=(_mat(_FROM_FEET),),
        # Seen from the feet, the twist to the right is the twist to the left in a mirror.
        poses={**side, **mirrored(side)},
        loop=(
            Move("start", 0, hold=0.8, step=1),
            Move("hold", 1.8, hold=1.6, step=2),
            Move("release", 1.6, hold=0.3, step=3),
            Move("start_m", 1.0, hold=0.3, cut=True, step=4),
            Move("hold_m", 1.8, hold=1.6),
            Move("release_m", 1.6, hold=0.3, step=5),
            Move("start", 1.0, cut=True),
        ),
        stills=(
            Still("Start", "start", step=(1, 5)),
            Still("Twist to the left", "twist", step=2),
            Still("Hold", "hold", step=2),
            Still("Release", "release", step=3),
            Still("Other side", "hold_m", step=4),
        ),
        thumbnail="hold",
        steps=5,
        mirrored=frozenset({MIRROR}),
    )


def piriformis() -> Demonstration:
    """Lying down, one leg at ninety degrees, the other crossed over it: a figure 4."""
    start = lying(_FROM_FEET, _BENT, _BENT, order="default")
    # The right leg at ninety degrees, the left crossed over it just below the knee: a 4.
    raised = Leg(hip=90, knee=90, foot=90)
    lifting = Leg(hip=80, knee=100, foot=20)
    crossing = Leg(points=((28, 46.6, 8), (-12, 45, 8), (-16, 52, -3)))
    up = lying(_FROM_FEET, raised, _BENT)
    knee_down, knee_up = (point_on(LYING, p, "r_thigh") for p in (start, up))
    side = {
        "start": start,
        "raise": up.but(marks=(arrow(away(knee_down, -10, 0), away(knee_up, -10, 4), -0.25),)),
        "lift": lying(_FROM_FEET, raised, lifting),
        "cross": lying(_FROM_FEET, raised, crossing, stretched={"l_thigh"}),
        "release": start.but(marks=(arrow(away(knee_up, -10, 4), away(knee_down, -10, 0), 0.25),)),
    }
    return Demonstration(
        name="piriformis-stretch",
        title="Piriformis Stretch",
        skeleton=LYING,
        view_box=_LYING_VIEW,
        props=(_mat(_FROM_FEET),),
        poses={**side, **mirrored(side)},
        # Steps 1 to 3 for each leg: the hold ends by switching legs, which starts again at 1.
        # Step 4 ("imagine crossing your legs on a chair") is a way to think of it, not a move.
        loop=(
            Move("start", 0, hold=0.5, step=1),
            Move("raise", 1.2, hold=0.2),
            Move("lift", 0.6, easing="ease-in", step=2),
            Move("cross", 0.8, easing="ease-out"),
            Move("cross", 0, hold=1.8, step=3),
            Move("raise", 0.9),
            Move("release", 1.0),
            Move("start_m", 1.0, cut=True, step=1),
            Move("raise_m", 1.2, hold=0.2),
            Move("lift_m", 0.6, easing="ease-in", step=2),
            Move("cross_m", 0.8, easing="ease-out"),
            Move("cross_m", 0, hold=1.8, step=3),
            Move("raise_m", 0.9),
            Move("release_m", 1.0),
            Move("start", 1.0, cut=True, step=1),
        ),
        stills=(
            Still("Start", "start", step=1),
            Still("Leg to 90 degrees", "raise", step=1),
            Still("Cross over", "cross", step=(2, 3)),
            Still("Release and switch legs", "release", step=3),
            Still("Other side", "cross_m", step=3),
        ),
        thumbnail="cross",
        mirrored=frozenset({MIRROR}),
        steps=4,
    )
