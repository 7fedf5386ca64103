"""Hostile files for tests and the fuzz harness: zip bombs that look like XLSX workbooks, traversal names."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
TRAVERSAL_NAMES = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd",
    "C:\\boot.ini",
    "c:/x.txt",
    "a/../../b.txt",
    "..",
    ".",
    "",
    "name\x00.csv",
    "metadata.json",
    "con.txt",
    " .. ",
    "\u202egpj.exe",
    "x" * 600 + ".csv",
]


def _segment(data: bytes) -> bytes:
    """Raw deflate of `data` ending on a byte boundary with the compressor reset, so segments concatenate."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _zip(members: list[tuple[str, int, int, bytes, int]]) -> bytes:
    """A zip from (name, crc, uncompressed size, data, method) without inflating anything."""
    out = io.BytesIO()
    central = []
    for name, crc, size, data, method in members:
        encoded = name.encode()
        offset = out.tell()
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0)
        out.write(header + encoded + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0))
    return out.getvalue()


def xlsx_bomb(inflated_mib: int = 1024, *, header: tuple[str, ...] = ("household_ref", "surname")) -> bytes:
    """A real XLSX workbook whose first sheet inflates to `inflated_mib` MiB of rows; built in well under a second."""
    workbook = Workbook()
    workbook.active.append(list(header))
    buffer = io.BytesIO()
    workbook.save(buffer)

    source = zipfile.ZipFile(buffer)
    members = []
    for info in source.infolist():
        content = source.read(info)
        if info.filename != SHEET:
            members.append((info.filename, zlib.crc32(content), len(content), _segment(content), 8))
            continue
        prefix, _, rest = content.partition(b"<sheetData>")
        prefix += b"<sheetData>"
        suffix = b"</sheetData>" + rest.partition(b"</sheetData>")[2]
        chunk = ROW * ((1 << 20) // len(ROW))
        crc = zlib.crc32(prefix)
        for _ in range(inflated_mib):
            crc = zlib.crc32(chunk, crc)
        crc = zlib.crc32(suffix, crc)
        final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
        data = _segment(prefix) + _segment(chunk) * inflated_mib + _segment(suffix) + final
        size = len(prefix) + len(chunk) * inflated_mib + len(suffix)
        members.append((info.filename, crc, size, data, 8))
    return _zip(members)


def zip_with_member(name: str, content: bytes = b"x") -> bytes:
    """A zip holding one stored member under exactly `name` (zipfile would clean the name)."""
    return _zip([(name, zlib.crc32(content), len(content), content, 0)])
