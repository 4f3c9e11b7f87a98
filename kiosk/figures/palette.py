"""Colours: flat, dark on light, with one warm accent for the part being stretched."""

from kiosk.figures.model import Bone, Pose

PAPER = "#f7f4ee"
SKIN = "#f0bf99"
SKIN_EDGE = "#a86c49"
HAIR = "#3b2a22"
ARROW = "#0b6b63"
GLOW = "#ffc88a"

# Clothes by body part; far limbs (the other side of the body, in a side view) lighter.
TONES = {
    "top": ("#1f6f8b", "#86b5c7"),
    "legs": ("#2e3d4f", "#8e9cab"),
    "shoe": ("#1c262f", "#6d7883"),
    "skin": (SKIN, SKIN),
}
# The far side's accent is much paler than the near side's, so a reader tells at a glance
# whether the near (right) or the far (left) limb is the one at work.
STRETCHED = ("#e8590c", "#f6b689")

FLOOR = "#9c9284"
MAT, MAT_EDGE = "#bfe0d6", "#5f9e8d"
WOOD, WOOD_DARK = "#a8754f", "#7a5136"

# Shapes drawn with a stroke in the bone's tone, so the accent can move between them.
STROKED = {"limb", "upper_arm", "forearm", "foot", "hips"}


def part(bone: Bone) -> str:
    """Which clothes cover a bone."""
    if bone.name.endswith("foot"):
        return "shoe"
    if bone.name.endswith(("thigh", "shin")) or bone.name == "pelvis":
        return "legs"
    if bone.name == "neck":
        return "skin"
    return "top"


def tone(bone: Bone, pose: Pose) -> str:
    """The colour of a bone in a pose: the accent while it is being stretched."""
    near, far = STRETCHED if bone.name in pose.stretched else TONES[part(bone)]
    return far if bone.far else near
