"""The one renderer: a demonstration's figure, props and arrows as SVG markup.

Every joint is a <g> whose transform moves it to the joint and turns it, so a child turns
about its own joint. Stills carry their pose in transform attributes; the animated picture
carries the first pose the same way and classes that the generated stylesheet animates.
Only presentation attributes are used: no style attributes, no <style>.
"""

from __future__ import annotations

import math

from markupsafe import escape

from kiosk.figures import motion, palette
from kiosk.figures.model import Bone, Placed, Pose, place
from kiosk.figures.scene import (
    Arrow,
    Chair,
    Circling,
    Demonstration,
    Floor,
    Glow,
    Mat,
    MatFromAbove,
)

SVG_NS = "http://www.w3.org/2000/svg"


def still(demo: Demonstration, pose_name: str, *, label: str, css_class: str) -> str:
    """One pose, with its arrows, as a still picture."""
    pose = demo.poses[pose_name]
    body = _scene(demo, pose, pose.order or "default", animated=False, marks=pose.marks)
    if pose.held:
        body += _hold_badge(demo, shown=True, animated=False)
    return _svg(demo, css_class, label, body)


def animated(demo: Demonstration, *, label: str) -> str:
    """The whole loop: one copy of the scene per drawing order, shown in turn by the CSS."""
    loop = motion.frames(demo)
    first = demo.poses[loop[0].pose]
    copies = [
        f'<g class="o-{name}" opacity="{int(loop[0].order == name)}">'
        f"{_scene(demo, first, name, animated=True, marks=_loop_glows(demo, first))}</g>"
        for name in motion.order_names(demo)
    ]
    body = f'<g class="fig">{"".join(copies)}</g>'
    if any(pose.held for pose in demo.poses.values()):
        body += _hold_badge(demo, shown=first.held, animated=True)
    return _svg(demo, f"demo-animated d-{demo.name}", label, body)


def _scene(demo: Demonstration, pose: Pose, order_name: str, animated: bool, marks=()) -> str:
    """Props, figure and arrows, in one drawing order, mirrored if that order is."""
    order = demo.orders.get(order_name, demo.skeleton.order)
    props = "".join(_prop(prop, demo.view_box) for prop in demo.props)
    figure = _figure(demo, pose, order, animated)
    # Glows lie on the props, behind the figure; arrows over everything.
    glows = "".join(_glow(*mark) for mark in marks if isinstance(mark, tuple))
    glows += "".join(_glow(mark) for mark in marks if isinstance(mark, Glow))
    arrows = "".join(_mark(mark) for mark in marks if not isinstance(mark, Glow | tuple))
    drawn = props + glows + figure + arrows
    if order_name not in demo.mirrored:
        return drawn
    x, _, w, _ = demo.view_box
    return f'<g transform="translate({2 * x + w:g} 0) scale(-1 1)">{drawn}</g>'


def _loop_glows(demo: Demonstration, first: Pose) -> list[tuple[Glow, str, bool]]:
    """Each glow of the loop, with its class and whether it shows on the first frame."""
    return [
        (glow, f"hg-{n}", glow in first.marks and first.held)
        for n, glow in enumerate(motion.glow_marks(demo))
    ]


def _glow(glow: Glow, cls: str = "", shown: bool = True) -> str:
    attribute = f' class="{cls}"' if cls else ""
    (x, y), r = glow.centre, glow.r
    return (
        f'<ellipse{attribute} cx="{x:.2f}" cy="{y:.2f}" rx="{r * 1.3:.2f}" ry="{r:.2f}" '
        f'fill="{palette.GLOW}" opacity="{int(shown)}"/>'
    )


def _svg(demo: Demonstration, css_class: str, label: str, body: str) -> str:
    x, y, w, h = demo.view_box
    # A name when there is one to give; a picture beside its own caption is decoration.
    named = f'role="img" aria-label="{escape(label)}"' if label else 'aria-hidden="true"'
    return (
        f'<svg xmlns="{SVG_NS}" class="{css_class}" viewBox="{x:g} {y:g} {w:g} {h:g}" '
        f'width="{w * 2:g}" height="{h * 2:g}" {named} focusable="false">'
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{w / 40:g}" '
        f'fill="{palette.PAPER}"/>{body}</svg>'
    )


