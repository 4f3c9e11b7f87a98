"""Drawings for the clinic's own stretches: movements physiotherapists commonly give for
back pain, from the same figure model as the article's seven.

They are pictures only. Staff write the steps and choose one of these in the stretch
editor; the key poses are named for what the body does, not numbered instructions.

Floor work is seen from the side on a mat, the person's right side towards us: the other
side of a one-sided movement is the far (left) limb moving, never the picture mirrored.
Standing and sitting movements that turn or bend sideways are seen from the front.
"""

from __future__ import annotations

import math
from dataclasses import replace

from kiosk.figures.demos.common import ANKLE, FLOOR, MAT_TOP, arrow, away, on_a_chair
from kiosk.figures.model import Bone, Pose, Skeleton, aim, place, point_on, reach
from kiosk.figures.scene import (
    Chair,
    Circling,
    Demonstration,
    Floor,
    Mat,
    MatFromAbove,
    Move,
    Still,
)
from kiosk.figures.skeletons import (
    FOREARM,
    FRONT,
    SHIN,
    SIDE,
    THIGH,
    TORSO,
    UPPER_ARM,
    Camera,
    pose_from_points,
)

# Floor work: the figure's side view with the trunk in two parts, the lower back and the
# chest, so a back can round (cat, child's pose) or arch (cow, press-up).
WAIST = 20
SPINE = Skeleton(
    bones=(
        SIDE["pelvis"],
        Bone("waist", "pelvis", WAIST, 22, at=(0, 0)),
        replace(SIDE["torso"], parent="waist", length=TORSO - WAIST, at=None),
        *(
            replace(bone, at=(TORSO - WAIST - 6, 0)) if bone.name.endswith("upper_arm") else bone
            for bone in SIDE.bones
            if bone.name not in ("pelvis", "torso")
        ),
    ),
    order=("l_thigh", "l_upper_arm", "r_thigh", "pelvis", "waist", "torso", "neck", "r_upper_arm"),
)

_MAT = Mat(24, 216, FLOOR)
_LYING_VIEW = (26, 78, 188, 124)


# Lying on the back, head to the left, knees bent and feet flat on the mat.

_SUPINE = Pose(
    root=(128, MAT_TOP - 12),
    angles={
        "pelvis": 180, "torso": 180, "neck": 180, "head": 188,
        "l_upper_arm": 8, "l_forearm": 2, "r_upper_arm": 10, "r_forearm": 4,
        "l_foot": 10, "r_foot": 10,
    },
)
_FEET = {"l": (174, ANKLE - 2), "r": (178, ANKLE - 2)}  # ankles above feet flat on the mat


def _knees_up(pose: Pose, sides=("l", "r")) -> Pose:
    for side in sides:
        pose = reach(SIDE, pose, f"{side}_thigh", _FEET[side])
    return pose


# The near thigh in front of the trunk: a knee drawn up over the chest on this side.
_NEAR_THIGH_IN_FRONT = ("l_thigh", "pelvis", "torso", "r_thigh")


def _hug(pose: Pose, side: str, along=0.15) -> Pose:
    """Both hands round the front of one shin, just below the knee."""
    grip = point_on(SIDE, pose, f"{side}_shin", along, -10)
    for arm in ("l", "r"):
        pose = reach(SIDE, pose, f"{arm}_upper_arm", grip, bend=-1)
    return pose


def knee_to_chest() -> Demonstration:
    """Lying with knees bent, one knee drawn in to the chest with both hands, then the other."""
    start = _knees_up(_SUPINE)
    poses = {"start": start}
    for side, other in (("r", "l"), ("l", "r")):
        bent = _knees_up(_SUPINE, sides=(other,))
        # Both hands round the front of the shin just below the knee, the shin pointing up
        # towards the ceiling, not out along the floor; felt in the low back and buttock.
        lift = _hug(bent.but(**{f"{side}_thigh": -95, f"{side}_shin": -20}), side)
        drawn = _hug(bent.but(**{f"{side}_thigh": -122, f"{side}_shin": -40}), side)
        hold = _hug(bent.but(**{f"{side}_thigh": -134, f"{side}_shin": -46}), side)
        knee_down = point_on(SIDE, start, f"{side}_thigh")
        knee_in = point_on(SIDE, hold, f"{side}_thigh")
        towards = (arrow(away(knee_down, 0, -14), away(knee_in, 4, -14), 0.3),)
        tone = {"glows": {"pelvis"}, "order": f"{side}_leg"}
        poses[f"lift_{side}"] = lift.but(**tone)
        poses[f"drawn_{side}"] = drawn.but(marks=towards, **tone)
        poses[f"hold_{side}"] = hold.but(held=True, **tone)
        down = (arrow(away(knee_in, 4, -14), away(knee_down, 0, -14), -0.3),)
        poses[f"lower_{side}"] = lift.but(marks=down, order=f"{side}_leg")
    return Demonstration(
        name="knee-to-chest",
        title="Knee to chest",
        skeleton=SIDE,
        view_box=_LYING_VIEW,
        props=(Floor(FLOOR), _MAT),
        orders={"r_leg": _NEAR_THIGH_IN_FRONT, "l_leg": SIDE.order},
        poses=poses,
        loop=(
            Move("start", 0, hold=0.8),
            Move("lift_r", 0.8, easing="ease-in"),
            Move("drawn_r", 0.8, easing="ease-out"),
            Move("hold_r", 0.6, hold=2.0),
            Move("lower_r", 1.4, hold=0.5),
            Move("lift_l", 0.8, easing="ease-in"),
            Move("drawn_l", 0.8, easing="ease-out"),
            Move("hold_l", 0.6, hold=2.0),
            Move("start", 1.4),
        ),
        stills=(
            Still("Start", "start"),
            Still("Knee drawn in", "drawn_r"),
            Still("Hold", "hold_r"),
            Still("Lower", "lower_r"),
            Still("Other knee", "drawn_l"),
        ),
        thumbnail="hold_r",
    )


