"""ESC/POS bytes for Chinese receipts: GB18030 text in Chinese mode, GS ! sizes, QR and cut."""

from __future__ import annotations

from collections.abc import Sequence

import qrcode
from escpos.constants import QR_ECLEVEL_M
from escpos.image import EscposImage
from escpos.printer import Dummy

from kiosk.printing.layout import Line, printable

ESC, FS, GS, LF = b"\x1b", b"\x1c", b"\x1d", b"\n"
INIT = ESC + b"@"  # ESC @: reset the printer
CHINESE_ON = FS + b"&"  # FS &: two-byte (GBK/GB18030) character mode
CHINESE_OFF = FS + b"."  # FS .: leave Chinese mode
ALIGN_LEFT = ESC + b"a\x00"
ALIGN_CENTRE = ESC + b"a\x01"
SIZE_NORMAL = GS + b"!\x00"  # GS ! n: the size command that also enlarges hanzi
SIZE_TALL = GS + b"!\x01"  # double height, normal width: the columns stay the same
QR_MODES = ("native", "image", "text")
QR_MODULE_SIZE = 6
IMAGE_MARKER = "[图像]"


def qr_marker(content: str) -> str:
    """The line shown in the text rendering where the QR code is printed."""
    return f"[二维码：{content}]"


def encode_text(text: str) -> bytes:
    """One line of text as the printer gets it: GB18030 bytes of the printable text.

    `printable` runs first, so characters outside GBK become `□`, `¥` becomes `￥` and no
    control character can reach the printer as a command.

    Args:
        text: the characters of one line (no newline).

    Returns:
        The bytes, without the line feed.
    """
    return printable(text).replace("\n", " ").encode("gb18030")


def size_command(tall: bool) -> bytes:
    """`GS ! n` for double height (tall) or normal size."""
    return SIZE_TALL if tall else SIZE_NORMAL


def qr_bytes(content: str, mode: str = "native") -> bytes:
    """A centred QR code holding `content`.

    Args:
        content: what the code holds (the case number).
        mode: `native` uses the printer's own QR command (`GS ( k`, compact); `image` sends a
            raster image (`GS v 0`) for printers without native QR; `text` prints the
            marker line instead.

    Returns:
        The bytes, ending at the start of a new line.
    """
    if mode not in QR_MODES:
        raise ValueError(f"二维码方式只能是 {'/'.join(QR_MODES)}：{mode}")
    if mode == "text":
        return encode_text(qr_marker(content)) + LF
    device = Dummy()
    device._raw(ALIGN_CENTRE)
    if mode == "native":
        device.qr(content, ec=QR_ECLEVEL_M, size=QR_MODULE_SIZE, native=True)
    else:
        code = qrcode.QRCode(box_size=QR_MODULE_SIZE, border=1)
        code.add_data(content)
        code.make(fit=True)
        image = EscposImage(code.make_image().get_image().convert("RGB"))
        header = GS + b"v0\x00" + _low_high(image.width_bytes) + _low_high(image.height)
        device._raw(header + image.to_raster_format())
    device._raw(ALIGN_LEFT)
    return bytes(device.output)


def cut_bytes() -> bytes:
    """Feed the paper past the cutter and cut it (python-escpos `cut()`)."""
    device = Dummy()
    device.cut()
    return bytes(device.output)


def encode_job(lines: Sequence[Line], qr_mode: str = "native") -> bytes:
    """The whole print job for some paper lines.

    Starts with `ESC @` then `FS &`, prints each line as GB18030 text followed by LF, uses
    `GS ! n` for tall lines (never `ESC !`, which does not enlarge hanzi), prints QR lines as
    QR codes, cuts after lines marked `cut` and at the end.

    Args:
        lines: the laid-out lines.
        qr_mode: see `qr_bytes`.

    Returns:
        The bytes to send.
    """
    out = bytearray(INIT + CHINESE_ON + SIZE_NORMAL)
    tall = False
    for line in lines:
        if line.qr is not None:
            if tall:
                out += SIZE_NORMAL
                tall = False
            out += qr_bytes(line.qr, qr_mode)
        else:
            if line.tall != tall:
                out += size_command(line.tall)
                tall = line.tall
            out += encode_text(line.text) + LF
        if line.cut:
            out += SIZE_NORMAL + cut_bytes()
            tall = False
    if not lines or not lines[-1].cut:
        out += SIZE_NORMAL + cut_bytes()
    return bytes(out)


def _low_high(number: int) -> bytes:
    return bytes((number & 0xFF, (number >> 8) & 0xFF))


def decode_jobs(data: bytes) -> list[str]:
    """Read back the text of the jobs in a byte stream (for tests and for checking a spool file).

    Each `ESC @` starts a job. Commands this module emits are understood and skipped; native
    QR codes come back as their marker line, raster images as `[图像]`. A command this module
    never sends (such as `ESC !`) raises ValueError.

    Args:
        data: bytes as sent to the printer, e.g. the content of a `file:` printer.

    Returns:
        One text per job; every printed line ends with a newline.
    """
    jobs: list[str] = []
    text = bytearray()
    qr_payload = b""
    i = 0

    def emit(line: str) -> None:
        if not jobs:
            raise ValueError("数据不是以 ESC @ 开头")
        jobs[-1] += text.decode("gb18030") + line
        text.clear()

    while i < len(data):
        byte = data[i]
        if byte >= 0x20:
            text.append(byte)
            i += 1
        elif byte == 0x0A:
            emit("\n")
            i += 1
        elif data.startswith(INIT, i):
            if text:
                emit("")
            jobs.append("")
            i += 2
        elif data[i : i + 2] in (ALIGN_LEFT[:2], ESC + b"d", GS + b"!"):
            i += 3  # ESC a n, ESC d n, GS ! n
        elif data[i : i + 2] in (CHINESE_ON, CHINESE_OFF):
            i += 2
        elif data.startswith(GS + b"(k", i):
            length = data[i + 3] + data[i + 4] * 256
            body = data[i + 5 : i + 5 + length]
            if body[:2] == b"1P":
                qr_payload = body[3:]
            elif body[:2] == b"1Q":
                emit(qr_marker(qr_payload.decode("utf-8")) + "\n")
            i += 5 + length
        elif data.startswith(GS + b"v0", i):
            width_bytes = data[i + 4] + data[i + 5] * 256
            height = data[i + 6] + data[i + 7] * 256
            emit(IMAGE_MARKER + "\n")
            i += 8 + width_bytes * height
        elif data.startswith(GS + b"V", i):
            i += 4 if data[i + 2] in (65, 66) else 3
        else:
            raise ValueError(f"第 {i} 字节是未预期的打印命令：{data[i : i + 3]!r}")
    if text:
        emit("")
    return jobs