# The figure: one group per bone, nested as the skeleton is.


def _figure(demo: Demonstration, pose: Pose, order, animated: bool) -> str:
    skeleton = demo.skeleton
    placed = place(skeleton, pose)
    rank = {name: i for i, name in enumerate(order)}
    # The animated picture carries every group any pose needs; a still only its own.
    extras = (
        (motion.scaled_bones(demo), motion.glowing_bones(demo))
        if animated
        else ({n for n, s in pose.scales.items() if s != 1}, set(pose.glows))
    )
    root = skeleton.bones[0]
    return _bone(skeleton, root, placed, pose, rank, extras, animated)


def _bone(skeleton, bone: Bone, placed, pose, rank, extras, animated: bool) -> str:
    scaled, glowing = extras
    children = skeleton.children(bone.name)
    # Stable sort: bones the order does not name keep the skeleton's order, after the rest.
    items = sorted([bone, *children], key=lambda b: rank.get(b.name, len(rank)))
    # A highlighted joint glows behind its parent's shape, so the glow is a halo, not a stain.
    halos = [child for child in children if child.name in glowing]
    if bone.parent is None and bone.name in glowing:
        halos.insert(0, bone)
    parts = [_halo(b, placed, pose, animated, at_root=b is bone) for b in halos]
    for item in items:
        if item is bone:
            parts.append(_shape(bone, placed[bone.name], pose, bone.name in scaled, animated))
        else:
            parts.append(_bone(skeleton, item, placed, pose, rank, extras, animated))
    spot = placed[bone.name]
    return (
        f'<g{_cls(animated, "j", bone.name)} transform="{motion.joint_transform(spot)}">'
        f'{"".join(parts)}</g>'
    )


def _halo(bone: Bone, placed, pose: Pose, animated: bool, at_root: bool) -> str:
    x, y = (0.0, 0.0) if at_root else placed[bone.name].offset
    shown = int(bone.name in pose.glows)
    return (
        f'<circle cx="{x:.2f}" cy="{y:.2f}" r="13" fill="{palette.GLOW}" opacity="{shown}"'
        f'{_cls(animated, "g", bone.name)}/>'
    )


def _cls(animated: bool, kind: str, name: str) -> str:
    return f' class="{kind}-{name}"' if animated else ""


def _shape(bone: Bone, spot: Placed, pose: Pose, scaled: bool, animated: bool) -> str:
    """What a bone looks like, drawn along its +x axis from its joint."""
    if bone.shape == "none":
        return ""
    if bone.shape == "face":
        return _face()
    if bone.shape in ("head_side", "head_front"):
        # Heads stay round however the neck is seen: drawn at the tip, never squashed.
        centre = bone.length * spot.scale
        return _head_side(centre) if bone.shape == "head_side" else _head_front(centre)
    colour = palette.tone(bone, pose)
    if bone.shape in palette.STROKED:
        drawn = _stroked(bone, colour, _cls(animated, "c", bone.name))
    else:
        drawn = _path(_smooth(OUTLINES[bone.shape](bone.length)), colour)
    if not scaled:
        return drawn
    cls = _cls(animated, "s", bone.name)
    return f'<g transform="scale({spot.scale:.2f} 1)"{cls}>{drawn}</g>'


def _stroked(bone: Bone, colour: str, cls: str) -> str:
    """A limb as a thick round-ended line, whose colour the stylesheet may change."""
    ends = f'x2="{bone.length:g}"'
    if bone.shape == "hips":  # across the hips, not along the bone
        ends = 'x1="-3" y1="-9" x2="-3" y2="9"'
    line = (
        f'<line {ends} stroke="{colour}" stroke-width="{bone.width:g}" '
        f'stroke-linecap="round"{cls}/>'
    )
    if bone.shape == "forearm":  # the hand, bare
        return line + _circle(bone.length, 0, bone.width * 0.62, palette.SKIN, palette.SKIN_EDGE)
    if bone.shape == "upper_arm":  # a rounded shoulder, which rises when it shrugs
        return _circle(0, 0, bone.width * 0.68, colour) + line
    return line


