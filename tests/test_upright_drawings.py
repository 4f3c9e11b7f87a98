"""The four upright stretches drawn so a first-timer can read them from the key poses alone:
one camera per stretch, the head at the same end for both sides, the other side shown by the
other limb (never by mirroring the picture), and each key pose different where it matters."""

import math

import pytest

from kiosk import figures
from kiosk.figures import motion
from kiosk.figures.demos.common import MAT_TOP, MIRROR
from kiosk.figures.model import place
from kiosk.figures.scene import Glow

UPRIGHT = ["neck-stretch", "shoulder-rolls", "hamstring-stretch-standing", "psoas-stretch"]


def _demo(name):
    return figures._demonstrations()[name]


def _placed(demo, pose_name):
    return place(demo.skeleton, demo.poses[pose_name])


def _tip(spot):
    return (
        spot.joint[0] + spot.length * math.cos(math.radians(spot.angle)),
        spot.joint[1] + spot.length * math.sin(math.radians(spot.angle)),
    )


@pytest.mark.parametrize("name", UPRIGHT)
def test_the_other_side_is_never_the_picture_mirrored(name):
    """Mirroring the world flips the head to the other end, as if the person turned round."""
    demo = _demo(name)
    assert not demo.mirrored, name
    assert all(pose.order != MIRROR for pose in demo.poses.values()), name
    assert "scale(-1 1)" not in figures.render(name, label=name)


def _poses_in_loop_and_stills(demo):
    return {move.pose for move in demo.loop} | {still.pose for still in demo.stills}


def test_psoas_faces_the_same_way_in_every_pose_and_keeps_its_back_knee_put():
    demo = _demo("psoas-stretch")
    for pose in _poses_in_loop_and_stills(demo):
        head = _placed(demo, pose)["head"]
        assert -110 <= head.angle <= -60, (pose, head.angle)  # upright, face to the right
    for back in ("r", "l"):
        knees = [
            _tip(_placed(demo, f"{pose}_{back}")[f"{back}_thigh"])
            for pose in ("start", "stretch", "hold", "release")
        ]
        # The hips move forward; the knee does not slide (within a picture unit).
        assert max(math.dist(knees[0], knee) for knee in knees) < 1, knees


def test_psoas_other_side_is_the_other_knee_down():
    demo = _demo("psoas-stretch")
    first, other = demo.stills[0].pose, demo.stills[-1].pose
    for pose, back, front in ((first, "r", "l"), (other, "l", "r")):
        bones = _placed(demo, pose)
        knee_down = _tip(bones[f"{back}_thigh"])
        knee_up = _tip(bones[f"{front}_thigh"])
        assert knee_down[1] > knee_up[1] + 20, pose  # the back knee is on the mat
        assert knee_up[0] > knee_down[0] + 30, pose  # the front knee is ahead, facing right


@pytest.mark.parametrize("back", ["r", "l"])
def test_psoas_back_shin_lies_on_the_mat_with_the_top_of_the_foot_down(back):
    """A shin and a foot, not a cushion: the knee on the mat, the shin running back from it,
    the foot bending down at the ankle so its toes rest on the mat behind."""
    demo = _demo("psoas-stretch")
    bones = _placed(demo, f"start_{back}")
    knee, ankle = bones[f"{back}_shin"].joint, bones[f"{back}_foot"].joint
    toe = _tip(bones[f"{back}_foot"])
    assert knee[1] == pytest.approx(MAT_TOP - 6, abs=1)  # the kneecap's round end on the mat
    assert toe[0] < ankle[0] < knee[0] - 30  # shin and foot run back from the knee
    assert toe[1] > ankle[1] + 3  # the toes come down to the mat: the foot reads as a foot
    assert MAT_TOP - 6 <= toe[1] + 1 <= MAT_TOP  # resting on the mat, not floating, not in it


HAMSTRING = "hamstring-stretch-standing"


