"""The key poses as a blind check sees them: each drawing's key poses alone, with no title, no
caption and no step text, as docs/demonstrations.md shows them beside what someone who had not
seen the steps read from them.

Saved to test-artifacts/figures/blind/; `make docs` saves them to docs/images/demonstrations/
(DEMONSTRATION_IMAGES), where the doc's table links them. Two key poses of different poses
must look different: a first-timer cannot tell a forward roll from a backward one if the
pictures are the same.
"""

import io
import os

import pytest
from PIL import Image, ImageChops

from kiosk import figures
from kiosk.figures import demos
from tests.e2e.conftest import ARTIFACTS

FOLDER = os.environ.get("DEMONSTRATION_IMAGES") or os.path.join(ARTIFACTS, "figures", "blind")
DIFFERENT = 0.002  # of a picture's pixels, at least: an arrow's worth


@pytest.fixture
def gallery(live_server, new_page):
    """The gallery with reduced motion and every word hidden."""
    page = new_page(reduced_motion="reduce", viewport={"width": 1280, "height": 900},
                    device_scale_factor=2)
    page.goto(live_server.url + "/demonstrations")
    page.evaluate("""document.querySelectorAll("figcaption, h1, h2, p, .figures-gallery-steps")
                     .forEach((words) => { words.style.display = "none"; })""")
    return page


def pictures_of(page, name: str) -> list[bytes]:
    poses = page.locator(f".demo-{name} .demo-poses .demo-pose svg")
    return [poses.nth(n).screenshot() for n in range(poses.count())]


@pytest.mark.parametrize("name", figures.names())
def test_each_key_pose_is_saved_alone_and_different_poses_look_different(gallery, name):
    demo = demos.build()[name]
    pictures = pictures_of(gallery, name)
    assert len(pictures) == len(demo.stills)
    os.makedirs(FOLDER, exist_ok=True)
    for number, png in enumerate(pictures, 1):
        with open(os.path.join(FOLDER, f"{name}-{number}.png"), "wb") as file:
            file.write(png)
    images = [Image.open(io.BytesIO(png)).convert("RGB") for png in pictures]
    for i, first in enumerate(demo.stills):
        for j in range(i + 1, len(demo.stills)):
            if demo.stills[j].pose == first.pose:
                continue  # "Start" and "Back to start": the same pose on purpose
            changed = ImageChops.difference(images[i], images[j]).convert("L").point(
                lambda value: 255 if value > 24 else 0).histogram()[255]
            share = changed / (images[i].width * images[i].height)
            assert share >= DIFFERENT, (
                f"{name}: key poses {i + 1} ({first.caption}) and {j + 1} "
                f"({demo.stills[j].caption}) look the same ({share:.4f} of pixels differ)"
            )