def _flat_arms(pose: Pose, skeleton=SPINE) -> Pose:
    """Arms resting on the mat along the sides, hands by the hips."""
    for arm, x in (("l", 142), ("r", 146)):
        pose = reach(skeleton, pose, f"{arm}_upper_arm", (x, MAT_TOP - 5), bend=-1)
    return pose


_SUPINE_SPINE = Pose(
    root=(128, MAT_TOP - 11),
    angles={**_SUPINE.angles, "waist": 180},
)


def _arms_folded(pose: Pose) -> Pose:
    """The arms folded on the chest, off the mat, so the gap under the low back shows."""
    for arm, along in (("l", 0.8), ("r", 0.7)):
        chest = point_on(SPINE, pose, "torso", along, 10)
        pose = reach(SPINE, pose, f"{arm}_upper_arm", chest, bend=-1)
    return pose


def pelvic_tilt() -> Demonstration:
    """Lying with knees bent: the pelvis rolls back, the tail tucking up towards the head, so
    the small of the back presses flat to the mat; then it eases back to its arch."""
    # The arch drawn a little deeper than life, so the gap under the low back shows.
    arched = _knees_up(_arms_folded(_SUPINE_SPINE.but(waist=206, torso=162, neck=182, head=188)))
    half = _knees_up(_arms_folded(_SUPINE_SPINE.but(waist=193, torso=171)))
    flat = _knees_up(
        _arms_folded(_SUPINE_SPINE.but(root=(128, MAT_TOP - 12), waist=178, torso=181))
    )
    # A round arrow about the hip on the feet's side: the tail comes up and forward and the
    # top of the pelvis rolls towards the head. Easing off, the same arrow the other way,
    # ending low by the mat: the tail goes back down, not the hips up.
    hip = away(arched.root, 2, -4)
    tuck = Circling(hip, 20, 75, -110, head=14)
    untuck = Circling(hip, 20, -110, 75, head=14)
    poses = {
        "start": arched,
        "tilt": half.but(marks=(tuck,), glows={"torso"}),
        "hold": flat.but(glows={"torso"}, held=True),
        "ease": half.but(marks=(untuck,)),
    }
    return Demonstration(
        name="pelvic-tilt",
        title="Pelvic tilt",
        skeleton=SPINE,
        view_box=_LYING_VIEW,
        props=(Floor(FLOOR), _MAT),
        poses=poses,
        loop=(
            Move("start", 0, hold=1.2),
            Move("tilt", 1.4),
            Move("hold", 0.4, hold=2.4),
            Move("ease", 1.0),
            Move("start", 0.6, hold=1.0),
            Move("tilt", 1.4),
            Move("hold", 0.4, hold=2.4),
            Move("start", 1.6),
        ),
        stills=(
            Still("Start: small of the back lifted", "start"),
            Still("Roll the pelvis back", "tilt"),
            Still("Hold", "hold"),
            Still("Ease off", "ease"),
        ),
        thumbnail="hold",
    )


def _hips_up(lying: Pose, height: float) -> Pose:
    """The hips lifted `height` off the mat, the shoulders still on it: a straight trunk."""
    shoulders = point_on(SPINE, lying, "torso")
    across = (TORSO**2 - height**2) ** 0.5
    hips = (shoulders[0] + across, lying.root[1] - height)
    pose = aim(SPINE, lying.but(root=hips), "waist", shoulders)
    return pose.but(torso=pose.angles["waist"])


def bend_at(skeleton: Skeleton, pose: Pose, a: str, b: str, c: str) -> float:
    """How far, in degrees, the line from joint `a` through joint `b` to joint `c` bends."""
    (ax, ay), (bx, by), (cx, cy) = (place(skeleton, pose)[name].joint for name in (a, b, c))
    first, second = math.atan2(by - ay, bx - ax), math.atan2(cy - by, cx - bx)
    return abs(math.degrees(math.remainder(second - first, math.tau)))


def _bridged(start: Pose) -> Pose:
    """The hips lifted just until shoulders, hips and knees make one straight line: no higher,
    which would arch the lower back."""
    heights = [h / 2 for h in range(20, 100)]
    lifted = {h: _knees_up(_flat_arms(_hips_up(start, h))) for h in heights}
    return min(lifted.values(), key=lambda pose: bend_at(SPINE, pose, "torso", "pelvis", "r_shin"))


