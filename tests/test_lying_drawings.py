"""The three stretches done lying on the back, drawn as a physiotherapist would show them:
one camera each, the head never changes ends, the other side is the other leg (never the
picture mirrored), the hands hold the thigh that moves, the hip twist's knees reach the floor."""

import math

import pytest

from kiosk import figures
from kiosk.figures import motion, palette, skeletons, svg
from kiosk.figures.demos import lying
from kiosk.figures.model import place, point_on
from kiosk.figures.scene import Glow

LYING = ["hamstring-stretch-lying-down", "hip-twists", "piriformis-stretch"]


def _demo(name):
    return figures._demonstrations()[name]


def _joints(demo, pose):
    return {name: spot.joint for name, spot in place(demo.skeleton, pose).items()}


@pytest.mark.parametrize("name", LYING)
def test_the_head_stays_at_the_same_end_for_both_sides(name):
    """The other side is shown by the other leg, not by turning the person round."""
    demo = _demo(name)
    heads = [point_on(demo.skeleton, pose, "head") for pose in demo.poses.values()]
    assert max(x for x, _ in heads) - min(x for x, _ in heads) <= 2, heads
    assert max(y for _, y in heads) - min(y for _, y in heads) <= 2, heads


@pytest.mark.parametrize("name", LYING)
def test_no_pose_is_a_mirror_image(name):
    demo = _demo(name)
    assert not demo.mirrored
    assert not any(move.cut for move in demo.loop)  # one smooth loop: nothing to hide
    for still in demo.stills:
        assert "scale(-1 1)" not in svg.still(demo, still.pose, label="", css_class="x")


@pytest.mark.parametrize("name", LYING)
def test_the_whole_figure_is_inside_the_picture_in_every_pose(name):
    demo = _demo(name)
    x, y, w, h = demo.view_box
    for pose_name, pose in demo.poses.items():
        for bone, (px, py) in _joints(demo, pose).items():
            assert x + 4 <= px <= x + w - 4 and y + 4 <= py <= y + h - 4, (pose_name, bone)
        # The head drawn round its tip, the feet at theirs.
        for bone, margin in (("head", 13), ("r_foot", 4), ("l_foot", 4)):
            px, py = point_on(demo.skeleton, pose, bone)
            assert x + margin <= px <= x + w - margin, (pose_name, bone)
            assert y + margin <= py <= y + h - margin, (pose_name, bone)


@pytest.mark.parametrize("name", LYING)
def test_both_sides_are_shown_and_the_second_is_the_other_leg(name):
    """The last key pose works the left leg (the paler, far one); the first side the right."""
    if name == "hip-twists":  # both legs fall together: see the twist's own tests
        return
    demo = _demo(name)
    first = {bone[0] for still in demo.stills[1:3] for bone in demo.poses[still.pose].stretched}
    other = {bone[0] for bone in demo.poses[demo.stills[-1].pose].stretched}
    assert "r" in first and "l" in other
    if name != "hip-twists":  # both legs fall together in the twist
        assert first == {"r"} or name == "piriformis-stretch"
        assert other == {"l"} or name == "piriformis-stretch"


@pytest.mark.parametrize("side", ["r", "l"])
def test_the_hamstring_hands_hold_the_back_of_the_thigh_that_moves(side):
    demo = _demo("hamstring-stretch-lying-down")
    for pose_name in (f"grasp_{side}", f"hold_{side}"):
        pose = demo.poses[pose_name]
        assert pose.stretched == {f"{side}_thigh", f"{side}_shin"}  # one leg, all of it
        knee, hip = point_on(demo.skeleton, pose, f"{side}_thigh"), point_on(
            demo.skeleton, pose, f"{side}_thigh", 0)
        for arm in "lr":
            hand = point_on(demo.skeleton, pose, f"{arm}_forearm")
            # On the thigh, between hip and knee, not on the shin or the other leg.
            along = ((hand[0] - hip[0]) * (knee[0] - hip[0]) + (hand[1] - hip[1]) * (
                knee[1] - hip[1])) / math.dist(hip, knee) ** 2
            assert 0.3 <= along <= 0.85, (pose_name, arm, along)
            assert math.dist(hand, point_on(demo.skeleton, pose, f"{side}_thigh", along)) <= 8
        # The other knee stays bent, its foot on the mat.
        other = "l" if side == "r" else "r"
        assert point_on(demo.skeleton, pose, f"{other}_shin")[1] >= lying.MAT_TOP - 8


