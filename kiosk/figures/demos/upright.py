"""Stretches done upright: standing, sitting on a chair, kneeling in a lunge; seen side on,
or from the front for the neck.

Coordinates are picture units (about a centimetre each) with the floor at y=186. Poses are
bone directions (0 right, 90 down, -90 up); where a hand or foot must stay put (on a thigh,
on a chair seat, on the floor) the limb is bent to reach it.
"""

from __future__ import annotations

import math
from dataclasses import replace

from kiosk.figures.demos.common import (
    ANKLE,
    FLOOR,
    MAT_TOP,
    VIEW,
    arrow,
    away,
    on_a_chair,
)
from kiosk.figures.model import Point, Pose, aim, point_on, reach
from kiosk.figures.scene import Chair, Circling, Demonstration, Floor, Glow, Mat, Move, Still
from kiosk.figures.skeletons import FRONT, SIDE

# Neck Stretch: standing, seen from the front, close enough to read the face.

_NECK_STAND = Pose(
    root=(120, 104),
    angles={
        "pelvis": -90, "torso": -90, "neck": -90, "head": -90,
        "l_upper_arm": 78, "l_forearm": 86, "r_upper_arm": 102, "r_forearm": 94,
        "l_thigh": 88, "l_shin": 91, "l_foot": 90, "r_thigh": 92, "r_shin": 89, "r_foot": 90,
    },
    scales={"l_foot": 0.4, "r_foot": 0.4},
)


def neck_stretch() -> Demonstration:
    """Chin to chest, turn left and right, ear to each shoulder: standing, seen from the front.

    Three different movements, drawn three different ways: the chin drops with the face
    low on a lowered head and an arrow below the chin onto the chest; a turn keeps the head
    upright and level and swings the face to one side, the arrow curving round under the chin
    to that side; a tilt leans the whole head over, face still to the front, the arrow from
    the crown down to the ear's shoulder. Their left is our right."""
    stand = _NECK_STAND
    # The neck in the accent shows where it pulls; no halo (it showed as pale blobs behind
    # the neck that nobody could read).
    hold = {"stretched": {"neck"}, "held": True}
    poses = {
        "start": stand,
        # The chin comes down onto the chest: a short arrow below the chin, onto the chest,
        # not pushing on top of the head.
        "forward": stand.but(
            shifts={"head": (-7, 0), "face": (-7.5, 0)},
            marks=(replace(arrow((120, 59), (120, 80), 0), head=13),),
            **hold,
        ),
        # A turn: a curved arrow swinging round under the chin, the way a chin goes round,
        # from one side of it to the other.
        "left": stand.but(
            shifts={"face": (0, 8)},
            marks=(replace(arrow((99, 49), (142, 49), -0.3), head=13),),
            **hold,
        ),
        "right": stand.but(
            shifts={"face": (0, -8)},
            marks=(replace(arrow((141, 49), (98, 49), 0.3), head=13),),
            **hold,
        ),
        "tilt_left": stand.but(
            neck=-78, head=-50, marks=(arrow((126, 4), (151, 45), 0.22),), **hold
        ),
        "tilt_right": stand.but(
            neck=-102, head=-130, marks=(arrow((114, 4), (89, 45), -0.22),), **hold
        ),
    }
    return Demonstration(
        name="neck-stretch",
        title="Neck Stretch",
        skeleton=FRONT,
        # Head, shoulders, arms and hips: standing, the face still large enough to read.
        view_box=(58, 0, 124, 124),
        props=(),
        poses=poses,
        # Each movement's way back to the start belongs to its step; the last is step 5.
        loop=(
            Move("start", 0, hold=0.8, step=1),
            Move("forward", 1.1, hold=1.2, step=2),
            Move("start", 0.9),
            Move("left", 1.0, hold=0.9, step=3),
            Move("right", 1.4, hold=0.9),
            Move("start", 0.9),
            Move("tilt_left", 1.0, hold=0.9, step=4),
            Move("tilt_right", 1.4, hold=0.9),
            Move("start", 1.0, step=5),
        ),
        stills=(
            Still("Start", "start", step=(1, 5)),
            Still("Chin to chest", "forward", step=2),
            Still("Turn left", "left", step=3),
            Still("Turn right", "right", step=3),
            Still("Ear to left shoulder", "tilt_left", step=4),
            Still("Ear to right shoulder", "tilt_right", step=4),
        ),
        thumbnail="tilt_left",
        steps=5,
    )


# Shoulder Rolls: sitting on a chair, seen from the side; both shoulders circle together.