def bridge() -> Demonstration:
    """Lying with knees bent: the hips lift until knees, hips and shoulders make a line."""
    start = _knees_up(_flat_arms(_SUPINE_SPINE))
    up = _bridged(start)
    half = _knees_up(_flat_arms(_hips_up(start, (start.root[1] - up.root[1]) * 0.5)))
    hip_down, hip_up = start.root, up.root
    above = (hip_up[0], hip_down[1] - 22)
    lift = (arrow(above, away(above, 0, -30), 0),)
    poses = {
        "start": start,
        "lift": half.but(marks=lift, glows={"pelvis"}),
        "hold": up.but(glows={"pelvis"}, held=True),
        "lower": half.but(marks=(arrow(away(above, 0, -30), above, 0),)),
    }
    return Demonstration(
        name="bridge",
        title="Bridge",
        skeleton=SPINE,
        view_box=_LYING_VIEW,
        props=(Floor(FLOOR), _MAT),
        poses=poses,
        loop=(
            Move("start", 0, hold=1.0),
            Move("lift", 1.2, easing="ease-in"),
            Move("hold", 0.8, hold=2.6, easing="ease-out"),
            Move("lower", 2.0, hold=1.2),
            Move("lift", 1.2, easing="ease-in"),
            Move("hold", 0.8, hold=2.6, easing="ease-out"),
            Move("start", 2.0),
        ),
        stills=(
            Still("Start", "start"),
            Still("Lift the hips", "lift"),
            Still("Hold", "hold"),
            Still("Lower slowly", "lower"),
        ),
        thumbnail="hold",
    )


# On hands and knees, head to the right: hands under the shoulders, knees under the hips.

_KNEE = (92, MAT_TOP - 7)
_HANDS = {"l": (140, MAT_TOP - 5), "r": (144, MAT_TOP - 5)}
_ALL_FOURS = Pose(
    root=(94, 134),
    angles={
        "pelvis": 0, "waist": -4, "torso": -8, "neck": 10, "head": 22,
        "l_shin": 180, "l_foot": 184, "r_shin": 180, "r_foot": 184,
    },
)


def _on_all_fours(pose: Pose, hands=("l", "r"), knees=("l", "r")) -> Pose:
    for side in knees:
        pose = _kneel(pose, side)
    for side in hands:
        pose = reach(SPINE, pose, f"{side}_upper_arm", _HANDS[side], bend=-1)
    return pose


def _kneel(pose: Pose, side: str) -> Pose:
    """One knee on the mat at _KNEE, the shin and the top of the foot flat behind it."""
    pose = aim(SPINE, pose, f"{side}_thigh", _KNEE)
    return pose.but(**{f"{side}_shin": 180, f"{side}_foot": 184})


def cat_cow() -> Demonstration:
    """On hands and knees: the back rounds up like a cat, then sags like a cow."""
    neutral = _on_all_fours(_ALL_FOURS)
    # The head follows the back a moderate way: down to look towards the knees, up to look
    # ahead, never folded under or thrown back.
    cat = _on_all_fours(_ALL_FOURS.but(waist=-34, torso=20, neck=40, head=48))
    cow = _on_all_fours(_ALL_FOURS.but(root=(94, 132), waist=14, torso=-20, neck=-34, head=-46))
    back = point_on(SPINE, neutral, "waist", 1, -14)
    up = (arrow(away(back, 0, -4), away(back, 0, -22), 0),)
    down = (arrow(away(back, 0, -22), away(back, 0, 4), 0),)
    poses = {
        "start": neutral,
        "cat": cat.but(marks=up, glows={"torso"}),
        "cow": cow.but(marks=down, glows={"torso"}),
        "cat_hold": cat.but(glows={"torso"}),
        "cow_hold": cow.but(glows={"torso"}),
    }
    return Demonstration(
        name="cat-cow",
        title="Cat and cow",
        skeleton=SPINE,
        view_box=(20, 60, 192, 134),
        props=(Floor(FLOOR), _MAT),
        poses=poses,
        loop=(
            Move("start", 0, hold=0.8),
            Move("cat_hold", 1.6, hold=1.4),
            Move("start", 1.3, hold=0.2),
            Move("cow_hold", 1.3, hold=1.4),
            Move("start", 1.3, hold=0.2),
            Move("cat_hold", 1.6, hold=1.4),
            Move("start", 1.3),
        ),
        stills=(
            Still("Start on hands and knees", "start"),
            Still("Round the back up", "cat"),
            Still("Let the back sag", "cow"),
            Still("Back to flat", "start"),
        ),
        thumbnail="cat_hold",
    )


def _reaching(arm: str, leg: str, share: float) -> Pose:
    """On hands and knees, `arm` reaching forward and `leg` back, `share` of the way: at full
    reach the arm level at shoulder height beside the head, the leg level at hip height, the
    head in line with the back, looking at the floor."""
    hand, knee = ("l" if arm == "r" else "r"), ("l" if leg == "r" else "r")
    out = _ALL_FOURS.but(
        neck=16,
        head=6,
        **{
            f"{arm}_upper_arm": 60 - 61 * share,
            f"{arm}_forearm": 50 - 51 * share,
            f"{leg}_thigh": 120 + 60 * share,
            f"{leg}_shin": 160 + 20 * share,
            f"{leg}_foot": 180 - 80 * share,
        },
        scales={f"{leg}_foot": 1 - 0.4 * share},  # toes down to the floor, seen end-on
    )
    return _on_all_fours(out, hands=(hand,), knees=(knee,))


def _reach_arrows(pose: Pose, arm: str, leg: str) -> tuple:
    """Arrows over the reaching hand and under the foot going back: forward and back, level."""
    hand = point_on(SPINE, pose, f"{arm}_forearm")
    foot = point_on(SPINE, pose, f"{leg}_shin")
    return (
        arrow(away(hand, -20, -14), away(hand, 6, -14), 0),
        arrow(away(foot, 20, -14), away(foot, -6, -14), 0),
    )


