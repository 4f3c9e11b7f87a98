"""Video container checks: an MP4 whose boxes fill the file, with its metadata boxes (location
included) blanked in place; a WebM whose EBML header says "webm". The pictures themselves are
kept as sent."""

import struct

from kiosk.media.refusals import DAMAGED_VIDEO, HINTS, NOT_MEDIA, MediaError

# MP4 boxes holding metadata rather than pictures: titles, the camera, location (udta/©xyz).
MP4_METADATA = {b"udta", b"meta", b"uuid"}
MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf"}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
EBML_DOC_TYPE = 0x4282
MATROSKA_SEGMENT = 0x18538067


def checked_mp4(data: bytes) -> bytes:
    """The MP4 with its metadata boxes blanked; MediaError unless its boxes fill the file."""
    try:
        top = list(_mp4_boxes(data, 0, len(data)))
    except ValueError:
        raise MediaError(DAMAGED_VIDEO) from None
    if top[0][0] != b"ftyp" or not any(kind == b"moov" for kind, *_ in top):
        raise MediaError(DAMAGED_VIDEO)
    cleaned = bytearray(data)
    _blank_mp4_metadata(cleaned, top)
    return bytes(cleaned)


def _mp4_boxes(data, start: int, end: int, *, nested: bool = False):
    """(type, start, header length, end) of each box from start to end, which they must fill."""
    position = start
    while position < end:
        if end - position < 8:
            if nested and not any(data[position:end]):
                return  # QuickTime pads some containers with a zero word
            raise ValueError("a box header is cut off")
        size, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1:
            if end - position < 16:
                raise ValueError("a large box header is cut off")
            size, header = struct.unpack_from(">Q", data, position + 8)[0], 16
        elif size == 0:
            size = end - position  # the box runs to the end
        if size < header or position + size > end:
            raise ValueError(f"box {kind!r} does not fit")
        yield kind, position, header, position + size
        position += size


def _blank_mp4_metadata(data: bytearray, boxes):
    """Turn metadata boxes into `free` boxes of the same size, zero-filled.

    Nothing moves, so the sample offsets in the file stay right.
    """
    for kind, start, header, end in boxes:
        if kind in MP4_METADATA:
            data[start + 4:start + 8] = b"free"  # the type follows the 32-bit size
            data[start + header:end] = bytes(end - start - header)
        elif kind in MP4_CONTAINERS:
            try:
                children = list(_mp4_boxes(data, start + header, end, nested=True))
            except ValueError:
                raise MediaError(DAMAGED_VIDEO) from None
            _blank_mp4_metadata(data, children)


def check_webm(data: bytes):
    """MediaError unless the file starts with an EBML header of doc type "webm" and a segment."""
    try:
        element, position = _ebml_vint(data, 0, keep_marker=True)
        size, position = _ebml_vint(data, position)
        header_end = position + size
        if element != int.from_bytes(EBML_MAGIC) or header_end > len(data):
            raise ValueError("no EBML header")
        doc_type = None
        while position < header_end:
            child, position = _ebml_vint(data, position, keep_marker=True)
            length, position = _ebml_vint(data, position)
            if child == EBML_DOC_TYPE:
                doc_type = data[position:position + length].rstrip(b"\0")
            position += length
        segment, _ = _ebml_vint(data, header_end, keep_marker=True)
    except (ValueError, IndexError):
        raise MediaError(DAMAGED_VIDEO) from None
    if doc_type != b"webm":
        hint = HINTS["matroska"] if doc_type == b"matroska" else ""
        raise MediaError(NOT_MEDIA + hint)
    if segment != MATROSKA_SEGMENT:
        raise MediaError(DAMAGED_VIDEO)


def _ebml_vint(data: bytes, position: int, *, keep_marker: bool = False) -> tuple[int, int]:
    """An EBML variable-length number at `position`, and where the next one starts."""
    first = data[position]
    if first == 0:
        raise ValueError("an EBML number longer than 8 bytes")
    length = 9 - first.bit_length()
    if position + length > len(data):
        raise ValueError("an EBML number is cut off")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[position + 1:position + length]:
        value = value << 8 | byte
    return value, position + length