def _torso_side(length: float) -> list[tuple[float, float]]:
    """Outline of the trunk from the side, hips at 0, front towards +y."""
    n = length
    return [
        (-9, -4), (-7, 7), (3, 11), (n * 0.45, 11), (n * 0.75, 12.5), (n - 3, 10),
        (n + 1, 3), (n, -7), (n * 0.72, -10.5), (n * 0.35, -9), (4, -11.5),
    ]


def _torso_front(length: float) -> list[tuple[float, float]]:
    """Outline of the trunk from the front, hips at 0, the person's left towards +y."""
    n = length
    half = [(-8, 15), (n * 0.45, 13.5), (n * 0.82, 17.5), (n + 1, 19.5), (n + 5, 12)]
    return [(x, -y) for x, y in half] + [(n + 6, 0)] + [(x, y) for x, y in reversed(half)] + [
        (-10, 0)
    ]


OUTLINES = {"torso_side": _torso_side, "torso_front": _torso_front}


def _head_side(c: float) -> str:
    """A head in profile, facing +y, centred at (c, 0): ear, hair at the back, nose, eye."""
    r = 12.5
    nose = f"M{c + 2:g} 11.5L{c - 2.5:g} 15.2Q{c - 3.6:g} 15.4 {c - 4.2:g} 11.8Z"
    return (
        f'<path d="{nose}" fill="{palette.SKIN}" stroke="{palette.SKIN_EDGE}" '
        f'stroke-width="1.2" stroke-linejoin="round"/>'
        + _circle(c, 0, r, palette.SKIN, palette.SKIN_EDGE)
        + _path(_hair(c, r, 40, -125, (c + 1, -8), (c + 7, 3)), palette.HAIR)
        + f'<ellipse cx="{c - 0.5:g}" cy="-2.5" rx="3.4" ry="2.3" fill="{palette.SKIN}" '
        f'stroke="{palette.SKIN_EDGE}" stroke-width="1.2"/>'
        + _circle(c + 1.5, 8, 1.5, palette.HAIR)
        + f'<path d="M{c - 6:g} 9.5Q{c - 6.8:g} 8 {c - 6.3:g} 6.5" fill="none" '
        f'stroke="{palette.SKIN_EDGE}" stroke-width="1.2" stroke-linecap="round"/>'
    )


def _head_front(c: float) -> str:
    """A head from the front, centred at (c, 0): ears, face, and a cap of hair."""
    r = 12.5
    return (
        _circle(c, r, 3, palette.SKIN, palette.SKIN_EDGE)
        + _circle(c, -r, 3, palette.SKIN, palette.SKIN_EDGE)
        + _circle(c, 0, r, palette.SKIN, palette.SKIN_EDGE)
        + _path(_hair(c, r, 100, -100, (c + 11, -4), (c + 11, 4)), palette.HAIR)
    )


def _face() -> str:
    """Eyes, nose and a smile about the centre of a head from the front, top towards +x."""
    return (
        _circle(2, -4.5, 1.6, palette.HAIR)
        + _circle(2, 4.5, 1.6, palette.HAIR)
        + _circle(-2, 0, 1.2, palette.SKIN_EDGE)
        + f'<path d="M-5.5 -3.5Q-8.5 0 -5.5 3.5" fill="none" stroke="{palette.SKIN_EDGE}" '
        f'stroke-width="1.3" stroke-linecap="round"/>'
    )


def _hair(c: float, r: float, start: float, end: float, *inner: tuple[float, float]) -> str:
    """Hair over a head: round the crown from `start` to `end` degrees (0 is the top of the
    head, 90 the face), then back along the hairline, bending through the `inner` points."""
    def at(degrees):
        a = math.radians(degrees)
        return f"{c + (r + 0.8) * math.cos(a):.2f} {(r + 0.8) * math.sin(a):.2f}"

    large, radius = int(abs(start - end) > 180), r + 0.8
    arc = f"A{radius:g} {radius:g} 0 {large} 0 {at(end)}"
    (x1, y1), (x2, y2) = inner
    return f"M{at(start)}{arc}C{x1:g} {y1:g} {x2:g} {y2:g} {at(start)}Z"