def _bend(bones, upper, lower):
    """How far a joint is bent, in degrees: 0 straight."""
    return abs((bones[lower].angle - bones[upper].angle + 180) % 360 - 180)


@pytest.mark.parametrize("side, standing", [("r", "l"), ("l", "r")])
def test_hamstring_standing_tips_forward_from_the_hips_with_a_straight_back(side, standing):
    """The blind check asked: is the rounded back intended? It is not: pelvis, trunk and neck
    lean as one line, and the lean grows from start to hold, slightly (a big lean read as
    bending over, the opposite of the article's 'bend the leg you are standing on')."""
    demo = _demo(HAMSTRING)
    leans = []
    for pose in ("start", "stretch", "hold", "release"):
        bones = _placed(demo, f"{pose}_{side}")
        torso = bones["torso"].angle
        assert bones["pelvis"].angle == pytest.approx(torso, abs=1), pose
        assert bones["neck"].angle == pytest.approx(torso, abs=1), pose
        assert abs(bones["head"].angle - torso) <= 10, pose
        leans.append(torso)
    start, stretch, hold, _ = leans
    assert start < stretch < hold and 8 <= hold - start <= 20, leans  # a little forward


@pytest.mark.parametrize("side, standing", [("r", "l"), ("l", "r")])
def test_hamstring_standing_keeps_the_raised_leg_straight_and_bends_the_standing_knee(
    side, standing
):
    """The article's step 2: bend the leg you are standing on; the raised leg stays straight
    with its heel on the chair seat."""
    demo = _demo(HAMSTRING)
    heels = []
    for pose in ("start", "stretch", "hold"):
        bones = _placed(demo, f"{pose}_{side}")
        assert _bend(bones, f"{side}_thigh", f"{side}_shin") < 5, pose
        heels.append(bones[f"{side}_foot"].joint)
    assert max(math.dist(heels[0], heel) for heel in heels) < 2  # the heel stays on the seat
    start, hold = (_placed(demo, f"{pose}_{side}") for pose in ("start", "hold"))
    assert _bend(start, f"{standing}_thigh", f"{standing}_shin") < 15  # a soft knee
    assert 30 < _bend(hold, f"{standing}_thigh", f"{standing}_shin") < 55  # moderate, no squat


@pytest.mark.parametrize("side", ["r", "l"])
def test_hamstring_standing_hands_rest_on_the_thigh_well_above_the_knee(side):
    """The hands sat on the knee, and a first-timer would press a straight knee down."""
    demo = _demo(HAMSTRING)
    bones = _placed(demo, f"hold_{side}")
    hip, knee = bones[f"{side}_thigh"].joint, _tip(bones[f"{side}_thigh"])
    for arm in ("l", "r"):
        hand = _tip(bones[f"{arm}_forearm"])
        along = math.dist(hip, hand) / math.dist(hip, knee)
        assert along < 0.7 and math.dist(hand, knee) > 14, (arm, along)
    assert not demo.poses[f"hold_{side}"].glows  # no glow on the knee
    # The feeling glows under the thigh (its back), between the hip and the knee.
    (glow,) = [mark for mark in demo.poses[f"hold_{side}"].marks if isinstance(mark, Glow)]
    assert hip[0] + 10 < glow.centre[0] < knee[0] - 8
    line_y = hip[1] + (knee[1] - hip[1]) * (glow.centre[0] - hip[0]) / (knee[0] - hip[0])
    assert glow.centre[1] >= line_y + 6  # below the thigh


def test_hamstring_standing_other_leg_bends_the_knee_with_its_own_arrow_and_holds():
    demo = _demo(HAMSTRING)
    moved, held = (demo.poses[still.pose] for still in demo.stills[-2:])
    assert moved.marks and held.held
    assert moved.stretched == held.stretched == {"l_thigh"}