@pytest.mark.parametrize("sign", [1, -1])
def test_the_hip_twist_lowers_the_knees_to_the_floor_and_the_feet_stay_down(sign):
    """In three dimensions: the lower knee rests on the floor (a thigh is 15 thick), the
    feet stay down, and nothing above the hips moves."""
    start = skeletons.lying_points(lying._BENT, lying._BENT)
    held = skeletons.lying_points(lying._BENT, lying._BENT, twist=sign * lying.TWIST_HELD)
    lower = "l" if sign == 1 else "r"  # rolled to the left, the left knee is underneath
    upper = "r" if lower == "l" else "l"
    assert held[f"{lower}_thigh"][1][1] <= 8.5
    # The lower foot on the floor, the upper one resting on it: together, not lifted apart.
    lower_ankle, upper_ankle = held[f"{lower}_shin"][1], held[f"{upper}_shin"][1]
    assert lower_ankle[1] <= 3 and upper_ankle[1] <= 20
    assert abs(lower_ankle[0] - upper_ankle[0]) <= 6
    for bone in ("torso", "neck", "head", "l_upper_arm", "r_upper_arm", "l_forearm",
                 "r_forearm"):
        assert held[bone] == start[bone]


def _bend(demo, pose, side):
    """How far the knee looks bent in the picture: the turn from thigh to shin, degrees."""
    spots = place(demo.skeleton, pose)
    turn = spots[f"{side}_shin"].angle - spots[f"{side}_thigh"].angle
    return abs((turn + 180) % 360 - 180)


def test_the_hip_twist_knees_look_bent_at_the_start_and_on_the_way_back():
    """Seen from where the thigh and shin do not fall on one line: bent knees, not straight
    legs (the square-on view from the feet drew them as one straight stroke)."""
    demo = _demo("hip-twists")
    for pose_name in ("start", "release_left", "release_right"):
        for side in "rl":
            # Neither straight (0) nor folded flat onto one line (180, as square on).
            assert 30 <= _bend(demo, demo.poses[pose_name], side) <= 150, (pose_name, side)


@pytest.mark.parametrize("side,sign", [("left", 1), ("right", -1)])
def test_the_hip_twist_shows_the_stretch_at_the_trunk_and_the_knees_moving(side, sign):
    demo = _demo("hip-twists")
    hold = demo.poses[f"hold_{side}"]
    assert hold.stretched == {"pelvis"}  # the hips, not the whole legs
    (glow,) = [mark for mark in hold.marks if isinstance(mark, Glow)]
    (arrow,) = [mark for mark in hold.marks if not isinstance(mark, Glow)]
    pelvis = point_on(demo.skeleton, hold, "pelvis", 0)
    knees = lying._knees(hold)
    # The glow is beside the waist, on the side the knees roll away from.
    assert math.dist(glow.centre, pelvis) <= 30
    assert (glow.centre[0] - pelvis[0]) * (knees[0] - pelvis[0]) < 0
    # The arrow runs from above the knees to where they fall, not from the chest.
    start = lying._knees(demo.poses["start"])
    assert math.dist(arrow.start, start) <= 16 and math.dist(arrow.end, knees) <= 20
    # The way back is the knees halfway up again, with its arrow, and no accent at rest.
    back = demo.poses[f"release_{side}"]
    assert not back.stretched and len(back.marks) == 1
    assert math.dist(back.marks[0].end, arrow.start) <= 1
    assert math.dist(back.marks[0].start, arrow.end) <= 1


@pytest.mark.parametrize("crossing,raised", [("r", "l"), ("l", "r")])
def test_the_piriformis_is_a_figure_4_seen_side_on(crossing, raised):
    """Seen from the side: one thigh upright and its shin level (90 degrees at hip and knee),
    the other leg's ankle resting just below that knee, its own knee out towards the feet."""
    demo = _demo("piriformis-stretch")
    assert demo.skeleton is skeletons.SIDE
    pose = demo.poses[f"cross_{crossing}"]
    spots = place(demo.skeleton, pose)
    assert abs(spots[f"{raised}_thigh"].angle + 90) <= 5  # thigh to the ceiling
    assert abs(spots[f"{raised}_shin"].angle) <= 5  # shin level
    knee = point_on(demo.skeleton, pose, f"{raised}_thigh")
    ankle = point_on(demo.skeleton, pose, f"{crossing}_shin")
    assert math.dist(knee, ankle) <= 13 and ankle[1] > knee[1]  # on the thigh, below the knee
    crossing_knee = point_on(demo.skeleton, pose, f"{crossing}_thigh")
    assert crossing_knee[0] - knee[0] >= 20 and crossing_knee[1] > knee[1] + 10
    # The crossing leg is the one that stretches; the arms rest on the mat, pulling nothing.
    assert pose.stretched == {f"{crossing}_thigh", f"{crossing}_shin"} and pose.held
    for arm in "lr":
        assert point_on(demo.skeleton, pose, f"{arm}_forearm")[1] >= lying.MAT_TOP - 16
    # The crossing has its own arrow, ending over the raised knee, not by the head.
    (arrow,) = demo.poses[f"lift_{crossing}"].marks
    assert math.dist(arrow.end, knee) <= 20
    assert math.dist(arrow.end, point_on(demo.skeleton, pose, "head")) > 50


@pytest.mark.parametrize("name", LYING)
def test_the_held_pose_shows_a_stopwatch_still_and_while_the_loop_holds(name):
    demo = _demo(name)
    assert demo.poses[demo.thumbnail].held
    held = svg.still(demo, demo.thumbnail, label="", css_class="x")
    moving = svg.still(demo, demo.stills[0].pose, label="", css_class="x")
    assert held.count("<circle") == moving.count("<circle") + 1
    # In the loop it shows from arriving in the held pose until leaving it, on the loop's
    # clock (static/js/steps.js), not as an animation restyled every frame.
    loop = motion.frames(demo)
    changes = motion.mark_changes(demo)
    ends = [at for at, _ in changes[1:]] + [loop[-1].seconds]
    for (at, shown), end in zip(changes, ends, strict=True):
        middle = (at + end) / 2
        still = any(a.seconds <= middle < b.seconds and a.pose == b.pose
                    and demo.poses[a.pose].held for a, b in zip(loop, loop[1:], strict=False))
        assert ("hold" in shown) == still, (at, shown)
    assert any("hold" in shown for _, shown in changes)
    assert any(not shown for _, shown in changes)
    assert f"{name}-hold" not in motion.keyframes(demo)


@pytest.mark.parametrize("side", ["r", "l"])
def test_the_hamstring_knee_straightening_has_its_own_arrow_to_the_raised_foot(side):
    """Pose 2 -> 3 (the knee straightening, the foot going up) is not the same 'pull in' arrow."""
    demo = _demo("hamstring-stretch-lying-down")
    grasp, hold = demo.poses[f"grasp_{side}"], demo.poses[f"hold_{side}"]
    (pull,), (straighten,) = grasp.marks, hold.marks
    assert pull != straighten
    foot = point_on(demo.skeleton, hold, f"{side}_shin")
    assert math.dist(straighten.end, foot) <= 14
    assert straighten.end[1] < straighten.start[1] - 10  # up, towards the ceiling


@pytest.mark.parametrize("side", ["r", "l"])
def test_the_hamstring_leg_comes_down_with_the_knee_bent_first(side):
    """Lowering a straight leg loads the low back: the knee bends before the thigh comes
    down, and the key pose 'Let the leg down' shows it bent, the foot heading for the mat."""
    demo = _demo("hamstring-stretch-lying-down")
    hold, release = demo.poses[f"hold_{side}"], demo.poses[f"release_{side}"]
    assert _bend(demo, release, side) > 45
    # From the hold, the knee has bent further than the thigh has dropped.
    spots = {name: place(demo.skeleton, pose) for name, pose in (("hold", hold),
                                                                  ("release", release))}
    dropped = spots["release"][f"{side}_thigh"].angle - spots["hold"][f"{side}_thigh"].angle
    bent = _bend(demo, release, side) - _bend(demo, hold, side)
    assert bent > dropped + 15, (bent, dropped)
    # Back to the start (feet on the mat) the knee stays bent all the way.
    assert _bend(demo, demo.poses["start"], side) > 45
    if side == "r":  # the key pose is the near leg's
        assert [s.pose for s in demo.stills if s.step == 4] == ["release_r"]


def test_the_hamstring_release_shows_the_leg_coming_down_with_no_accent():
    demo = _demo("hamstring-stretch-lying-down")
    release = demo.poses[demo.stills[3].pose]
    assert not release.stretched  # at rest nothing is stretched
    foot = point_on(demo.skeleton, release, "r_shin")
    assert foot[1] < lying.MAT_TOP - 30  # the leg on its way down, not already down
    (down,) = release.marks
    assert down.end[1] > foot[1] + 15 and math.dist(down.start, foot) <= 14
    # The other leg goes the same way: held behind the thigh, then straightened.
    assert [still.pose for still in demo.stills[-2:]] == ["grasp_l", "hold_l"]


def test_the_lying_drawings_step_timelines():
    timelines = {name: [step for _, step in motion.step_starts(_demo(name))] for name in LYING}
    assert timelines["hamstring-stretch-lying-down"] == [1, 2, 3, 4, 5]
    assert timelines["piriformis-stretch"] == [1, 2, 3, 1, 2, 3]
    assert timelines["hip-twists"] == [1, 2, 3, 4, 5]
    starts = dict((step, t) for t, step in motion.step_starts(_demo(LYING[0])))
    assert starts == pytest.approx({1: 0, 2: 0.6, 3: 2.5, 4: 5.5, 5: 7.5})


def test_a_glow_lies_behind_the_figure_on_the_hold_and_shows_while_the_loop_holds():
    demo = _demo("hip-twists")
    held = svg.still(demo, "hold_left", label="", css_class="x")
    glow = held.index('<ellipse cx="')
    assert palette.GLOW in held[glow:glow + 120]
    assert glow < held.index('<g transform=')  # under the figure, not over it
    assert "<ellipse" not in svg.still(demo, "start", label="", css_class="x")
    animated = svg.animated(demo, label="x")
    assert 'class="hg-0"' in animated and 'class="hg-1"' in animated
    shown = [marks for _, marks in motion.mark_changes(demo)]
    assert ("hold", "hg-0") in shown and ("hold", "hg-1") in shown
    assert "hg-" not in motion.keyframes(demo)