_SEATED = Pose(
    root=(113, 126),
    angles={
        "pelvis": -90, "torso": -91, "neck": -86, "head": -80,
        "l_foot": 4, "r_foot": 4,
    },
)
# The far shoulder shows just behind the near one (the chair turned a touch towards us),
# so the picture says both shoulders roll, not one.
_FAR_SHOULDER = (2.0, -5.0)


def _seated(shoulder: tuple[float, float] = (0, 0), **fields) -> Pose:
    """Sitting tall, hands resting on the thighs; `shoulder` moves both shoulders (up, forward)
    and the chest gives with them a little: rounding as they come forward, opening as they go
    back."""
    up, forward = shoulder
    far = (_FAR_SHOULDER[0] + up, _FAR_SHOULDER[1] + forward)
    # The chest rounds a little as the shoulders come forward; going back it only opens,
    # the trunk stays upright (a lean back into the chair would be copied).
    rounding = max(forward, 0)
    return on_a_chair(
        _SEATED.but(
            shifts={"r_upper_arm": shoulder, "l_upper_arm": far},
            torso=-91 + rounding * 1.0,
            neck=-86 + rounding * 1.5,
            **fields,
        )
    )


def shoulder_rolls() -> Demonstration:
    """Sitting tall on a chair, shoulders circling forwards then backwards."""
    poses = {"start": _seated()}
    loop = [Move("start", 0, hold=1.0, step=1)]
    for way, sign, numbered in (("forwards", -1, 2), ("backwards", 1, 3)):
        # A little circle, then a bigger one, in one smooth movement: eased only at the ends.
        # Up, then back and over the top forwards (forwards), or the other way round.
        circles = [("small", 3.0, 2.0), ("big", 6.5, 2.6)]
        for size, radius, seconds in circles:
            for step in range(1, 9):
                a = math.radians(45 * step)
                name = f"{way}-{size}-{step}"
                up, forward = radius * (1 - math.cos(a)), sign * radius * math.sin(a)
                poses[name] = _seated((up, forward), glows={"r_upper_arm", "l_upper_arm"})
                first, last = (size, step) == ("small", 1), (size, step) == ("big", 8)
                easing = "ease-in" if first else "ease-out" if last else "linear"
                loop.append(Move(name, seconds / 8, easing=easing, step=numbered if first else 0))
        # Back to sitting still: the end of step 2, and after the backward rolls, step 4.
        loop.append(Move("start", 0.3, hold=0.6, step=4 if way == "backwards" else 0))
    # The key poses: the shoulders high in the big circle, up and forward on their way down
    # the front (forwards), or up and back on their way down the back (backwards). The round
    # arrow circles beside the shoulders, behind the neck (not over the face), clockwise or
    # anticlockwise, its head where the shoulders go down.
    shoulder = point_on(SIDE, poses["start"], "r_upper_arm", 0)
    centre = (shoulder[0] - 18, shoulder[1] + 1)
    forwards, backwards = Circling(centre, 14, 125, 415, 14), Circling(centre, 14, 55, -235, 14)
    poses["forwards"] = poses["forwards-big-5"].but(marks=(forwards,))
    poses["backwards"] = poses["backwards-big-5"].but(marks=(backwards,))
    return Demonstration(
        name="shoulder-rolls",
        title="Shoulder Rolls",
        skeleton=SIDE,
        view_box=(30, 38, 180, 150),
        props=(Floor(FLOOR), Chair(142, FLOOR, 1)),
        poses=poses,
        loop=tuple(loop),
        stills=(
            Still("Sit tall", "start", step=1),
            Still("Roll forwards", "forwards", step=2),
            Still("Roll backwards", "backwards", step=3),
            Still("Relax", "start", step=4),
        ),
        thumbnail="forwards",
        steps=4,
    )


# Hamstring Stretch (Standing): one heel up on a chair, seen from the side.

_CHAIR = Chair(152, FLOOR, -1)
_HEEL_ON_SEAT = (163, FLOOR - 44 - 3 - 6)
_STANDING = Pose(
    root=(86, 98),
    angles={
        "pelvis": -88, "torso": -88, "neck": -88, "head": -86,
        "l_thigh": 92, "l_shin": 90, "l_foot": 2, "r_thigh": 90, "r_shin": 90, "r_foot": 2,
    },
)


def _heel_up(side: str, standing: str, hip: Point, lean: float) -> Pose:
    """One heel resting on the chair, the other foot on the floor, hands on the raised thigh.

    The back stays straight: the pelvis, trunk, neck and head lean together as one line,
    hinged at the hips, the eyes looking ahead along it."""
    pose = _STANDING.but(root=hip, pelvis=lean, torso=lean, neck=lean, head=lean - 6)
    pose = reach(SIDE, pose, f"{side}_thigh", _HEEL_ON_SEAT).but(**{f"{side}_foot": -62})
    pose = reach(SIDE, pose, f"{standing}_thigh", (84, ANKLE))
    # The hands rest on the middle of the raised thigh, well above the knee: nothing pushes
    # the straight knee down.
    for arm, along in (("l", 0.42), ("r", 0.55)):
        rest = point_on(SIDE, pose, f"{side}_thigh", along, -8)
        pose = reach(SIDE, pose, f"{arm}_upper_arm", rest, bend=-1)
    return pose.but(stretched={f"{side}_thigh"})