def bird_dog() -> Demonstration:
    """On hands and knees: one arm reaches forward and the opposite leg back, then the others."""
    start, hold = _on_all_fours(_ALL_FOURS.but(neck=16, head=6)), _reaching("r", "l", 1)
    other = _reaching("l", "r", 1)
    poses = {
        "start": start,
        "reach": _reaching("r", "l", 0.7).but(marks=_reach_arrows(hold, "r", "l")),
        "hold": hold.but(held=True),
        "half": _reaching("r", "l", 0.5),
        "other": other.but(marks=_reach_arrows(other, "l", "r")),
        "other_hold": other.but(held=True),
        "other_half": _reaching("l", "r", 0.5),
    }
    return Demonstration(
        name="bird-dog",
        title="Bird dog",
        skeleton=SPINE,
        view_box=(-8, 56, 240, 140),
        props=(Floor(FLOOR), _MAT),
        poses=poses,
        loop=(
            Move("start", 0, hold=0.8),
            Move("half", 0.8, easing="ease-in"),
            Move("hold", 0.8, hold=2.0, easing="ease-out"),
            Move("start", 1.4, hold=0.6),
            Move("other_half", 0.8, easing="ease-in"),
            Move("other_hold", 0.8, hold=2.0, easing="ease-out"),
            Move("start", 1.4),
        ),
        stills=(
            Still("Start on hands and knees", "start"),
            Still("Right arm and left leg out", "reach"),
            Still("Hold", "hold"),
            Still("Back to start", "start"),
            Still("Left arm and right leg out", "other"),
        ),
        thumbnail="hold",
    )


_FOLDED = Pose(
    root=(_KNEE[0] - 34, _KNEE[1] - 22),  # sitting on the heels
    angles={**_ALL_FOURS.angles, "waist": 8, "torso": 12, "neck": 20, "head": 4},
)
# The hands a little ahead of the shoulders on all fours, where they stay: resting back, the
# arms lie long on the mat.
_PLANTED = {"l": (156, MAT_TOP - 5), "r": (160, MAT_TOP - 5)}


def _sinking(share: float) -> Pose:
    """`share` of the way from hands and knees to resting on the heels, the hands planted
    where they were: in small steps, so no hand dips through the mat on the way."""
    spine = ("waist", "torso", "neck", "head")
    # The hips swing back about the knees.
    a, b = (math.atan2(y - _KNEE[1], x - _KNEE[0]) for x, y in (_ALL_FOURS.root, _FOLDED.root))
    turn = a + (b - a) * share
    hips = (_KNEE[0] + THIGH * math.cos(turn), _KNEE[1] + THIGH * math.sin(turn))
    pose = _ALL_FOURS.but(
        root=hips,
        **{
            bone: _ALL_FOURS.angles[bone] + (_FOLDED.angles[bone] - _ALL_FOURS.angles[bone]) * share
            for bone in spine
        },
    )
    for side in ("l", "r"):
        pose = _kneel(pose, side)
        bend = -1 if share < 0.3 else 1
        pose = reach(SPINE, pose, f"{side}_upper_arm", _PLANTED[side], bend=bend)
    return pose


def childs_pose() -> Demonstration:
    """From hands and knees, the hips sink back to the heels and the chest rests on the thighs."""
    start, rest = _sinking(0), _sinking(1)
    # Level arrows over the hips: back to the heels, and forward again over the knees.
    hips = (arrow(away(start.root, 4, -26), away(rest.root, -4, -26), 0),)
    back = (arrow(away(rest.root, -4, -26), away(start.root, 4, -26), 0),)
    poses = {
        "start": start,
        "s1": _sinking(0.25),
        "s2": _sinking(0.5),
        "s3": _sinking(0.75),
        "back": _sinking(0.5).but(marks=hips),
        "rest": rest.but(glows={"waist"}, held=True),
        "up": _sinking(0.5).but(marks=back),
    }
    sink = (
        Move("s1", 0.5, easing="ease-in"),
        Move("s2", 0.5, easing="linear"),
        Move("s3", 0.5, easing="linear"),
    )
    return Demonstration(
        name="childs-pose",
        title="Child's pose",
        skeleton=SPINE,
        view_box=(30, 66, 180, 128),
        props=(Floor(FLOOR), _MAT),
        poses=poses,
        loop=(
            Move("start", 0, hold=1.0),
            *sink,
            Move("rest", 0.6, hold=3.0, easing="ease-out"),
            Move("s3", 0.7, easing="ease-in"),
            Move("s2", 0.6, easing="linear"),
            Move("s1", 0.6, easing="linear"),
            Move("start", 0.7, hold=1.4, easing="ease-out"),
        ),
        stills=(
            Still("Start on hands and knees", "start"),
            Still("Sit back towards the heels", "back"),
            Still("Rest", "rest"),
            Still("Come back up", "up"),
        ),
        thumbnail="rest",
    )


# Lying face down, head to the right.

_PRONE = Pose(
    root=(116, MAT_TOP - 11),
    angles={
        "pelvis": 0, "waist": 0, "torso": 0, "neck": 4, "head": 12,
        "l_thigh": 180, "l_shin": 180, "l_foot": 176,
        "r_thigh": 180, "r_shin": 180, "r_foot": 176,
    },
)
# Hands flat on the mat beside the shoulders, where they stay: the far one a little ahead so
# that both arms show.
_PALMS = {"l": (151, MAT_TOP - 5), "r": (155, MAT_TOP - 5)}