def test_hamstring_standing_starts_with_the_near_leg_and_shows_the_far_leg_for_the_other():
    """The same view for both legs: first the right (near) heel is up, then the left."""
    demo = _demo(HAMSTRING)
    first, other = demo.stills[0].pose, demo.stills[-1].pose
    for pose, up, down in ((first, "r", "l"), (other, "l", "r")):
        bones = _placed(demo, pose)
        assert bones[f"{up}_foot"].joint[1] < bones[f"{down}_foot"].joint[1] - 30, pose
        assert demo.poses[pose].stretched == {f"{up}_thigh"}, pose
        assert -100 <= bones["head"].angle <= -50, pose  # facing the chair, to the right


def _shoulders(demo, pose):
    bones = _placed(demo, pose)
    return bones["r_upper_arm"].joint, bones["l_upper_arm"].joint


def test_shoulder_roll_forwards_and_backwards_key_poses_differ_in_the_body_not_only_the_arrow():
    """The blind check found the two roll frames identical. Forwards the shoulders are at the
    front of their circle, backwards at the back of it."""
    demo = _demo("shoulder-rolls")
    (rest, _), (ahead, _), (behind, _) = (
        _shoulders(demo, pose) for pose in ("start", "forwards", "backwards")
    )
    assert ahead[0] > rest[0] + 3 and behind[0] < rest[0] - 3
    assert ahead[0] - behind[0] >= 8  # a visible difference at a phone's 180 px
    forwards, backwards = demo.poses["forwards"].marks, demo.poses["backwards"].marks
    (circle_f,), (circle_b,) = forwards, backwards
    assert circle_f.end > circle_f.start  # clockwise on screen: over the top towards the face
    assert circle_b.end < circle_b.start  # anticlockwise: over the top towards the back
    # Each arrowhead sits on the side the shoulders are heading down: front, then back.
    assert math.cos(math.radians(circle_f.end)) > 0.5
    assert math.cos(math.radians(circle_b.end)) < -0.5
    # Heads big enough to tell the two apart at a phone's 180 px (the default is 12).
    assert circle_f.head >= 14 and circle_b.head >= 14


def test_shoulder_roll_key_poses_raise_the_shoulders_high_beside_an_arrow_clear_of_the_face():
    """The blind check could not see the shoulder move under arrows drawn over the face, and
    copied a lean back into the chair. The shoulders rise high in both key poses, the arrow
    circles beside them behind the neck, and the trunk stays upright going back."""
    demo = _demo("shoulder-rolls")
    (rest, _), start = _shoulders(demo, "start"), _placed(demo, "start")
    head = _tip(start["head"])
    for pose in ("forwards", "backwards"):
        (shoulder, _), bones = _shoulders(demo, pose), _placed(demo, pose)
        assert rest[1] - shoulder[1] >= 8, pose  # up, a shrug you can see
        (circle,) = demo.poses[pose].marks
        assert math.dist(circle.centre, head) >= circle.radius + 14, pose  # off the face
        assert circle.centre[0] < rest[0] - 10, pose  # beside the shoulder, behind the neck
        assert bones["torso"].angle >= start["torso"].angle - 0.5, pose  # no lean back


def test_both_shoulders_roll_together():
    """One shoulder or both? Both: the far shoulder shows behind the near one and every pose
    of the loop moves the two alike, both highlighted."""
    demo = _demo("shoulder-rolls")
    near0, far0 = _shoulders(demo, "start")
    assert far0 != near0  # the far shoulder is drawn where it can be seen
    moved = 0
    for move in demo.loop:
        near, far = _shoulders(demo, move.pose)
        offset = (near[0] - near0[0], near[1] - near0[1])
        assert math.dist(far, (far0[0] + offset[0], far0[1] + offset[1])) < 1.5, move.pose
        moved += math.hypot(*offset) > 2
        if move.pose != "start":
            assert demo.poses[move.pose].glows == {"r_upper_arm", "l_upper_arm"}, move.pose
    assert moved >= 10


