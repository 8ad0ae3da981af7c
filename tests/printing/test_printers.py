"""Printer specs, the file/TCP/fake printers, the reprint queue and the print-test helper."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from escpos.printer import Dummy, Usb

from kiosk.domain.ports import PrinterError, ReceiptPrinter
from kiosk.printing.escpos_text import CHINESE_ON, INIT, SIZE_NORMAL, SIZE_TALL, decode_jobs
from kiosk.printing.printers import (
    EscposReceiptPrinter,
    PrinterSpec,
    default_printer_spec,
    parse_printer_spec,
)
from kiosk.printing.testpage import SAMPLE_REQUESTS, print_test, sample_slips
from tests.printing.conftest import DECISIONS, RAW_NAME, RAW_PHONE, PrinterFactory, make_slip

STATUS_QUERY = b"\x10\x04\x01"


# -- printer specs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "canonical"),
    [
        ("usb:0416:5011", PrinterSpec("usb", vendor_id=0x0416, product_id=0x5011), "usb:0416:5011"),
        (
            "USB:0x04B8:0x0E15",
            PrinterSpec("usb", vendor_id=0x04B8, product_id=0x0E15),
            "usb:04b8:0e15",
        ),
        ("tcp:192.168.1.50:9100", PrinterSpec("tcp", host="192.168.1.50", port=9100), None),
        ("tcp:printer.local:9100", PrinterSpec("tcp", host="printer.local", port=9100), None),
        ("tcp:[::1]:9100", PrinterSpec("tcp", host="::1", port=9100), None),
        ("serial:/dev/ttyUSB0", PrinterSpec("serial", device="/dev/ttyUSB0"), None),
        ("serial:COM3:115200", PrinterSpec("serial", device="COM3", baudrate=115200), None),
        ("file:/tmp/out.bin", PrinterSpec("file", path="/tmp/out.bin"), None),
        ("file:C:\\kiosk\\out.bin", PrinterSpec("file", path="C:\\kiosk\\out.bin"), None),
    ],
)
def test_valid_specs_parse_and_print_back(
    text: str, expected: PrinterSpec, canonical: str | None
) -> None:
    spec = parse_printer_spec(text)
    assert spec == expected
    assert str(spec) == (canonical or text)
    assert parse_printer_spec(str(spec)) == spec


@pytest.mark.parametrize(
    "text",
    [
        "",
        "usb",
        "usb:0416",
        "usb:zz:5011",
        "usb:0416:5011:1",
        "usb:0:5011",
        "tcp:192.168.1.50",
        "tcp::9100",
        "tcp:host:http",
        "tcp:host:70000",
        "serial:",
        "file:",
        "lpt:1",
        "192.168.1.50:9100",
    ],
)
def test_bad_specs_are_refused_in_chinese(text: str) -> None:
    with pytest.raises(ValueError, match="打印机设置不正确") as raised:
        parse_printer_spec(text)
    assert "tcp:主机:端口" in str(raised.value)


def test_default_spec_is_a_file_in_the_spool(tmp_path: Path) -> None:
    assert str(default_printer_spec(tmp_path)) == f"file:{tmp_path / 'printer.bin'}"


def test_bad_paper_width_is_refused(make_printer: PrinterFactory) -> None:
    with pytest.raises(ValueError, match="纸宽"):
        make_printer(columns=40)


# -- the file printer: exact bytes ----------------------------------------------------------


def output_of(printer: EscposReceiptPrinter) -> bytes:
    return Path(printer.spec.path).read_bytes()


@pytest.mark.parametrize("columns", [32, 48])
@pytest.mark.parametrize("outcome", list(DECISIONS))
def test_the_file_printer_gets_exactly_what_render_shows(
    outcome: str, columns: int, make_printer: PrinterFactory
) -> None:
    printer = make_printer(columns=columns)
    port: ReceiptPrinter = printer  # the adapter satisfies the port (checked by mypy)
    slip = make_slip(outcome)
    port.print(slip)
    data = output_of(printer)
    assert data.startswith(INIT + CHINESE_ON)
    assert SIZE_TALL in data and SIZE_NORMAL in data
    assert b"\x1b!" not in data  # ESC ! does not enlarge hanzi
    assert decode_jobs(data) == [printer.render(slip) + "\n"]
    assert RAW_PHONE.encode() not in data and RAW_NAME.encode("gb18030") not in data
    assert "138****5678".encode("gb18030") in data
    if slip.case_number:
        assert b"1P0" + slip.case_number.encode() in data  # the QR holds the case number
    assert printer.queued() == []


def test_the_file_printer_appends_job_after_job(make_printer: PrinterFactory) -> None:
    printer = make_printer()
    printer.print(make_slip("escalate"))
    printer.print(make_slip("redirect"))
    assert decode_jobs(output_of(printer)) == [
        printer.render(make_slip("escalate")) + "\n",
        printer.render(make_slip("redirect")) + "\n",
    ]


def test_yen_prints_as_fullwidth_yen(make_printer: PrinterFactory) -> None:
    printer = make_printer()
    printer.print(make_slip("incomplete"))
    data = output_of(printer)
    assert "￥20".encode("gb18030") in data and "¥".encode("gb18030") not in data


def test_a_rare_character_prints_as_a_box(make_printer: PrinterFactory) -> None:
    printer = make_printer()
    slip = make_slip("escalate", applicant_name="䶮小明")
    printer.print(slip)
    assert "申请人：□*明" in printer.render(slip)
    assert "□*明".encode("gbk") in output_of(printer)


# -- failures and the reprint queue ----------------------------------------------------------


class FlakyDevice(Dummy):
    """A python-escpos device that takes some bytes, then fails (paper jam, cable pulled)."""

    def __init__(self, fail_after: int = 100) -> None:
        super().__init__()
        self.fail_after = fail_after

    def _raw(self, msg: bytes) -> None:
        taken = len(self.output)
        if taken + len(msg) > self.fail_after:
            super()._raw(msg[: self.fail_after - taken])
            raise OSError(5, "Input/output error")
        super()._raw(msg)


def test_a_failure_mid_job_queues_the_slip_and_retry_prints_it(
    make_printer: PrinterFactory,
) -> None:
    flaky = FlakyDevice()
    printer = make_printer(connect=lambda spec: flaky)
    slip = make_slip("grey_zone")
    with pytest.raises(PrinterError, match="未能打印.*补打队列"):
        printer.print(slip)
    assert 0 < len(flaky.output) <= 100
    [job] = printer.queued()
    assert job.kind == "slip" and job.attempts == 1 and "通信失败" in job.error
    assert printer.render_queued(job) == printer.render(slip)

    retry = printer.retry_queued()
    assert retry.printed == [] and retry.remaining == 1 and retry.error
    assert printer.queued()[0].attempts == 2

    good = Dummy()
    printer_ok = make_printer(connect=lambda spec: good)
    result = printer_ok.retry_queued()
    assert result.printed == [job.id] and result.remaining == 0 and result.error is None
    assert decode_jobs(good.output) == [printer.render(slip) + "\n"]
    assert printer_ok.queued() == []


def test_nothing_is_lost_when_several_slips_fail(make_printer: PrinterFactory) -> None:
    broken = make_printer(connect=lambda spec: FlakyDevice(0))
    slips = [make_slip(outcome) for outcome in DECISIONS]
    for slip in slips:
        with pytest.raises(PrinterError):
            broken.print(slip)
    assert len(broken.queued()) == len(slips)
    good = Dummy()
    result = make_printer(connect=lambda spec: good).retry_queued()
    assert len(result.printed) == len(slips)
    assert decode_jobs(good.output) == [broken.render(s) + "\n" for s in slips]


def test_the_reprint_queue_never_holds_the_raw_contact(
    make_printer: PrinterFactory, tmp_path: Path
) -> None:
    printer = make_printer(connect=lambda spec: FlakyDevice(0))
    with pytest.raises(PrinterError):
        printer.print(make_slip("escalate"))
    [path] = (tmp_path / "spool" / "reprint").glob("*.json")
    content = path.read_text(encoding="utf-8")
    assert RAW_PHONE not in content and RAW_NAME not in content
    assert json.loads(content)["payload"]["applicant_phone"] == "138****5678"
    assert not list(path.parent.glob(".tmp-*"))  # atomic write left no temporary file


def test_a_spool_that_cannot_be_written_is_reported(
    make_printer: PrinterFactory, tmp_path: Path
) -> None:
    (tmp_path / "spool").write_text("not a directory")
    printer = make_printer(connect=lambda spec: FlakyDevice(0))
    with pytest.raises(PrinterError, match="也未能存入补打队列"):
        printer.print(make_slip("escalate"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_closed_tcp_port_fails_fast_and_queues(make_printer: PrinterFactory) -> None:
    port = free_port()
    printer = make_printer(f"tcp:127.0.0.1:{port}")
    started = time.monotonic()
    with pytest.raises(PrinterError, match=f"连接不上打印机 tcp:127.0.0.1:{port}"):
        printer.print(make_slip("escalate"))
    assert time.monotonic() - started < 3
    assert len(printer.queued()) == 1


@pytest.mark.skipif(Usb.is_usable(), reason="pyusb is installed")
def test_usb_without_pyusb_is_a_printer_error(make_printer: PrinterFactory) -> None:
    printer = make_printer("usb:0416:5011")
    with pytest.raises(PrinterError, match="pyusb"):
        printer.print(make_slip("escalate"))
    assert len(printer.queued()) == 1


class FakeNetworkPrinter:
    """A TCP printer on 127.0.0.1: answers the status query with `status`, records the rest."""

    def __init__(self, status: bytes | None) -> None:
        self.status = status
        self.received = bytearray()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            while chunk := connection.recv(65536):
                self.received += chunk
                if self.status is not None and self.received == STATUS_QUERY:
                    connection.sendall(self.status)

    def close(self) -> bytes:
        self.thread.join(timeout=5)
        self.server.close()
        return bytes(self.received)


@pytest.fixture
def network_printer(request: pytest.FixtureRequest) -> Iterator[FakeNetworkPrinter]:
    fake = FakeNetworkPrinter(request.param)
    yield fake
    fake.server.close()


@pytest.mark.parametrize(
    "network_printer", [b"\x12", None], indirect=True, ids=["online", "silent"]
)
def test_a_network_printer_gets_the_job_after_the_status_check(
    network_printer: FakeNetworkPrinter, make_printer: PrinterFactory
) -> None:
    printer = make_printer(f"tcp:127.0.0.1:{network_printer.port}", columns=48)
    slip = make_slip("incomplete")
    printer.print(slip)
    received = network_printer.close()
    assert received.startswith(STATUS_QUERY)
    assert decode_jobs(received[len(STATUS_QUERY) :]) == [printer.render(slip) + "\n"]


@pytest.mark.parametrize("network_printer", [b"\x1a"], indirect=True)
def test_an_offline_network_printer_is_an_error(
    network_printer: FakeNetworkPrinter, make_printer: PrinterFactory
) -> None:
    printer = make_printer(f"tcp:127.0.0.1:{network_printer.port}")
    with pytest.raises(PrinterError, match="脱机"):
        printer.print(make_slip("escalate"))
    assert network_printer.close() == STATUS_QUERY  # nothing was printed
    assert len(printer.queued()) == 1


# -- the filing form -------------------------------------------------------------------------

FORM: dict[str, Any] = {"applicant": RAW_NAME, "contact": RAW_PHONE, "matter": "食品经营许可"}


def test_the_filing_form_prints_its_copies_cut_apart(make_printer: PrinterFactory) -> None:
    printer = make_printer()
    printer.print_filing_form(FORM)
    data = output_of(printer)
    assert data.count(b"\x1dV") == 3
    assert decode_jobs(data) == [printer.render_filing_form(FORM) + "\n"]
    assert RAW_PHONE.encode() not in data


def test_a_failed_filing_form_is_queued_masked_and_reprinted(make_printer: PrinterFactory) -> None:
    broken = make_printer(connect=lambda spec: FlakyDevice(0))
    with pytest.raises(PrinterError):
        broken.print_filing_form(FORM)
    [job] = broken.queued()
    assert job.kind == "filing_form" and RAW_PHONE not in json.dumps(dict(job.payload))
    good = Dummy()
    make_printer(connect=lambda spec: good).retry_queued()
    assert decode_jobs(good.output) == [broken.render_filing_form(FORM) + "\n"]


def test_unknown_form_fields_are_refused_and_not_queued(make_printer: PrinterFactory) -> None:
    printer = make_printer()
    with pytest.raises(ValueError, match="登记表没有这些栏目"):
        printer.print_filing_form({"nonsense": "x"})
    assert printer.queued() == []


# -- print-test ------------------------------------------------------------------------------


def test_print_test_prints_a_sample_of_every_outcome(make_printer: PrinterFactory) -> None:
    printer = make_printer()
    slips = sample_slips(list(DECISIONS.values()), "HJ", "2026-11-27T10:30:00+08:00")
    results = print_test(printer, slips)
    assert [r.outcome for r in results] == list(DECISIONS)
    assert all(r.error is None for r in results)
    assert decode_jobs(output_of(printer)) == [r.text + "\n" for r in results]
    assert "HJ-TEST-0002" in results[1].text and "编号" not in results[0].text


def test_print_test_stops_at_the_first_failure(make_printer: PrinterFactory) -> None:
    printer = make_printer(connect=lambda spec: FlakyDevice(0))
    slips = sample_slips(list(DECISIONS.values()), "HJ", "2026-11-27T10:30:00+08:00")
    results = print_test(printer, slips)
    assert len(results) == 1 and results[0].error and "补打队列" in results[0].error
    assert len(printer.queued()) == 1


def test_real_decisions_of_every_outcome_print(services: Any, tmp_path: Path) -> None:
    printer = EscposReceiptPrinter(
        f"file:{tmp_path / 'printer.bin'}", 32, services.catalogue, services.calendar, tmp_path
    )
    decisions = [
        services.classification.classify(
            dict(request, received_at="2026-12-28T10:30:00+08:00")
        ).decision
        for request in SAMPLE_REQUESTS.values()
    ]
    assert [d["outcome"] for d in decisions] == list(SAMPLE_REQUESTS)
    results = print_test(
        printer,
        sample_slips(decisions, services.catalogue.centre.code, "2026-12-28T10:30:00+08:00"),
    )
    assert all(r.error is None for r in results)
    assert decode_jobs((tmp_path / "printer.bin").read_bytes()) == [r.text + "\n" for r in results]
    assert "预计（以国务院公布安排为准）" in results[-1].text
