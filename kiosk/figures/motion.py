"""The loop of a demonstration as keyframes: CSS animations generated from the pose data."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.figures import palette
from kiosk.figures.model import Placed, normalise, place, rotate
from kiosk.figures.scene import Demonstration, Glow

EASING = "ease-in-out"
# Colours and glows change mostly in the middle of a move, so they never linger half-mixed.
TINT_EASING = "cubic-bezier(.8,0,.2,1)"
JUMP = 0.02  # seconds: the invisible instant in which a cut changes pose
STEP = 0.01  # seconds: the instant in which one drawing order gives way to another


@dataclass(frozen=True)
class Frame:
    """A moment of the loop: the pose, how visible the figure is, its drawing order, and the
    easing of the move that leaves it."""

    seconds: float
    pose: str
    visible: float = 1.0
    order: str = "default"
    easing: str = EASING


def frames(demo: Demonstration) -> list[Frame]:
    """Every keyframe of the loop, in time order; the first and last are the same pose."""
    first = demo.loop[0]
    # (seconds, pose, visible, easing of the move arriving here)
    timeline = [(0.0, first.pose, 1.0, EASING)]
    t = first.hold
    if first.hold:
        timeline.append((t, first.pose, 1.0, EASING))
    for move in demo.loop[1:]:
        previous = timeline[-1][1]
        if move.cut:
            out = t + move.seconds * 0.4
            timeline += [(out, previous, 0.0, EASING), (out + JUMP, move.pose, 0.0, EASING)]
        t += move.seconds
        timeline.append((t, move.pose, 1.0, move.easing))
        if move.hold:
            t += move.hold
            timeline.append((t, move.pose, 1.0, EASING))
    orders = _orders(demo, [entry[1] for entry in timeline])
    moments = []  # (seconds, pose, visible, order, arriving easing)
    for (seconds, pose, visible, easing), order in zip(timeline, orders, strict=True):
        if moments and moments[-1][3] != order:
            # Switch drawing order at once, as the move begins, never by a slow cross-fade.
            last = moments[-1]
            moments.append((last[0] + STEP, last[1], last[2], order, EASING))
        moments.append((seconds, pose, visible, order, easing))
    leaving = [moment[4] for moment in moments[1:]] + [EASING]
    return [
        Frame(seconds, pose, visible, order, easing)
        for (seconds, pose, visible, order, _), easing in zip(moments, leaving, strict=True)
    ]


def _orders(demo: Demonstration, poses: list[str]) -> list[str]:
    """The drawing order in use on arrival at each frame; a pose without one keeps the last."""
    explicit = [demo.poses[name].order for name in poses]
    current = next((o for o in reversed(explicit) if o), "default")  # the loop wraps around
    orders = []
    for order in explicit:
        current = order or current
        orders.append(current)
    return orders


def duration(demo: Demonstration) -> float:
    return frames(demo)[-1].seconds


def step_starts(demo: Demonstration) -> list[tuple[float, int]]:
    """When each of the article's steps begins in the loop, as (seconds, step), on the same
    clock as `frames`; empty for a drawing without steps."""
    if not demo.steps:
        return []
    first = demo.loop[0]
    starts = [(0.0, first.step)]
    t = first.hold
    for move in demo.loop[1:]:
        if move.step and move.step != starts[-1][1]:
            starts.append((t, move.step))
        t += move.seconds  # added up as `frames` adds them, so the two clocks agree
        t += move.hold
    return starts


def order_names(demo: Demonstration) -> list[str]:
    """The drawing orders the loop uses, in order of first use."""
    return list(dict.fromkeys(frame.order for frame in frames(demo)))


def scaled_bones(demo: Demonstration) -> set[str]:
    """Bones that any pose of the demonstration draws shortened (seen end-on)."""
    return {name for pose in demo.poses.values() for name, s in pose.scales.items() if s != 1}


def glowing_bones(demo: Demonstration) -> set[str]:
    return {name for pose in demo.poses.values() for name in pose.glows}


def glow_marks(demo: Demonstration) -> list[Glow]:
    """Every glow a pose carries among its marks, each once: one element each in the loop."""
    return list(dict.fromkeys(
        mark for pose in demo.poses.values() for mark in pose.marks if isinstance(mark, Glow)
    ))


def mark_changes(demo: Demonstration) -> list[tuple[float, tuple[str, ...]]]:
    """When the marks of a held pose come and go, as (seconds, classes shown from then on):
    the stopwatch ("hold") and each glow ("hg-N"), shown from arriving in a held pose until
    leaving it, never faded. static/js/steps.js shows them on this clock, the loop's own: as
    CSS animations they cost the screen's main thread a restyle every frame, all loop long."""
    glows = glow_marks(demo)
    loop = frames(demo)
    changes: list[tuple[float, tuple[str, ...]]] = []
    for i, frame in enumerate(loop[:-1]):  # the last frame is the first again
        pose = demo.poses[frame.pose]
        stays = _stays(loop, i)
        shown = ("hold",) if pose.held and stays else ()
        shown += tuple(f"hg-{n}" for n, glow in enumerate(glows) if glow in pose.marks and stays)
        if changes and changes[-1][0] == frame.seconds:
            changes.pop()  # two frames at one moment (a hold named as a step): the later counts
        if not changes or changes[-1][1] != shown:
            changes.append((frame.seconds, shown))
    return changes