def _smooth(points: list[tuple[float, float]]) -> str:
    """A closed, smooth outline through the points (Catmull-Rom as cubic Béziers)."""
    n = len(points)
    d = [f"M{points[0][0]:.2f} {points[0][1]:.2f}"]
    for i in range(n):
        p0, p1, p2, p3 = points[i - 1], points[i], points[(i + 1) % n], points[(i + 2) % n]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        d.append(f"C{c1[0]:.2f} {c1[1]:.2f} {c2[0]:.2f} {c2[1]:.2f} {p2[0]:.2f} {p2[1]:.2f}")
    return "".join(d) + "Z"


def _path(d: str, fill: str) -> str:
    return f'<path d="{d}" fill="{fill}"/>'


def _circle(x: float, y: float, r: float, fill: str, edge: str | None = None) -> str:
    stroke = f' stroke="{edge}" stroke-width="1.2"' if edge else ""
    return f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{r:g}" fill="{fill}"{stroke}/>'


# Props and arrows.


def _prop(prop, view_box) -> str:
    x, _, w, _ = view_box
    if isinstance(prop, Floor):
        return (
            f'<line x1="{x:g}" y1="{prop.y:g}" x2="{x + w:g}" y2="{prop.y:g}" '
            f'stroke="{palette.FLOOR}" stroke-width="2.5"/>'
        )
    if isinstance(prop, Mat):
        return (
            f'<rect x="{prop.x1:g}" y="{prop.y - 4:g}" width="{prop.x2 - prop.x1:g}" height="5" '
            f'rx="2" fill="{palette.MAT}" stroke="{palette.MAT_EDGE}" stroke-width="1"/>'
        )
    if isinstance(prop, MatFromAbove):
        points = " ".join(f"{px:.1f},{py:.1f}" for px, py in prop.corners)
        return (
            f'<polygon points="{points}" fill="{palette.MAT}" stroke="{palette.MAT_EDGE}" '
            f'stroke-width="1.5" stroke-linejoin="round"/>'
        )
    if isinstance(prop, Chair):
        return _chair(prop)
    raise TypeError(f"no drawing for {prop!r}")


def _chair(chair: Chair) -> str:
    """A plain wooden chair from the side: seat 44 high and 40 deep, a back behind it."""
    f, seat = chair.facing, chair.floor - 44
    back = chair.x - f * 40
    wood = f'stroke="{palette.WOOD}" stroke-width="4.5" stroke-linecap="round"'
    return (
        f'<line x1="{back:g}" y1="{seat:g}" x2="{back - f * 3:g}" y2="{seat - 46:g}" {wood}/>'
        f'<line x1="{back:g}" y1="{seat + 14:g}" x2="{back - f * 2:g}" y2="{seat - 44:g}" '
        f'stroke="{palette.WOOD_DARK}" stroke-width="1.5" stroke-linecap="round"/>'
        f'<line x1="{chair.x - f * 3:g}" y1="{seat:g}" x2="{chair.x - f * 3:g}" '
        f'y2="{chair.floor - 1:g}" {wood}/>'
        f'<line x1="{back + f * 1:g}" y1="{seat:g}" x2="{back + f * 1:g}" '
        f'y2="{chair.floor - 1:g}" {wood}/>'
        f'<line x1="{back:g}" y1="{seat + 20:g}" x2="{chair.x - f * 3:g}" y2="{seat + 20:g}" '
        f'stroke="{palette.WOOD}" stroke-width="2.5"/>'
        f'<rect x="{min(back, chair.x) - 2:g}" y="{seat - 3:g}" width="44" height="6" rx="3" '
        f'fill="{palette.WOOD}" stroke="{palette.WOOD_DARK}" stroke-width="1"/>'
    )


ARROW_HEAD = 12.0  # picture units: at a phone's 180 px a head reads forwards or backwards