def _palms_down(pose: Pose, elbows_up=False) -> Pose:
    """Both hands on their places; lying flat the elbows bend up beside the chest."""
    for side in ("l", "r"):
        bent = [reach(SPINE, pose, f"{side}_upper_arm", _PALMS[side], bend=b) for b in (-1, 1)]
        pose = min(bent, key=lambda p: place(SPINE, p)[f"{side}_forearm"].joint[1]) if (
            elbows_up
        ) else bent[0]
    return pose


def prone_press_up() -> Demonstration:
    """Lying face down, hands under the shoulders: the arms straighten and lift the chest, the
    hips and legs stay down on the mat (a press-up on the hands, not propped on the forearms)."""
    start = _palms_down(_PRONE, elbows_up=True)
    half = _palms_down(_PRONE.but(waist=-26, torso=-38, neck=-40, head=-36))
    up = _palms_down(_PRONE.but(waist=-55, torso=-75, neck=-78, head=-86))
    chest = point_on(SPINE, start, "torso", 0.5, -22)
    lift = (arrow(chest, away(chest, -6, -34), -0.15),)
    poses = {
        "start": start,
        "press": half.but(marks=lift),
        "hold": up.but(glows={"waist"}, held=True),
        "lower": half.but(marks=(arrow(away(chest, -6, -34), chest, 0.15),)),
    }
    return Demonstration(
        name="prone-press-up",
        title="Press-up lying face down",
        skeleton=SPINE,
        view_box=(12, 64, 208, 132),
        props=(Floor(FLOOR), _MAT),
        poses=poses,
        loop=(
            Move("start", 0, hold=1.0),
            Move("press", 1.2, easing="ease-in"),
            Move("hold", 1.0, hold=2.4, easing="ease-out"),
            Move("lower", 2.0, hold=1.0),
            Move("press", 1.2, easing="ease-in"),
            Move("hold", 1.0, hold=2.4, easing="ease-out"),
            Move("start", 2.0),
        ),
        stills=(
            Still("Start face down", "start"),
            Still("Press the chest up", "press"),
            Still("Hold, hips down", "hold"),
            Still("Lower", "lower"),
        ),
        thumbnail="hold",
    )


# Chin tuck: sitting tall on a chair, seen from the side, close on the head and shoulders.

_SIT = Pose(
    root=(113, 126),
    angles={"pelvis": -90, "torso": -90, "neck": -58, "head": -84, "l_foot": 4, "r_foot": 4},
)


def chin_tuck() -> Demonstration:
    """Sitting tall: the head glides straight back, chin in and a touch down, eyes level (never
    looking up); then forward again. The arrows run level over the head, the way it glides."""
    forward = on_a_chair(_SIT)
    half = on_a_chair(_SIT.but(neck=-78, head=-82, shifts={"head": (0, -3)}))
    tucked = on_a_chair(_SIT.but(neck=-96, head=-80, shifts={"head": (0, -7)}))
    crown = away(point_on(SIDE, forward, "head", 1.0), 0, -24)
    back_crown = away(point_on(SIDE, tucked, "head", 1.0), 0, -24)
    back = (arrow(away(crown, 10, 0), away(back_crown, -4, 0), 0),)
    ahead = (arrow(away(back_crown, -2, 0), away(crown, 12, 0), 0),)
    poses = {
        "start": forward,
        "tuck": half.but(marks=back),
        "hold": tucked.but(held=True),
        "release": half.but(marks=ahead),
    }
    return Demonstration(
        name="chin-tuck",
        title="Chin tuck",
        skeleton=SIDE,
        view_box=(62, 14, 120, 130),
        props=(Floor(FLOOR), Chair(142, FLOOR, 1)),
        poses=poses,
        loop=(
            Move("start", 0, hold=1.2),
            Move("tuck", 0.8),
            Move("hold", 0.6, hold=2.6),
            Move("release", 1.4, hold=1.0),
            Move("tuck", 0.8),
            Move("hold", 0.6, hold=2.6),
            Move("start", 1.4),
        ),
        stills=(
            Still("Sit tall, look ahead", "start"),
            Still("Chin drawn straight back", "tuck"),
            Still("Hold", "hold"),
            Still("Release", "release"),
        ),
        thumbnail="hold",
    )


# Standing side bend: seen from the front; the person's left is on our right.

_STAND = Pose(
    root=(120, 96),
    angles={
        "pelvis": -90, "torso": -90, "neck": -90, "head": -90,
        "l_upper_arm": 84, "l_forearm": 88, "r_upper_arm": 96, "r_forearm": 92,
        "l_thigh": 86, "l_shin": 90, "l_foot": 90, "r_thigh": 94, "r_shin": 90, "r_foot": 90,
    },
    scales={"l_foot": 0.4, "r_foot": 0.4},
)