# A stillness shorter than this is left to run: pausing and restarting would cost more.
SHORTEST_STILL = 0.3  # seconds


def still_runs(demo: Demonstration) -> list[tuple[float, float]]:
    """Where in the loop nothing the keyframes draw changes, as (from, until) seconds: the
    held poses, mostly. static/js/steps.js pauses the drawing's animations across them, as a
    running CSS animation costs the main thread a restyle every frame, even of a pose that
    does not move. Each run stops where a step begins or a held pose's marks change, so
    that the step marks and the stopwatch keep their own timers."""
    loop = frames(demo)
    tracks = list(_tracks(demo, loop).values())
    edges = {t for t, _ in step_starts(demo)} | {t for t, _ in mark_changes(demo)}
    runs: list[tuple[float, float]] = []
    for i, (a, b) in enumerate(zip(loop, loop[1:], strict=False)):
        if any(values[i] != values[i + 1] for values in tracks) or b.seconds <= a.seconds:
            continue
        if runs and runs[-1][1] == a.seconds and a.seconds not in edges:
            runs[-1] = (runs[-1][0], b.seconds)
        else:
            runs.append((a.seconds, b.seconds))
    cut = []
    for start, end in runs:  # cut where a step begins, or the marks change, inside a run
        inner = sorted(t for t in edges if start < t < end)
        cut += list(zip([start, *inner], [*inner, end], strict=True))
    return [(start, end) for start, end in cut if end - start >= SHORTEST_STILL]


def keyframes(demo: Demonstration) -> str:
    """The demonstration's @keyframes and the rules that run them on its animated SVG."""
    loop = frames(demo)
    total = loop[-1].seconds
    times = [f"{100 * frame.seconds / total:.3f}".rstrip("0").rstrip(".") + "%" for frame in loop]
    css = []
    for selector, values in _tracks(demo, loop).items():
        if len(set(values)) == 1:
            continue
        name = f"{demo.name}-{selector}"
        tint = selector[:2] in ("c-", "g-")
        steps = "".join(
            f"{times[i]}{{{values[i]}{_easing(loop[i], tint)}}}" for i in _needed(values)
        )
        css.append(f"@keyframes {name}{{{steps}}}")
        easing = TINT_EASING if tint else EASING
        css.append(
            f".demo-animated.d-{demo.name} .{selector}"
            f"{{animation:{name} {total:g}s {easing} infinite}}"
        )
    return "\n".join(css)


def _stays(loop: list[Frame], i: int) -> bool:
    """Whether the figure stays still and visible from frame `i` until some time has passed
    (past any frames at the same moment: a hold named as a step of its own)."""
    for later in loop[i + 1:]:
        if later.pose != loop[i].pose or later.visible != 1 or loop[i].visible != 1:
            return False
        if later.seconds > loop[i].seconds + 1e-9:
            return True
    return False


def _needed(values: list[str]) -> list[int]:
    """Keyframes that matter: a run of equal values needs only its first and last."""
    last = len(values) - 1
    return [
        i for i, value in enumerate(values)
        if i in (0, last) or not (values[i - 1] == value == values[i + 1])
    ]


