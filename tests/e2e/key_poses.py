"""Saving every key pose of some drawings, as the gallery shows them under reduced motion, at
screen and phone sizes: pictures people look at before calling a drawing done."""

import os
import re

SIZES = {
    "screen": {"viewport": {"width": 1920, "height": 1080}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def save_key_poses(page, drawings, folder: str) -> None:
    """Each key pose of each drawing on the gallery `page` to `folder`, captioned, big enough to
    read on a phone. (The pictures alone, as a blind check sees them, are
    tests/e2e/test_demonstration_pictures.py's.)"""
    os.makedirs(folder, exist_ok=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for drawing in drawings:
        poses = page.locator(f".demo-{drawing.name} .demo-pose")
        assert poses.count() == len(drawing.stills)
        for index, still in enumerate(drawing.stills):
            pose = poses.nth(index)
            pose.scroll_into_view_if_needed()
            assert pose.is_visible()
            box = pose.locator("svg").bounding_box()
            assert box["width"] >= 150, (drawing.name, box)
            assert still.caption in pose.inner_text()
            slug = re.sub(r"[^a-z0-9]+", "-", still.caption.lower()).strip("-")
            pose.screenshot(path=os.path.join(folder, f"{drawing.name}-{index + 1}-{slug}.png"))
