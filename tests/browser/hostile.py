"""Hostile inputs for the page tests, made byte by byte: DICOM files that lie or nest absurdly,
and ZIP archives that lie about their members. Nothing here is a real scan."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

from hostile_files import element as _element  # one Explicit VR Little Endian element

PREAMBLE = bytes(128) + b"DICM"


def file_meta(sop_instance: str | None = None) -> bytes:
    sop_instance = sop_instance or generate_uid()
    body = (
        _element(0x0002, 0x0001, b"OB", b"\0\1")
        + _element(0x0002, 0x0002, b"UI", CTImageStorage.encode())
        + _element(0x0002, 0x0003, b"UI", sop_instance.encode())
        + _element(0x0002, 0x0010, b"UI", ExplicitVRLittleEndian.encode())
    )
    return PREAMBLE + _element(0x0002, 0x0000, b"UL", struct.pack("<I", len(body))) + body


def _header(sop_instance: str) -> bytes:
    return (
        _element(0x0008, 0x0016, b"UI", CTImageStorage.encode())
        + _element(0x0008, 0x0018, b"UI", sop_instance.encode())
        + _element(0x0008, 0x0060, b"CS", b"CT")
        + _element(0x0010, 0x0010, b"PN", b"HOSTILE^INPUT")
        + _element(0x0020, 0x000D, b"UI", generate_uid().encode())
        + _element(0x0020, 0x000E, b"UI", generate_uid().encode())
    )


def nested_sequences(depth: int = 1000) -> bytes:
    """A file whose Referenced Series Sequence holds an item holding the same sequence ...
    `depth` levels deep, undefined lengths throughout (the reader must recurse to find the end)."""
    uid = generate_uid()
    seq_open = struct.pack("<HH2sHI", 0x0008, 0x1115, b"SQ", 0, 0xFFFFFFFF)
    item_open = struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF)
    item_close = struct.pack("<HHI", 0xFFFE, 0xE00D, 0)
    seq_close = struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
    body = (seq_open + item_open) * depth + (item_close + seq_close) * depth
    return file_meta(uid) + _header(uid) + body


def huge_length() -> bytes:
    """A file whose Text Value declares 0xFFFFFFF0 bytes, with a few bytes after it."""
    uid = generate_uid()
    return file_meta(uid) + _header(uid) + struct.pack("<HH2sHI", 0x0040, 0xA160, b"UT", 0, 0xFFFFFFF0) + b"short"


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def zip_with_dotdot(member_data: bytes) -> bytes:
    """An archive whose members climb out of it (`../`, absolute), and one honest member."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../escape.dcm", member_data)
        archive.writestr("/etc/absolute.dcm", member_data)
        archive.writestr("ok/inside.dcm", member_data)
    return buffer.getvalue()


def zip_bomb(size: int = 1 << 30) -> bytes:
    """One member that inflates to `size` zero bytes (about 1 MB compressed for 1 GiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(size >> 20)]
    parts.append(compressor.flush())
    data = b"".join(parts)
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(block, crc)
    return _raw_zip([("bomb.dcm", 8, data, size, crc, 0)])


def _raw_zip(members, *, central_sizes=None, flags_extra=0, descriptor=False, zip64=False) -> bytes:
    """A ZIP written by hand: members = [(name, method, stored bytes, size, crc, flags)].
    central_sizes overrides (compressed, size) in the central directory per member."""
    out = bytearray()
    central = bytearray()
    for index, (name, method, data, size, crc, flags) in enumerate(members):
        flags |= 0x0800 | flags_extra | (0x0008 if descriptor else 0)
        offset = len(out)
        raw_name = name.encode()
        local_crc, local_c, local_s = (0, 0, 0) if descriptor else (crc, len(data), size)
        extra = b""
        if zip64:
            extra = struct.pack("<HHQQ", 1, 16, size, len(data))
            local_c = local_s = 0xFFFFFFFF
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if zip64 else 20, flags, method, 0, 0x21,
                           local_crc, local_c, local_s, len(raw_name), len(extra)) + raw_name + extra + data
        if descriptor:
            out += struct.pack("<IIII", 0x08074B50, crc, len(data), size)
        c_size, u_size = (central_sizes[index] if central_sizes else (len(data), size))
        c_extra = b""
        c_c, c_u, c_off = c_size, u_size, offset
        if zip64:
            c_extra = struct.pack("<HHQQQ", 1, 24, u_size, c_size, offset)
            c_c = c_u = c_off = 0xFFFFFFFF
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45 if zip64 else 20, 45 if zip64 else 20,
                               flags, method, 0, 0x21, crc, c_c, c_u, len(raw_name), len(c_extra), 0, 0, 0, 0,
                               c_off) + raw_name + c_extra
    cd_offset = len(out)
    out += central
    count = len(members)
    if zip64:
        z64 = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(central), cd_offset)
        out += struct.pack("<IIQI", 0x07064B50, 0, z64, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), cd_offset, 0)
    return bytes(out)


def hostile_zips(member: bytes) -> dict[str, bytes]:
    """Archives that lie, each with the member `member` (a small DICOM file) inside.
    Name -> bytes; what the page should make of each is in the tests."""
    crc = zlib.crc32(member)
    deflated = zlib.compress(member, 9)[2:-4]
    good = ("a.dcm", 0, member, len(member), crc, 0)
    honest = _raw_zip([good])
    cd_at = honest.rfind(struct.pack("<I", 0x02014B50))
    return {
        "truncated-central-directory.zip": honest[: cd_at + 20],
        "lying-count.zip": honest[:-22] + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 5, 5,
                                                     len(honest) - 22 - cd_at, cd_at, 0),
        "lying-stored-size.zip": _raw_zip([good], central_sizes=[(len(member) + 4000, len(member) + 4000)]),
        # With a data descriptor the local header holds no sizes: only inflating can tell.
        "lying-deflated-size.zip": _raw_zip([("a.dcm", 8, deflated, len(member), crc, 0)],
                                            central_sizes=[(len(deflated), len(member) // 2)], descriptor=True),
        "zip64.zip": _raw_zip([good], zip64=True),
        "data-descriptor.zip": _raw_zip([("a.dcm", 8, deflated, len(member), crc, 0)], descriptor=True),
        "encrypted.zip": _raw_zip([good], flags_extra=0x0001),
        "dotdot.zip": zip_with_dotdot(member),
    }


def write_all(folder: Path, files: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths
