"""The library of drawings for the clinic's own stretches: each is drawn whole, shows its other
side by the other limb (never a mirror), and staff find it in the editor's picker, grouped
apart from the article's seven, with the chosen drawing moving beside the list."""

import math
import re

import pytest
from sqlalchemy import select

from bench.serving import form_fields
from kiosk import figures
from kiosk.content import load_article
from kiosk.figures.demos import library
from kiosk.figures.model import place, point_on
from kiosk.figures.scene import Circling, Floor, Mat
from kiosk.models import Stretch
from tests.staff_helpers import signed_in

DRAWINGS = library.build()
NAMES = [drawing.name for drawing in DRAWINGS]
ARTICLE = [stretch["slug"] for stretch in load_article()["stretches"]]


def test_the_library_has_ten_or_more_drawings_listed_after_the_articles_seven():
    assert len(DRAWINGS) >= 10
    assert figures.names() == ARTICLE + NAMES
    assert not set(NAMES) & set(ARTICLE)


@pytest.mark.parametrize("drawing", DRAWINGS, ids=lambda d: d.name)
def test_each_drawing_has_named_key_poses_a_loop_and_a_held_thumbnail(drawing):
    assert len(drawing.stills) >= 4
    assert drawing.stills[0].caption.startswith(("Start", "Sit", "Stand"))
    assert all(still.pose in drawing.poses for still in drawing.stills)
    assert all(move.pose in drawing.poses for move in drawing.loop)
    # The thumbnail is the hold: the body as one of the key poses shows it (arrows aside).
    def body(pose):
        return place(drawing.skeleton, drawing.poses[pose])

    assert any(body(drawing.thumbnail) == body(still.pose) for still in drawing.stills)


@pytest.mark.parametrize("drawing", DRAWINGS, ids=lambda d: d.name)
def test_the_other_side_is_the_other_limb_never_the_picture_mirrored(drawing):
    assert not drawing.mirrored
    assert not any(move.cut for move in drawing.loop)  # one camera, no jump to another view
    assert not any(name.endswith("_m") for name in drawing.poses)


# Drawings cropped on purpose, close on what moves, and the joints they leave out.
LEGS = {f"{side}_{bone}" for side in "lr" for bone in ("thigh", "shin", "foot")}
CROPPED = {"chin-tuck": {"pelvis", "torso", *LEGS}}


@pytest.mark.parametrize("drawing", DRAWINGS, ids=lambda d: d.name)
def test_every_joint_stays_inside_the_picture_in_every_pose(drawing):
    """Whole figures: no hand, foot or head cut off by the edge of the drawing."""
    x, y, w, h = drawing.view_box
    for name, pose in drawing.poses.items():
        for bone, spot in place(drawing.skeleton, pose).items():
            if bone in CROPPED.get(drawing.name, ()):
                continue
            tip = point_on(drawing.skeleton, pose, bone)  # toes and hands too
            for jx, jy in (spot.joint, tip):
                assert x + 4 <= jx <= x + w - 4 and y + 4 <= jy <= y + h - 4, (name, bone)


def test_floor_work_lies_on_a_mat_on_the_floor():
    on_the_floor = {"knee-to-chest", "pelvic-tilt", "bridge", "cat-cow", "childs-pose",
                    "bird-dog", "prone-press-up"}
    for drawing in DRAWINGS:
        if drawing.name in on_the_floor:
            kinds = {type(prop) for prop in drawing.props}
            assert {Floor, Mat} <= kinds, drawing.name


def test_the_picker_groups_the_articles_drawings_apart_from_the_library(app):
    page = signed_in(app).get("/staff/stretches/new").get_data(as_text=True)
    select_ = re.search(r'<select[^>]*id="demonstration".*?</select>', page, re.S).group(0)
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select_, re.S))
    article, drawings = groups["The article&#39;s stretches"], groups[
        "Library, for the clinic&#39;s own stretches"]
    assert re.findall(r'value="([^"]+)"', article) == ARTICLE
    assert re.findall(r'value="([^"]+)"', drawings) == NAMES
    assert ">Knee to chest</option>" in drawings
    # The drawing chosen moves beside the list, and changes when the choice does.
    assert 'id="demonstration-preview"' in page
    assert 'hx-trigger="change from:#demonstration"' in page


