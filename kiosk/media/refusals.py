"""`MediaError`, and the words of every refusal of an upload, in one place.

Said to staff as they are; an import says the same refusals of bytes already stored
(`STORED_REFUSALS`, used by kiosk/media/intake.py's stored_media_problem).
"""

NOT_MEDIA = "That file is not a JPEG, PNG or WebP image, or an MP4 or WebM video."
EMPTY = "That file is empty. Choose a photo or video to upload."
TOO_LARGE = "The file is {size} MB; the limit for {kind}s is {limit} MB."
BOMB = ("That image is too large to open safely ({megapixels} megapixels; the most is "
        "{limit}). Save a smaller copy, for example 2400 pixels on the long side, and upload "
        "that.")
DAMAGED_IMAGE = ("That image is damaged or incomplete, so it cannot be shown. Open it on your "
                 "computer, save it again as JPEG or PNG, and upload the copy.")
ANIMATED = ("Animated images cannot be used. Upload the animation as an MP4 or WebM video "
            "instead.")
DAMAGED_VIDEO = ("That video is damaged or incomplete, so it cannot be played. Export it again "
                 "as MP4 or WebM and upload the copy.")
# An upload's refusal as said of bytes already stored (see stored_media_problem).
STORED_REFUSALS = {
    DAMAGED_IMAGE: "a damaged or incomplete image",
    ANIMATED: "an animated image",
    DAMAGED_VIDEO: "a damaged or incomplete video",
}
HINTS = {
    "heif": " It looks like an HEIC or AVIF photo: save it as JPEG first (on an iPhone: "
            "Settings, Camera, Formats, Most Compatible).",
    "quicktime": " It looks like a QuickTime (.mov) video: export it as MP4 first.",
    "matroska": " It looks like a Matroska (.mkv) video: export it as MP4 or WebM first.",
}


class MediaError(ValueError):
    """An upload that cannot be used; the message says why, in words staff understand."""