def _side_bend(side: str, lean: float) -> Pose:
    """Leaning `lean` degrees towards `side`: the other arm over the head, this hand down the
    outside of this leg."""
    sign = 1 if side == "l" else -1  # the person's left is to our right
    other = "r" if side == "l" else "l"
    pose = _STAND.but(
        torso=-90 + sign * lean,
        neck=-90 + sign * lean * 1.3,
        head=-90 + sign * lean * 1.5,
        **{
            f"{other}_upper_arm": -90 + sign * (lean + 8),
            f"{other}_forearm": -90 + sign * (lean * 1.6 + 16),  # over the head, not on it
        },
    )
    slide = point_on(FRONT, pose, f"{side}_thigh", 0.35 + lean / 60, -sign * 9)
    return reach(FRONT, pose, f"{side}_upper_arm", slide, bend=sign)


def standing_side_bend() -> Demonstration:
    """Standing tall, one arm over the head, bending sideways; then the other side."""
    poses = {"start": _STAND}
    for side in ("l", "r"):
        sign = 1 if side == "l" else -1
        other = "r" if side == "l" else "l"
        up = _side_bend(side, 0)
        bend, hold = _side_bend(side, 10), _side_bend(side, 22)
        hand = point_on(FRONT, up, f"{other}_forearm")
        over = (arrow(away(hand, -sign * 2, -8), away(hand, sign * 34, 8), sign * -0.3),)
        # The arm comes down to the side before the other side begins.
        shoulder = point_on(FRONT, up, f"{other}_upper_arm", 0)
        lower = (arrow(away(hand, -sign * 8, 4), away(shoulder, -sign * 22, 52), -sign * 0.3),)
        poses[f"up_{side}"] = up
        poses[f"bend_{side}"] = bend.but(marks=over)
        poses[f"hold_{side}"] = hold.but(held=True)
        poses[f"down_{side}"] = up.but(marks=lower)
    return Demonstration(
        name="standing-side-bend",
        title="Standing side bend",
        skeleton=FRONT,
        view_box=(30, -26, 180, 220),
        props=(Floor(FLOOR),),
        poses=poses,
        loop=(
            Move("start", 0, hold=0.8),
            Move("up_l", 1.0),
            Move("hold_l", 1.6, hold=2.0),
            Move("up_l", 1.4),
            Move("start", 1.0, hold=0.4),
            Move("up_r", 1.0),
            Move("hold_r", 1.6, hold=2.0),
            Move("up_r", 1.4),
            Move("start", 1.0),
        ),
        stills=(
            Still("Stand tall", "start"),
            Still("Arm up, bend to the left", "bend_l"),
            Still("Hold", "hold_l"),
            Still("Back to upright, arm down", "down_l"),
            Still("Other side", "bend_r"),
        ),
        thumbnail="hold_l",
    )


# Sitting on a stool, seen from the front, in three dimensions: x to the person's left,
# y up, z away from us (the person faces us); the hips at (0, 10, 0), as skeletons.Camera has it.
# The arms hang from the hips in this skeleton, not the chest, so that hands resting on the
# knees can be drawn in front of the thighs that come towards us.

P3 = tuple[float, float, float]
SEATED = Skeleton(
    bones=tuple(
        replace(bone, parent="pelvis") if bone.name.endswith("upper_arm") else bone
        for bone in FRONT.bones
    ),
    order=("torso", "pelvis", "l_thigh", "r_thigh", "l_upper_arm", "r_upper_arm"),
)
_HIP_Y, _SEAT_Y, _FLOOR_Y = 10.0, 2.0, -40.0
_ANKLE_Y = _FLOOR_Y + 6


def _plus(a: P3, b: P3) -> P3:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _scaled(a: P3, k: float) -> P3:
    return (a[0] * k, a[1] * k, a[2] * k)


def _middle_joint(start: P3, end: P3, upper: float, lower: float, towards: P3) -> P3:
    """The knee or elbow of a limb from `start` to `end`, bent out towards `towards`."""
    d = _plus(end, _scaled(start, -1))
    length = min(math.dist(start, end), upper + lower - 1e-6)
    along = _scaled(d, 1 / math.dist(start, end))
    # The part of `towards` square to the limb: the way the joint sticks out.
    dot = sum(p * q for p, q in zip(towards, along, strict=True))
    out = _plus(towards, _scaled(along, -dot))
    out = _scaled(out, 1 / math.hypot(*out))
    a = (upper**2 - lower**2 + length**2) / (2 * length)
    h = math.sqrt(max(upper**2 - a**2, 0.0))
    return _plus(start, _plus(_scaled(along, a), _scaled(out, h)))


def _turned(p: P3, twist: float, lean: float) -> P3:
    """`p` on the upper body, turned `twist` degrees to the person's right about the spine,
    then leant `lean` degrees forward from the hips."""
    x, y, z = p[0], p[1] - _HIP_Y, p[2]
    t, f = math.radians(twist), math.radians(lean)
    x, z = x * math.cos(t) + z * math.sin(t), -x * math.sin(t) + z * math.cos(t)
    y, z = y * math.cos(f) + z * math.sin(f), -y * math.sin(f) + z * math.cos(f)
    return (x, y + _HIP_Y, z)