def _standing_arms(pose: Pose) -> Pose:
    return pose.but(l_upper_arm=96, l_forearm=84, r_upper_arm=98, r_forearm=86)


def hamstring_standing() -> Demonstration:
    """One heel on a chair seat, the leg straight; bending the standing knee a moderate way
    lowers the hips and the straight back leans a little forward from them, stretching the
    back of the raised thigh.
    The near (right) leg goes up first; the other side is the far leg up, the same view."""
    poses = {}
    for side, standing in (("r", "l"), ("l", "r")):
        # A moderate bend of the standing knee (not a squat) and a slight lean from the hips.
        start = _heel_up(side, standing, (87, 98.5), -88)
        stretch = _heel_up(side, standing, (85, 102.5), -82)
        hold = _heel_up(side, standing, (83, 107), -75)
        knee = point_on(SIDE, start, f"{standing}_thigh")
        bent = point_on(SIDE, hold, f"{standing}_thigh")
        # One arrow, at the standing knee: it bends forward (and straightens again after).
        bend = replace(arrow(away(knee, 8, -6), away(bent, 12, 6), 0.2), head=15)
        back = replace(arrow(away(bent, 12, 6), away(knee, 8, -6), -0.2), head=15)
        poses[f"stand_{side}"] = _standing_arms(_STANDING).but(stretched={f"{side}_thigh"})
        poses[f"lift_{side}"] = _standing_arms(_STANDING).but(
            stretched={f"{side}_thigh"}, **{f"{side}_thigh": -8, f"{side}_shin": 68}
        )
        poses[f"start_{side}"] = start
        poses[f"stretch_{side}"] = stretch.but(marks=(bend,))
        # The feeling glows under the raised thigh, at the back of it, not at the knee.
        under = Glow(point_on(SIDE, hold, f"{side}_thigh", 0.6, 9), 12)
        poses[f"hold_{side}"] = hold.but(marks=(under,), held=True)
        poses[f"release_{side}"] = start.but(marks=(back,))
    return Demonstration(
        name="hamstring-stretch-standing",
        title="Hamstring Stretch (Standing)",
        skeleton=SIDE,
        view_box=(36, 2, 184, 188),
        props=(Floor(FLOOR), _CHAIR),
        poses=poses,
        # Step 1 puts the heel up; taking it down begins step 4, the other leg.
        loop=(
            Move("stand_r", 0, hold=0.4, step=1),
            Move("lift_r", 0.8, easing="ease-in"),
            Move("start_r", 0.8, hold=0.3, easing="ease-out"),
            Move("stretch_r", 0.8, easing="ease-in", step=2),
            Move("hold_r", 0.8, hold=1.4, easing="ease-out"),
            Move("stretch_r", 0.6, easing="ease-in", step=3),
            Move("release_r", 0.6, easing="ease-out"),
            Move("stand_r", 0.9, step=4),
            Move("stand_l", 0.3),
            Move("lift_l", 0.8, easing="ease-in"),
            Move("start_l", 0.8, hold=0.3, easing="ease-out"),
            Move("stretch_l", 0.8, easing="ease-in"),
            Move("hold_l", 0.8, hold=1.4, easing="ease-out"),
            Move("stretch_l", 0.6, easing="ease-in"),
            Move("release_l", 0.6, easing="ease-out"),
            Move("stand_l", 0.9),
            Move("stand_r", 0.3),
        ),
        stills=(
            Still("Start", "start_r", step=1),
            Still("Stretch", "stretch_r", step=2),
            Still("Hold", "hold_r", step=2),
            Still("Release", "release_r", step=3),
            Still("Other leg", "stretch_l", step=4),
            Still("Other leg: hold", "hold_l", step=4),
        ),
        thumbnail="hold_r",
        steps=4,
    )


# Psoas Stretch: a kneeling lunge on a mat, seen from the side.

_KNEEL = Pose(
    root=(122, 134),
    angles={"pelvis": -90, "torso": -90, "neck": -88, "head": -80},
)