def _easing(frame: Frame, tint: bool) -> str:
    """A keyframe's own easing, where the move leaving it is not the usual ease-in-out."""
    if tint or frame.easing == EASING:
        return ""
    return f";animation-timing-function:{frame.easing}"


def _tracks(demo: Demonstration, loop: list[Frame]) -> dict[str, list[str]]:
    """For each animated element (by class), its CSS declaration at every frame."""
    skeleton = demo.skeleton
    placements = [place(skeleton, demo.poses[frame.pose]) for frame in loop]
    scaled, glowing = scaled_bones(demo), glowing_bones(demo)
    tracks: dict[str, list[str]] = {"fig": [f"opacity:{frame.visible:g}" for frame in loop]}
    # The stopwatch and glows of a held pose are not here: see mark_changes.
    for order in order_names(demo):
        tracks[f"o-{order}"] = [f"opacity:{int(frame.order == order)}" for frame in loop]
    for bone in skeleton.bones:
        turns = _unwrapped([placed[bone.name].turn for placed in placements])
        tracks[f"j-{bone.name}"] = [
            joint_transform(placed[bone.name], turn, css=True)
            for placed, turn in zip(placements, turns, strict=True)
        ]
        if bone.name in scaled:
            tracks[f"s-{bone.name}"] = [
                f"transform:scale({_num(placed[bone.name].scale, 2)},1)" for placed in placements
            ]
        if bone.shape in palette.STROKED:
            tracks[f"c-{bone.name}"] = [
                f"stroke:{palette.tone(bone, demo.poses[frame.pose])}" for frame in loop
            ]
        if bone.name in glowing:
            tracks[f"g-{bone.name}"] = [
                f"opacity:{int(bone.name in demo.poses[frame.pose].glows)}" for frame in loop
            ]
    return tracks


def joint_transform(placed: Placed, turn: float | None = None, css=False) -> str:
    """Move a bone's group to its joint, then turn it: as an attribute, or a CSS declaration."""
    x, y = (_num(v, 1) for v in placed.offset)
    turn = _num(placed.turn if turn is None else turn, 1)
    if css:
        return f"transform:translate({x}px,{y}px) rotate({turn}deg)"
    return f"translate({x} {y}) rotate({turn})"


def _num(value: float, places: int) -> str:
    """A number as short as it can be written: 44, not 44.00; 0, never -0."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _unwrapped(turns: list[float]) -> list[float]:
    """Turns that never jump by more than half a circle, so a joint takes the short way."""
    out = [turns[0]]
    for turn in turns[1:]:
        out.append(out[-1] + normalise(turn - out[-1]))
    return out



def sample_points(demo: Demonstration, steps=10) -> list[tuple[float, float]]:
    """The lowest edge of every limb end, sampled through the loop as the browser tweens it.

    The browser moves each joint's translate, turn and scale in a straight line between
    keyframes, all on the same easing; a check that nothing sinks through the floor has to
    follow the same path, not the poses' own directions.
    """
    skeleton = demo.skeleton
    loop = frames(demo)
    placements = [place(skeleton, demo.poses[frame.pose]) for frame in loop]
    points = []
    for i, (a, b) in enumerate(zip(placements, placements[1:], strict=False)):
        if loop[i].visible == loop[i + 1].visible == 0:
            continue  # the jump inside a cut, while the figure is faded out
        for step in range(steps + 1):
            share = step / steps
            world: dict[str, tuple[tuple[float, float], float]] = {}
            for bone in skeleton.bones:
                x, y = a[bone.name], b[bone.name]
                turn = x.turn + share * normalise(y.turn - x.turn)
                offset = tuple(p + share * (q - p) for p, q in zip(x.offset, y.offset, strict=True))
                length = x.length + share * (y.length - x.length)
                if bone.parent is None:
                    joint, angle = offset, turn
                else:
                    (px, py), parent_angle = world[bone.parent]
                    dx, dy = rotate(offset, parent_angle)
                    joint, angle = (px + dx, py + dy), parent_angle + turn
                world[bone.name] = (joint, angle)
                tip_x, tip_y = rotate((length, 0), angle)
                points.append((joint[0] + tip_x, joint[1] + tip_y + bone.width / 2))
    return points