def _seated_points(
    twist=0.0, lean=0.0, look=None, ankles=None, knees=None, hands=None, elbows=(1, -0.2, 1)
):
    """Every bone's two ends in three dimensions, for a person sitting on a stool.

    `ankles` and `hands` put an ankle or a hand somewhere (a hand on a knee, an ankle on the
    other knee); `knees` says which way a knee points out, `elbows` which way an elbow bends
    (outwards, up, back); `look` turns the head further.
    """
    look = twist if look is None else look
    body: dict[str, tuple[P3, P3]] = {}
    for side, sign in (("r", -1), ("l", 1)):
        hip = (sign * 9.0, _HIP_Y, 0.0)
        ankle = (ankles or {}).get(side, (sign * 11.0, _ANKLE_Y, -40.0))
        knee = _middle_joint(hip, ankle, THIGH, SHIN, (knees or {}).get(side, (0, 1, -1)))
        toe = (ankle[0], ankle[1] - 4, ankle[2] - 13) if ankle[1] < _ANKLE_Y + 1 else _plus(
            ankle, (-sign * 6, 3, -12)
        )
        body[f"{side}_thigh"], body[f"{side}_shin"] = (hip, knee), (knee, ankle)
        body[f"{side}_foot"] = (ankle, toe)
    pelvis = (0.0, _HIP_Y, 0.0)
    shoulders, neck = _turned((0, _HIP_Y + TORSO, 0), twist, lean), (0, _HIP_Y + TORSO + 7, 0)
    neck = _turned(neck, twist, lean)
    head = _turned(_turned((0, _HIP_Y + TORSO + 19, 0), look - twist, 0), twist, lean)
    ahead = _turned((0, _HIP_Y, -8), look, lean)  # the way the face looks, 8 long
    face = _plus(head, (ahead[0], ahead[1] - _HIP_Y, ahead[2]))
    body |= {
        "pelvis": (pelvis, body["l_thigh"][0]),
        "torso": (pelvis, shoulders),
        "neck": (shoulders, neck),
        "head": (neck, head),
        "face": (face, face),
    }
    for side, sign in (("r", -1), ("l", 1)):
        shoulder = _turned((sign * 18.0, _HIP_Y + TORSO - 5, 0.0), twist, lean)
        knee = body[f"{side}_thigh"][1]
        hand = (hands or {}).get(side, _plus(knee, (sign * 2, 8, 10)))
        elbow = _middle_joint(shoulder, hand, UPPER_ARM, FOREARM, (sign * elbows[0], *elbows[1:]))
        body[f"{side}_upper_arm"], body[f"{side}_forearm"] = (shoulder, elbow), (elbow, hand)
    return body


def _seen(camera: Camera, body: dict[str, tuple[P3, P3]], **fields) -> Pose:
    flat = {name: (camera.project(a), camera.project(b)) for name, (a, b) in body.items()}
    return pose_from_points(SEATED, flat, **fields)


def _stool(camera: Camera) -> tuple:
    """A padded stool seen from the front and its right: four legs, the seat's side and front."""
    top, under, near = _SEAT_Y, _SEAT_Y - 7, -22 if camera.yaw > 0 else 22

    def quad(*corners: P3) -> MatFromAbove:
        return MatFromAbove(tuple(camera.project(corner) for corner in corners))

    def leg(x: float, z: float) -> MatFromAbove:
        return quad((x - 1.8, under, z), (x + 1.8, under, z), (x + 1.8, _FLOOR_Y, z),
                    (x - 1.8, _FLOOR_Y, z))

    return (
        leg(-near * 0.8, 14), leg(near * 0.8, 14), leg(-near * 0.8, -22), leg(near * 0.8, -22),
        quad((-22, top, 16), (22, top, 16), (22, top, -24), (-22, top, -24)),
        quad((near, top, 16), (near, top, -24), (near, under, -24), (near, under, 16)),
        quad((-22, top, -24), (22, top, -24), (22, under, -24), (-22, under, -24)),
    )


# Seen three-quarters from the front and a little above, as a photograph would be: the thighs
# come towards us and foreshorten with the hips, not drawn off to one side of a square chest.
_FACING = Camera(yaw=16, pitch=16, origin=(116, 96), zoom=1.2)


def seated_twist() -> Demonstration:
    """Sitting tall, the upper body turns to one side, a hand on the opposite knee and the other
    on the seat behind, the head following the turn; the hips and knees stay square."""
    camera = _FACING
    start = _seated_points()
    poses = {"start": _seen(camera, start)}
    orders = {}
    for side, sign in (("r", -1), ("l", 1)):
        other = "l" if side == "r" else "r"
        knee = start[f"{side}_thigh"][1]
        # The hand across the body on the opposite knee, the other on the seat behind.
        hands = {other: _plus(knee, (sign * 4, 6, 2)), side: (sign * 14.0, _SEAT_Y + 1, 15.0)}
        turn = 70 if side == "r" else -70
        half = _seated_points(twist=turn * 0.5, look=turn * 0.7, hands=hands)
        full = _seated_points(twist=turn, look=turn * 1.25, hands=hands)
        chest = camera.project((0, _HIP_Y + 40, -14))
        way = (arrow(away(chest, -sign * 20, 0), away(chest, sign * 22, 2), sign * 0.25),)
        way = (replace(way[0], head=14),)
        order = f"{side}_back"
        orders[order] = (f"{side}_upper_arm", "torso", "pelvis", "l_thigh", "r_thigh",
                         f"{other}_upper_arm")
        poses[f"reach_{side}"] = _seen(camera, _seated_points(hands=hands), order=order)
        poses[f"turn_{side}"] = _seen(camera, half, marks=way, order=order)
        poses[f"hold_{side}"] = _seen(
            camera, full, order=order, glows={"torso"}, held=True
        )
    # Seen from a little above, the floor line runs under the toes, the nearest part of it.
    toes = max(point_on(SEATED, poses["start"], f"{side}_foot")[1] for side in "lr") + 3
    return Demonstration(
        name="seated-twist",
        title="Seated twist",
        skeleton=SEATED,
        view_box=(30, -8, 180, 190),
        props=(Floor(toes), *_stool(camera)),
        orders=orders,
        poses=poses,
        loop=(
            Move("start", 0, hold=0.8),
            Move("reach_r", 1.0),
            Move("hold_r", 1.6, hold=2.0),
            Move("reach_r", 1.4),
            Move("start", 0.8, hold=0.4),
            Move("reach_l", 1.0),
            Move("hold_l", 1.6, hold=2.0),
            Move("reach_l", 1.4),
            Move("start", 0.8),
        ),
        stills=(
            Still("Sit tall", "start"),
            Still("Turn to the right", "turn_r"),
            Still("Hold", "hold_r"),
            Still("Back to the middle", "start"),
            Still("Other side", "turn_l"),
        ),
        thumbnail="hold_r",
    )