def _head_and_face(demo, pose):
    bones = _placed(demo, pose)
    return bones["head"], bones["face"].joint


def test_neck_turn_keeps_the_head_upright_and_swings_the_face_to_that_side():
    """A turn is not a tilt: the head stays level, the face goes to the side (their left is
    our right), and the arrow runs across at the chin towards that shoulder."""
    demo = _demo("neck-stretch")
    start, centre = _head_and_face(demo, "start")
    for pose, way in (("left", 1), ("right", -1)):
        head, face = _head_and_face(demo, pose)
        assert head.angle == pytest.approx(start.angle, abs=2), pose
        assert way * (face[0] - centre[0]) >= 6, pose
        (mark,) = demo.poses[pose].marks
        assert abs(mark.end[1] - mark.start[1]) < 3, pose  # across, not down
        assert mark.start[1] > centre[1] + 10, pose  # at the chin, below the face
        assert way * (mark.end[0] - mark.start[0]) >= 15, pose
        # Round under the chin, the way a chin swings, not a straight slide sideways.
        assert mark.via[1] >= mark.start[1] + 8, pose


def test_neck_tilt_leans_the_head_over_with_the_face_still_to_the_front():
    demo = _demo("neck-stretch")
    start, _ = _head_and_face(demo, "start")
    for tilt, turn, way in (("tilt_left", "left", 1), ("tilt_right", "right", -1)):
        head, _ = _head_and_face(demo, tilt)
        assert way * (head.angle - start.angle) >= 30, tilt  # the crown goes over that way
        assert abs(head.angle - _head_and_face(demo, turn)[0].angle) >= 30  # unlike the turn
        assert demo.poses[tilt].shifts.get("face", (0, 0))[1] == 0, tilt  # face to the front
        (mark,) = demo.poses[tilt].marks
        assert mark.end[1] - mark.start[1] >= 25, tilt  # from the crown down to the shoulder
        assert way * (mark.end[0] - mark.start[0]) >= 15, tilt


def test_neck_chin_to_chest_lowers_the_head_straight_down_with_the_arrow_below_the_chin():
    """Not a tilt: the head goes down, not sideways, the face low on it; the arrow runs from
    under the chin down onto the chest (drawn on the crown it read as 'press the head down')."""
    demo = _demo("neck-stretch")
    (start, centre), (bowed, face) = (
        _head_and_face(demo, pose) for pose in ("start", "forward")
    )
    top, low = _tip(start), _tip(bowed)  # the head's centre
    assert low[1] - top[1] >= 5 and abs(low[0] - top[0]) < 1
    assert face[1] - low[1] >= 5  # the face low on the head: looking down
    (mark,) = demo.poses["forward"].marks
    assert mark.end[1] - mark.start[1] >= 15
    assert abs(mark.start[0] - low[0]) < 3 and abs(mark.end[0] - low[0]) < 3
    assert mark.start[1] >= low[1] + 14  # below the chin, not on the head


def test_neck_stretch_shows_the_standing_body_and_no_unexplained_blobs():
    """The article says stand: the picture shows the body down to the hips and hands, not
    a bust; and no halo blobs behind the neck (the orange neck says where it pulls)."""
    demo = _demo("neck-stretch")
    x, y, w, h = demo.view_box
    hips = _placed(demo, "start")["torso"].joint
    assert y + h >= hips[1] + 15
    assert all(not pose.glows for pose in demo.poses.values())


@pytest.mark.parametrize("name", ["neck-stretch", "hamstring-stretch-standing", "psoas-stretch"])
def test_the_held_key_poses_show_the_stopwatch(name):
    """Shoulder rolls keep moving; the others hold each stretch, and say so."""
    demo = _demo(name)
    held = [still.caption for still in demo.stills if demo.poses[still.pose].held]
    assert "Hold" in held or len(held) >= 4, (name, held)
    assert not demo.poses[demo.stills[0].pose].held  # the start is not a hold