def _lunge(back: str, front: str, hip: Point) -> Pose:
    """Back knee down on the mat with the shin and the top of the foot flat on it behind, the
    front foot flat under the knee, hands on the hips. The figure faces right for either leg."""
    pose = _KNEEL.but(root=hip, **{f"{front}_foot": 2})
    pose = aim(SIDE, pose, f"{back}_thigh", (_KNEE[0], MAT_TOP - 6))
    # The shin runs back along the mat from the knee, the ankle a little up on the arch of
    # the foot, whose top lies on the mat with the toes pointing straight back.
    pose = pose.but(**{f"{back}_shin": 185, f"{back}_foot": 160})
    pose = reach(SIDE, pose, f"{front}_thigh", (177, ANKLE))
    waist = point_on(SIDE, pose, "torso", 0.14, -3)
    for arm in ("l", "r"):
        pose = reach(SIDE, pose, f"{arm}_upper_arm", waist, bend=-1)
    return pose.but(stretched={f"{back}_thigh"})


_KNEE = (120, MAT_TOP - 6)


def _hips_ahead(by: float) -> Point:
    """The hips `by` units ahead of the back knee, the thigh at its full length from it: the
    further forward, the lower the hips sink, as in a real lunge."""
    return (_KNEE[0] + by, _KNEE[1] - math.sqrt(42**2 - by**2))


def psoas() -> Demonstration:
    """A kneeling lunge; the hips move well forward (and so a little down), the trunk stays
    upright, the back knee stays put. The other side is the other knee down (the far leg back,
    the near leg forward), the figure still facing right, moved and held the same way."""
    poses = {}
    for back, front in (("r", "l"), ("l", "r")):
        start = _lunge(back, front, _hips_ahead(2))
        stretch = _lunge(back, front, _hips_ahead(14))
        # Hips forward: a level arrow at the front of the pelvis, just above the front thigh,
        # not at the belly (which reads as "push the belly out"); back the other way.
        ahead = arrow(away(stretch.root, 11, -9), away(stretch.root, 35, -9), 0)
        behind = arrow(away(start.root, 35, -9), away(start.root, 11, -9), 0)
        home = arrow(away(stretch.root, 35, -9), away(stretch.root, 11, -9), 0)
        poses[f"start_{back}"] = start
        poses[f"stretch_{back}"] = stretch.but(marks=(ahead,))
        poses[f"hold_{back}"] = _lunge(back, front, _hips_ahead(28)).but(
            glows={f"{back}_thigh"}, held=True
        )
        poses[f"release_{back}"] = start.but(marks=(behind,))
        # Halfway back, the arrow already pointing home.
        poses[f"returning_{back}"] = stretch.but(marks=(home,))
    return Demonstration(
        name="psoas-stretch",
        title="Psoas Stretch",
        skeleton=SIDE,
        view_box=(30, 40, 180, 150),
        props=(Floor(FLOOR), Mat(50, 208, FLOOR)),
        poses=poses,
        # Steps 1 to 3 for each side: the lunge, hips forward, then held upright (step 3's
        # own hold, a move of no time); the other side starts again at step 1, after a fade:
        # no body swaps its knees in one smooth movement.
        loop=(
            Move("start_r", 0, hold=0.8, step=1),
            Move("stretch_r", 0.9, easing="ease-in", step=2),
            Move("hold_r", 0.9, easing="ease-out"),
            Move("hold_r", 0, hold=1.8, step=3),
            Move("returning_r", 0.75, easing="ease-in"),
            Move("release_r", 0.75, hold=0.3, easing="ease-out"),
            Move("start_l", 1.0, hold=0.4, cut=True, step=1),
            Move("stretch_l", 0.9, easing="ease-in", step=2),
            Move("hold_l", 0.9, easing="ease-out"),
            Move("hold_l", 0, hold=1.8, step=3),
            Move("returning_l", 0.75, easing="ease-in"),
            Move("release_l", 0.75, hold=0.3, easing="ease-out"),
            Move("start_r", 1.0, cut=True, step=1),
        ),
        stills=(
            Still("Start", "start_r", step=1),
            Still("Hips forward", "stretch_r", step=2),
            Still("Hold", "hold_r", step=3),
            Still("Hips back", "release_r", step=3),
            Still("Other side: hips forward", "stretch_l", step=2),
            Still("Other side: hold", "hold_l", step=3),
        ),
        thumbnail="hold_r",
        steps=3,
    )


def at_ease() -> Demonstration:
    """A figure standing at ease, for a demonstration name we do not know."""
    stand = _NECK_STAND.but(root=(120, 98), stretched=set(), l_foot=80, r_foot=100)
    return Demonstration(
        name="at-ease",
        title="Standing",
        skeleton=FRONT,
        view_box=VIEW,
        props=(Floor(FLOOR),),
        poses={"stand": stand},
        loop=(Move("stand", 0),),
        stills=(Still("Stand tall", "stand"),),
        thumbnail="stand",
    )
