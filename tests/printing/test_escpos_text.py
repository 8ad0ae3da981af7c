"""The ESC/POS byte encoding: Chinese mode, GB18030, GS ! sizes, QR, cut, and reading it back."""

from __future__ import annotations

import pytest

from kiosk.printing.escpos_text import (
    CHINESE_ON,
    INIT,
    SIZE_NORMAL,
    SIZE_TALL,
    decode_jobs,
    encode_job,
    encode_text,
    qr_bytes,
    qr_marker,
)
from kiosk.printing.layout import Line

ESC_BANG = b"\x1b!"


def test_a_job_starts_with_init_then_chinese_mode() -> None:
    data = encode_job([Line("汉江市政务服务中心")])
    assert data.startswith(INIT + CHINESE_ON)
    assert "汉江市政务服务中心".encode("gb18030") + b"\n" in data


def test_tall_lines_use_gs_bang_never_esc_bang() -> None:
    data = encode_job([Line("标题", tall=True), Line("正文")])
    assert (
        SIZE_TALL + "标题".encode("gb18030") + b"\n" + SIZE_NORMAL + "正文".encode("gb18030")
        in data
    )
    assert ESC_BANG not in data


def test_punctuation_only_lines_and_accents_are_sent_as_gb18030() -> None:
    # python-escpos text() turns these into "?" or stray hanzi; here they are real GB18030 bytes
    assert encode_text("，。、——“”") == "，。、——“”".encode("gb18030")
    assert encode_text("café ×2 · ￥5") == "café ×2 · ￥5".encode("gb18030")


def test_yen_and_rare_characters_are_replaced_before_encoding() -> None:
    assert encode_text("¥80") == "￥80".encode("gbk")
    assert encode_text("王𠮷") == "王□".encode("gbk")
    assert encode_text("䶮") == "□".encode("gbk")  # GB18030 has it, GBK printer fonts do not


def test_text_cannot_smuggle_printer_commands() -> None:
    assert b"\x1b" not in encode_text("x\x1b@\x1dV\x00y")


def test_native_qr_holds_the_case_number() -> None:
    data = qr_bytes("HJ-20261127-0007", "native")
    assert b"\x1d(k" in data and b"1P0HJ-20261127-0007" in data
    assert data.endswith(b"\x1ba\x00")  # left alignment is restored


def test_image_qr_is_a_raster_image() -> None:
    data = qr_bytes("HJ-20261127-0007", "image")
    assert b"\x1dv0" in data
    assert decode_jobs(INIT + data) == ["[图像]\n"]


def test_text_qr_mode_prints_the_marker() -> None:
    job = encode_job([Line(qr_marker("HJ-1"), qr="HJ-1")], qr_mode="text")
    assert decode_jobs(job) == [qr_marker("HJ-1") + "\n"]


def test_unknown_qr_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="二维码方式"):
        qr_bytes("x", "laser")


def test_jobs_end_with_a_cut_and_cut_marked_lines_cut() -> None:
    data = encode_job([Line("一", cut=True), Line("二")])
    assert data.count(b"\x1dV") == 2
    assert encode_job([Line("一", cut=True)]).count(b"\x1dV") == 1


def test_decode_reads_back_text_qr_and_jobs() -> None:
    lines = [Line("中心", tall=True), Line(""), Line(qr_marker("HJ-9"), qr="HJ-9"), Line("完")]
    job = encode_job(lines)
    assert decode_jobs(job + job) == ["中心\n\n[二维码：HJ-9]\n完\n"] * 2


def test_decode_refuses_esc_bang() -> None:
    with pytest.raises(ValueError, match="未预期"):
        decode_jobs(INIT + b"\x1b!\x30x")