_THREE_QUARTER = Camera(yaw=58, pitch=0, origin=(104, 104), zoom=1.25)


def figure_4_seated() -> Demonstration:
    """Sitting, one ankle crossed over the other knee, leaning forward from the hips with a long,
    straight back, both hands resting on the crossed leg; then the other leg."""
    camera = _THREE_QUARTER
    start = _seated_points()
    poses = {"start": _seen(camera, start)}
    for side, sign in (("r", -1), ("l", 1)):
        other = "l" if side == "r" else "r"
        other_knee = start[f"{other}_thigh"][1]
        ankle = _plus(other_knee, (sign * 4, 9, 3))
        legs = {"ankles": {side: ankle}, "knees": {side: (sign, 0.3, -1)}}
        crossed = _seated_points(**legs)
        knee = crossed[f"{side}_thigh"][1]
        # Both hands rest on the crossed leg: one on its knee, one on its shin by the ankle;
        # the elbows bend out and down, never back like a wing.
        hands = {side: _plus(knee, (0, 7, 2)), other: _plus(ankle, (-sign * 2, 7, -2))}
        arms = {"hands": hands, "elbows": (0.3, -1, -0.4)}
        lifting = _seated_points(
            ankles={side: _plus(start[f"{side}_shin"][1], (-sign * 8, 22, -6))},
            knees={side: (sign, 0.6, -1)},
        )
        # The hinge is at the hips: the whole upper body, head in line, leans as one.
        lean = _seated_points(lean=34, **arms, **legs)
        halfway = _seated_points(lean=17, **arms, **legs)
        # A round arrow in front of the chest, about the hips: the chest comes forward and
        # down towards the crossed shin.
        hips = away(camera.project((0, _HIP_Y, 0)), 40, 0)
        forward = (Circling(hips, 62, -95, -55, head=14),)
        foot_down = camera.project(start[f"{side}_shin"][1])
        over = (arrow(away(foot_down, 12, 2), away(camera.project(ankle), 10, -8), 0.3),)
        tone = {"glows": {f"{side}_thigh"}, "order": f"{side}_over"}
        poses[f"lift_{side}"] = _seen(camera, lifting, order=f"{side}_over")
        poses[f"cross_{side}"] = _seen(camera, _seated_points(**arms, **legs), marks=over,
                                       order=f"{side}_over")
        poses[f"lean_{side}"] = _seen(camera, halfway, marks=forward, **tone)
        poses[f"hold_{side}"] = _seen(camera, lean, held=True, **tone)
    return Demonstration(
        name="figure-4-seated",
        title="Figure 4, seated",
        skeleton=SEATED,
        view_box=(30, -8, 180, 180),
        props=(Floor(camera.project((0, _FLOOR_Y, 0))[1]), *_stool(camera)),
        orders={
            "r_over": SEATED.order,
            "l_over": ("torso", "pelvis", "r_thigh", "l_thigh", "l_upper_arm", "r_upper_arm"),
        },
        poses=poses,
        loop=(
            Move("start", 0, hold=0.6),
            Move("lift_r", 0.8, easing="ease-in"),
            Move("cross_r", 0.8, hold=0.4, easing="ease-out"),
            Move("hold_r", 1.4, hold=1.6),
            Move("cross_r", 1.2),
            Move("lift_r", 0.6, easing="ease-in"),
            Move("start", 0.6, hold=0.4, easing="ease-out"),
            Move("lift_l", 0.8, easing="ease-in"),
            Move("cross_l", 0.8, hold=0.4, easing="ease-out"),
            Move("hold_l", 1.4, hold=1.6),
            Move("cross_l", 1.2),
            Move("lift_l", 0.6, easing="ease-in"),
            Move("start", 0.6, easing="ease-out"),
        ),
        stills=(
            Still("Sit tall", "start"),
            Still("Ankle on the other knee", "cross_r"),
            Still("Lean forward from the hips", "lean_r"),
            Still("Hold", "hold_r"),
            Still("Other leg", "cross_l"),
        ),
        thumbnail="hold_r",
    )


def build() -> tuple[Demonstration, ...]:
    """Every drawing in the library, floor work first, then sitting and standing."""
    return (
        knee_to_chest(),
        pelvic_tilt(),
        bridge(),
        cat_cow(),
        childs_pose(),
        bird_dog(),
        prone_press_up(),
        chin_tuck(),
        seated_twist(),
        figure_4_seated(),
        standing_side_bend(),
    )