@pytest.mark.parametrize("name", UPRIGHT)
def test_every_figure_fits_its_picture(name):
    """Whole, except the neck stretch's deliberate head-and-shoulders crop, which keeps the
    head whole however it moves."""
    demo = _demo(name)
    x, y, w, h = demo.view_box
    for pose in _poses_in_loop_and_stills(demo):
        bones = _placed(demo, pose)
        cx, cy = _tip(bones["head"])
        points = [(cx - 14, cy - 14), (cx + 14, cy + 14)]  # the whole head, nose and ears
        if name != "neck-stretch":
            points += [p for bone in bones.values() for p in (bone.joint, _tip(bone))]
        for px, py in points:
            assert x <= px <= x + w and y <= py <= y + h, (name, pose, px, py)


@pytest.mark.parametrize("back", ["r", "l"])
def test_psoas_hips_go_clearly_forward_with_the_arrow_at_the_pelvis(back):
    """The blind check saw little change and an arrow on the belly ("push the belly out"):
    the hips go 20+ units forward, the trunk stays upright, and the arrow runs level at the
    pelvis, no higher than a fifth of the way up the trunk."""
    demo = _demo("psoas-stretch")
    start, stretch, hold = (
        _placed(demo, f"{pose}_{back}") for pose in ("start", "stretch", "hold")
    )
    assert hold["torso"].joint[0] - start["torso"].joint[0] >= 20
    assert abs(hold["torso"].angle + 90) <= 3  # upright, not arched back
    (mark,) = demo.poses[f"stretch_{back}"].marks
    hip = stretch["torso"].joint
    assert mark.end[0] - mark.start[0] >= 15 and abs(mark.end[1] - mark.start[1]) < 2
    assert hip[1] - 50 / 5 <= mark.start[1] <= hip[1]  # torso is 50 long


def test_psoas_other_side_is_moved_and_held_too():
    """The other side was one still start pose: now its own arrow, then its own hold."""
    demo = _demo("psoas-stretch")
    moved, held = (demo.poses[still.pose] for still in demo.stills[-2:])
    assert moved.marks and held.held
    assert moved.stretched == held.stretched == {"l_thigh"}


@pytest.mark.parametrize(
    "name, timeline, stills",
    [
        (
            "psoas-stretch",
            # Each side: the lunge, hips forward, the hold; the other side from step 1 again.
            [(0.0, 1), (0.8, 2), (2.6, 3), (6.2, 1), (7.6, 2), (9.4, 3), (13.0, 1)],
            [("Start", (1,)), ("Hips forward", (2,)), ("Hold", (3,)), ("Hips back", (3,)),
             ("Other side: hips forward", (2,)), ("Other side: hold", (3,))],
        ),
        (
            "hamstring-stretch-standing",
            # Heel up, bend and hold, back up; step 4 is the whole other leg.
            [(0.0, 1), (2.3, 2), (5.3, 3), (6.5, 4)],
            [("Start", (1,)), ("Stretch", (2,)), ("Hold", (2,)), ("Release", (3,)),
             ("Other leg", (4,)), ("Other leg: hold", (4,))],
        ),
        (
            "shoulder-rolls",
            [(0.0, 1), (1.0, 2), (6.5, 3), (11.1, 4)],
            [("Sit tall", (1,)), ("Roll forwards", (2,)), ("Roll backwards", (3,)),
             ("Relax", (4,))],
        ),
    ],
)
def test_upright_steps_as_a_physiotherapist_would_number_them(name, timeline, stills):
    """The step highlighted under the picture follows these times exactly; each key pose
    names the step it shows (the other side's poses included)."""
    demo = _demo(name)
    assert [(round(t, 2), step) for t, step in motion.step_starts(demo)] == timeline
    assert [(still.caption, still.steps) for still in demo.stills] == stills
