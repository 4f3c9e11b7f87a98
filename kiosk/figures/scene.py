"""What a demonstration is made of: poses, the loop through them, props and arrows, as data."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.figures.model import Point, Pose, Skeleton


@dataclass(frozen=True)
class Move:
    """One step of the loop: move to `pose` over `seconds`, then stay for `hold` seconds.

    A cut fades the figure out and in again around the change, for a change of side that no
    body could make in one smooth movement (kneeling from one lunge into the other).
    """

    pose: str
    seconds: float
    hold: float = 0.0
    cut: bool = False
    # How the move speeds up and slows down. A movement through several poses (a circle)
    # eases in on its first step, runs linear through the middle and eases out at the end.
    easing: str = "ease-in-out"
    # The article's numbered step this move (and its hold) shows; 0 goes on with the step
    # before. A hold shown as a step of its own is a move of 0 seconds to the same pose.
    step: int = 0


@dataclass(frozen=True)
class Still:
    """A key pose shown side by side with the others, with its caption and the article's
    step (or steps) it illustrates; 0 for a drawing that has no steps of its own."""

    caption: str
    pose: str
    step: int | tuple[int, ...] = 0

    @property
    def steps(self) -> tuple[int, ...]:
        return self.step if isinstance(self.step, tuple) else (self.step,) if self.step else ()


@dataclass(frozen=True)
class Demonstration:
    """A stretch shown by one figure: its view, props, poses, loop and key poses."""

    name: str
    title: str
    skeleton: Skeleton
    view_box: tuple[float, float, float, float]
    props: tuple
    poses: dict[str, Pose]
    loop: tuple[Move, ...]  # begins and ends on the same pose; the first move's seconds unused
    stills: tuple[Still, ...]
    thumbnail: str  # the pose for browse tiles: the hold
    # Named drawing orders besides the skeleton's own, for poses that need another.
    orders: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Orders drawn as a mirror image, props and all: the other side of a symmetric stretch,
    # shown the way the first side was (reached through a cut, as the picture flips).
    mirrored: frozenset[str] = frozenset()
    # How many numbered steps the article gives the stretch this drawing shows, which its
    # moves and stills name; 0 for a picture only (staff write the steps).
    steps: int = 0


# Props: the floor, a mat, a chair. Positions are picture units in the demonstration's view.


@dataclass(frozen=True)
class Floor:
    y: float


@dataclass(frozen=True)
class Mat:
    """An exercise mat seen edge-on, lying on the floor at `y`."""

    x1: float
    x2: float
    y: float


@dataclass(frozen=True)
class MatFromAbove:
    """An exercise mat seen at an angle: its four corners in the picture."""

    corners: tuple[Point, Point, Point, Point]


@dataclass(frozen=True)
class Chair:
    """A chair seen from the side; `x` is the front edge of the seat, `facing` 1 right, -1 left."""

    x: float
    floor: float
    facing: int = 1


# Arrows on the still pictures: which way the body moves into this pose.


@dataclass(frozen=True)
class Arrow:
    """A curved arrow from `start`, bending towards `via`, ending with its head at `end`."""

    start: Point
    via: Point
    end: Point
    head: float = 0.0  # the arrowhead's size in picture units; 0 for the usual size


@dataclass(frozen=True)
class Circling:
    """A round arrow about `centre`, from `start` degrees to `end` degrees (head at `end`)."""

    centre: Point
    radius: float
    start: float
    end: float
    head: float = 0.0  # the arrowhead's size in picture units; 0 for the usual size


@dataclass(frozen=True)
class Glow:
    """A soft highlight behind the figure where the stretch is felt, at any point (a halo of
    `Pose.glows` sits on a joint): on the still that carries it, and in the loop while it
    holds that pose, as the stopwatch shows."""

    centre: Point
    r: float = 10.0