def _mark(mark) -> str:
    """An arrow, outlined in the paper colour so it reads over clothes as well as floor."""
    path, (ex, ey), heading = _arrow_line(mark)
    size = mark.head or ARROW_HEAD
    head = _arrowhead(ex, ey, heading, size)
    width = size * 0.3
    return (
        f'<g fill="none" stroke-linecap="round" stroke-linejoin="round">'
        f'<path d="{path}" stroke="{palette.PAPER}" stroke-width="{width + 3.5:.1f}"/>'
        f'<polygon points="{head}" fill="{palette.PAPER}" stroke="{palette.PAPER}" '
        f'stroke-width="3"/>'
        f'<path d="{path}" stroke="{palette.ARROW}" stroke-width="{width:.1f}"/>'
        f'<polygon points="{head}" fill="{palette.ARROW}"/></g>'
    )


def _hold_badge(demo: Demonstration, shown: bool, animated: bool) -> str:
    """A stopwatch in the top right corner: the stretch is held here, not moved through."""
    x, y, w, _ = demo.view_box
    cls = ' class="hold"' if animated else ""
    return f'<g{cls} opacity="{int(shown)}">{_stopwatch(x + w - 15, y + 17)}</g>'


def hold_icon() -> str:
    """The stopwatch alone, for words that explain it."""
    return (
        '<svg class="demo-key-watch" viewBox="0 0 26 30" aria-hidden="true" focusable="false">'
        f"{_stopwatch(13, 17)}</svg>"
    )


def _stopwatch(cx: float, cy: float, r: float = 9.5) -> str:
    return (
        f'<g stroke="{palette.ARROW}" stroke-linecap="round">'
        f'<line x1="{cx:g}" y1="{cy - r - 4:g}" x2="{cx:g}" y2="{cy - r:g}" stroke-width="3"/>'
        f'<line x1="{cx - 3:g}" y1="{cy - r - 4.5:g}" x2="{cx + 3:g}" y2="{cy - r - 4.5:g}" '
        f'stroke-width="2.5"/>'
        f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{palette.PAPER}" stroke-width="2.4"/>'
        f'<path d="M{cx:g} {cy:g}V{cy - r + 2.5:g}A{r - 2.5:g} {r - 2.5:g} 0 0 1 '
        f'{cx + r - 2.5:g} {cy:g}Z" fill="{palette.ARROW}" stroke="none"/>'
        f'<line x1="{cx:g}" y1="{cy:g}" x2="{cx:g}" y2="{cy - r + 2.5:g}" stroke-width="1.6"/>'
        f"</g>"
    )


def _arrow_line(mark) -> tuple[str, tuple[float, float], float]:
    """The arrow's path, where its head goes, and which way it points (radians)."""
    if isinstance(mark, Arrow):
        (sx, sy), (vx, vy), (ex, ey) = mark.start, mark.via, mark.end
        path = f"M{sx:.1f} {sy:.1f}Q{vx:.1f} {vy:.1f} {ex:.1f} {ey:.1f}"
        return path, (ex, ey), math.atan2(ey - vy, ex - vx)
    if isinstance(mark, Circling):
        (cx, cy), r = mark.centre, mark.radius
        a, b = math.radians(mark.start), math.radians(mark.end)
        sweep = int(b > a)
        large = int(abs(b - a) > math.pi)
        ex, ey = cx + r * math.cos(b), cy + r * math.sin(b)
        path = (
            f"M{cx + r * math.cos(a):.1f} {cy + r * math.sin(a):.1f}"
            f"A{r:g} {r:g} 0 {large} {sweep} {ex:.1f} {ey:.1f}"
        )
        return path, (ex, ey), b + (math.pi / 2 if sweep else -math.pi / 2)
    raise TypeError(f"no drawing for {mark!r}")


def _arrowhead(x: float, y: float, heading: float, size: float) -> str:
    """The points of an arrowhead at (x, y), pointing along `heading` (radians)."""
    points = [(x + size * 0.45 * math.cos(heading), y + size * 0.45 * math.sin(heading))]
    for side in (2.6, -2.6):
        a = heading + side
        points.append((x + size * math.cos(a), y + size * math.sin(a)))
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