def test_the_preview_beside_the_picker_shows_the_chosen_drawing_moving(app):
    client = signed_in(app)
    response = client.get("/staff/stretches/demonstration?demonstration=cat-cow")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Showing: <strong>Cat and cow</strong>" in page
    assert 'class="demo demo-cat-cow"' in page
    assert 'aria-label="Cat and cow demonstration"' in page
    assert "demo-animated" in page and "demo-poses" in page  # still poses for reduced motion
    unknown = client.get("/staff/stretches/demonstration?demonstration=%3Cscript%3E")
    assert unknown.status_code == 200
    assert "No drawing chosen." in unknown.get_data(as_text=True)
    assert "<script>" not in unknown.get_data(as_text=True)


def test_the_preview_is_for_staff_only(client):
    response = client.get("/staff/stretches/demonstration?demonstration=cat-cow")
    assert response.status_code in (302, 303)


def test_a_stretch_saved_with_a_library_drawing_keeps_it(app, session):
    client = signed_in(app)
    form = form_fields(client.get("/staff/stretches/new").get_data(as_text=True))
    form.update({"title": "Bridge for the back", "demonstration": "bridge",
                 "steps-0": "Lie on your back, knees bent.", "sides": "none",
                 "position": "floor"})
    response = client.post("/staff/stretches/new", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    saved = session.scalar(select(Stretch).filter_by(title="Bridge for the back"))
    assert saved.demonstration == "bridge"
    editor = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<option selected value="bridge">Bridge</option>', editor)
    assert "Showing: <strong>Bridge</strong>" in editor


# What a physiotherapist checks in each drawing: safe technique, shown unmistakably.

BY_NAME = {drawing.name: drawing for drawing in DRAWINGS}


def joints(name: str, pose: str) -> dict:
    drawing = BY_NAME[name]
    return {bone: spot.joint for bone, spot in place(drawing.skeleton, drawing.poses[pose]).items()}


def bend(a, b, c) -> float:
    """Degrees the line a-b-c turns at b: 0 for a straight line."""
    first, second = math.atan2(b[1] - a[1], b[0] - a[0]), math.atan2(c[1] - b[1], c[0] - b[0])
    return abs(math.degrees(math.remainder(second - first, math.tau)))


def test_the_bridge_is_held_with_shoulders_hips_and_knees_in_a_line_not_arched():
    body = joints("bridge", "hold")
    shoulder, hips, knee = body["r_upper_arm"], body["pelvis"], body["r_shin"]
    assert bend(shoulder, hips, knee) < 8  # an over-arched bridge puts the hips above the line
    assert hips[1] < joints("bridge", "start")["pelvis"][1] - 10  # and the hips are up


def test_the_chin_tuck_glides_the_head_back_without_looking_up():
    drawing = BY_NAME["chin-tuck"]
    start, hold = drawing.poses["start"], drawing.poses["hold"]
    # A side-view head faces 90 degrees round from its own direction: -90 is level.
    assert hold.angles["head"] >= -90, "the chin is raised in the hold"
    assert hold.angles["head"] - start.angles["head"] < 12, "a nod, not a glide"
    assert joints("chin-tuck", "hold")["head"][0] <= joints("chin-tuck", "start")["head"][0] - 5


def test_the_press_up_is_on_straightened_arms_with_the_hips_left_down():
    start, hold = joints("prone-press-up", "start"), joints("prone-press-up", "hold")
    for side in "lr":
        shoulder, elbow = hold[f"{side}_upper_arm"], hold[f"{side}_forearm"]
        hand = point_on(BY_NAME["prone-press-up"].skeleton,
                        BY_NAME["prone-press-up"].poses["hold"], f"{side}_forearm")
        # Pressed up on the hands, the elbows opening well past a right angle; propped on the
        # forearms (a sphinx) they stay bent at one or more.
        assert bend(shoulder, elbow, hand) < 70, "propped on the forearms, not pressed up"
    assert abs(hold["pelvis"][1] - start["pelvis"][1]) < 1  # the hips stay on the mat
    assert hold["neck"][1] < start["neck"][1] - 30  # the chest well up


def test_bird_dog_reaches_the_arm_level_at_shoulder_height_and_the_leg_at_hip_height():
    drawing = BY_NAME["bird-dog"]
    for pose, arm, leg in (("hold", "r", "l"), ("other_hold", "l", "r")):
        body = joints("bird-dog", pose)
        hand = point_on(drawing.skeleton, drawing.poses[pose], f"{arm}_forearm")
        assert abs(hand[1] - body[f"{arm}_upper_arm"][1]) < 8, (pose, "hand not at shoulder height")
        assert hand[0] > body["head"][0] + 20  # reaching ahead, past the head
        ankle = body[f"{leg}_foot"]
        assert abs(ankle[1] - body["pelvis"][1]) < 8, (pose, "leg not level")


def test_in_childs_pose_the_hands_stay_planted_where_they_started():
    drawing = BY_NAME["childs-pose"]
    for side in "lr":
        poses = drawing.poses.values()
        hands = [point_on(drawing.skeleton, pose, f"{side}_forearm") for pose in poses]
        assert max(math.dist(hand, hands[0]) for hand in hands) < 5, (side, hands)


def test_the_pelvic_tilt_closes_the_gap_under_the_low_back_with_the_pelvis_rolling():
    drawing = BY_NAME["pelvic-tilt"]
    start, hold = joints("pelvic-tilt", "start"), joints("pelvic-tilt", "hold")
    # The low back (where the lower back meets the chest) lifted off the mat at the start,
    # pressed down to the level of the hips in the hold: the gap visibly closes.
    assert start["torso"][1] < hold["torso"][1] - 5, "the gap under the low back hardly changes"
    assert abs(hold["torso"][1] - hold["pelvis"][1]) < 2.5, "the back is not flat in the hold"
    # What moves is the pelvis: a round arrow about the hips, not a straight push on the belly.
    rolls = [mark for mark in drawing.poses["tilt"].marks if isinstance(mark, Circling)]
    assert rolls and math.dist(rolls[0].centre, start["pelvis"]) < 10
    assert all(isinstance(mark, Circling) for pose in drawing.poses.values() for mark in pose.marks)


def test_figure_4_hinges_forward_with_a_straight_back_and_both_hands_on_the_crossed_leg():
    drawing = BY_NAME["figure-4-seated"]
    for side in "lr":
        for name in (f"lean_{side}", f"hold_{side}"):
            body = place(drawing.skeleton, drawing.poses[name])
            for arm in "lr":
                # The elbows hang beside or ahead of the shoulders: no arm stuck out behind.
                elbow, shoulder = body[f"{arm}_forearm"].joint, body[f"{arm}_upper_arm"].joint
                assert elbow[0] > shoulder[0] - 5, (name, arm, "an elbow sticks out behind")
        hold = place(drawing.skeleton, drawing.poses[f"hold_{side}"])
        # Leaning forward from the hips, a long back: the neck and head in line, no chin drop.
        assert hold["torso"].angle > -65, "hardly leaning forward"
        assert all(abs(hold[b].angle - hold["torso"].angle) < 5 for b in ("neck", "head"))
        # Felt in the buttock of the crossed leg, not an orange leg.
        assert drawing.poses[f"hold_{side}"].glows == {f"{side}_thigh"}
        assert not drawing.poses[f"hold_{side}"].stretched


def test_the_seated_twist_turns_the_shoulders_while_the_hips_and_knees_stay_square():
    drawing = BY_NAME["seated-twist"]
    start = place(drawing.skeleton, drawing.poses["start"])

    def shoulders(body):
        return math.dist(body["l_upper_arm"].joint, body["r_upper_arm"].joint)

    for side, other in (("r", "l"), ("l", "r")):
        hold = place(drawing.skeleton, drawing.poses[f"hold_{side}"])
        # Turned, the shoulder line seen from the front narrows by a quarter or more.
        assert shoulders(hold) < shoulders(start) * 0.75, (side, "the chest hardly turns")
        for joint in ("l_thigh", "r_thigh", "l_shin", "r_shin", "l_foot", "r_foot"):
            assert math.dist(hold[joint].joint, start[joint].joint) < 1, (side, joint)
        # The hand across the body rests on the opposite knee.
        hand = point_on(drawing.skeleton, drawing.poses[f"hold_{side}"], f"{other}_forearm")
        assert math.dist(hand, hold[f"{side}_shin"].joint) < 12, (side, "hand not on the knee")
