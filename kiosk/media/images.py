"""Image clean-up: an uploaded photo verified by Pillow, refused when its pixel count could
exhaust memory, turned upright, converted to sRGB, shrunk and re-encoded with no metadata, so a
phone photo's location, camera details and comments never reach a screen."""

import re
import struct
import warnings
from contextlib import contextmanager
from io import BytesIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from kiosk.media.refusals import ANIMATED, BOMB, DAMAGED_IMAGE, MediaError

# An image over 40 megapixels is refused before its pixels are decoded: that is more than any
# phone camera takes, and 40 million RGBA pixels already need 160 MB of memory, a lot for a
# Raspberry Pi class machine. Pillow's own guard (Image.MAX_IMAGE_PIXELS, about 89 megapixels,
# a warning there and an error at twice that) stays as it is for the rest of the process.
MAX_PIXELS = 40_000_000
# Photos are shrunk to this many pixels on the long side: sharp on a 4K screen's half,
# and a fraction of a phone photo's bytes.
LONG_SIDE = 2400
QUALITY = 85

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def reencode_image(data: bytes) -> tuple[bytes, str, int, int]:
    """The image verified, upright, at most LONG_SIDE pixels, re-encoded with no metadata."""
    with reading_image(), opened_image(data) as (image, kind):
        if image.format == "JPEG":
            image.draft(image.mode, (LONG_SIDE, LONG_SIDE))  # decode big photos smaller
        image.load()
        picture = _upright_and_small(image)
    return encode(picture, kind), IMAGE_TYPES[kind], picture.width, picture.height


@contextmanager
def reading_image():
    """Pillow's ways of failing on a bad image, each as a MediaError in words."""
    with warnings.catch_warnings():
        # Pillow warns about a possible decompression bomb (and raises at twice its limit).
        # The warning must stop us whatever the process's warning filters say, so here it
        # is always an error, caught below with the error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except MediaError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            raise MediaError(_bomb_message(_pixels_in(str(bomb)))) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                struct.error, IndexError, KeyError, TypeError, ZeroDivisionError):
            # The first bytes said image, so Pillow failing to read it means damage.
            raise MediaError(DAMAGED_IMAGE) from None


@contextmanager
def opened_image(data: bytes):
    """The image, verified whole and still, ready to load, with its format ("JPEG", "PNG" or
    "WEBP"); MediaError if it is not. Use inside reading_image()."""
    formats = list(IMAGE_TYPES)
    with Image.open(BytesIO(data), formats=formats) as probe:
        _refuse_too_many_pixels(*probe.size)
        probe.verify()
        if probe.format in ("JPEG", "MPO") and not _jpeg_is_complete(data):
            raise MediaError(DAMAGED_IMAGE)
    with Image.open(BytesIO(data), formats=formats) as image:
        # Some cameras' JPEGs carry extra pictures (MPO): the first is the photo.
        kind = "JPEG" if image.format == "MPO" else image.format
        if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
            raise MediaError(ANIMATED)
        yield image, kind


def _jpeg_is_complete(data: bytes) -> bool:
    """Whether the JPEG's segments and scans run on to its end-of-image marker.

    Pillow would find out itself, but WeasyPrint (kiosk/pdf.py) sets Pillow's process-wide
    ImageFile.LOAD_TRUNCATED_IMAGES, which makes a cut-off JPEG load with its missing part
    grey. Changing that setting back could break a PDF being made at the same moment.
    """
    position = 2  # after the start-of-image marker
    while position + 2 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xD9:
            return True
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers with no segment
            position += 2
            continue
        if position + 4 > len(data):
            return False
        position += 2 + struct.unpack_from(">H", data, position + 2)[0]
        if marker == 0xDA:  # a scan: coded data up to the next marker that is not a restart
            while True:
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= len(data):
                    return False
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    position += 2
                elif following == 0xFF:
                    position += 1
                else:
                    break
    return False


def _refuse_too_many_pixels(width: int, height: int):
    if width * height > MAX_PIXELS:
        raise MediaError(_bomb_message(width * height))


def _bomb_message(pixels: int | None) -> str:
    megapixels = f"{pixels / 1e6:,.0f}" if pixels else "too many"
    return BOMB.format(megapixels=megapixels, limit=f"{MAX_PIXELS / 1e6:,.0f}")


def _pixels_in(pillow_message: str) -> int | None:
    match = re.search(r"\((\d+) pixels\)", pillow_message)
    return int(match.group(1)) if match else None


def _upright_and_small(image: Image.Image) -> Image.Image:
    picture = ImageOps.exif_transpose(image)
    picture = _in_srgb(picture, image.info.get("icc_profile"))
    if picture.mode == "P" and max(picture.size) > LONG_SIDE:
        # Palette images cannot be resampled smoothly: shrink them in full colour.
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    picture.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    # Everything but the pixels goes: EXIF (GPS included), XMP, ICC profiles, comments,
    # text chunks. Pillow's savers copy some of these from `info`, so it is emptied; only
    # a palette image's transparent colour is part of the picture itself.
    kept = {"transparency": picture.info["transparency"]} if "transparency" in picture.info else {}
    picture.info = kept
    return picture


def _in_srgb(picture: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Colours converted to sRGB, which browsers assume for an image with no profile."""
    if picture.mode == "CMYK" and not icc_profile:
        return picture.convert("RGB")
    if not icc_profile or picture.mode not in ("RGB", "RGBA", "CMYK"):
        return picture
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
        return ImageCms.profileToProfile(
            picture, source, ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if picture.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken profile: keep the pixels as they are, without it.
        return picture.convert("RGB") if picture.mode == "CMYK" else picture


def encode(picture: Image.Image, kind: str) -> bytes:
    out = BytesIO()
    if kind == "JPEG":
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        picture.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    elif kind == "WEBP":
        has_alpha = "A" in picture.mode or "transparency" in picture.info
        picture = picture.convert("RGBA" if has_alpha else "RGB")
        picture.save(out, "WEBP", quality=QUALITY)
    else:
        picture.save(out, "PNG")
    return out.getvalue()
