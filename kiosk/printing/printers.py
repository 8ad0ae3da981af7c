"""Printer specs, python-escpos connections and the ESC/POS ReceiptPrinter adapter."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from escpos.constants import RT_MASK_ONLINE, RT_STATUS_ONLINE
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import File, Network, Serial, Usb

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.ports import PrinterError, Slip
from kiosk.printing.escpos_text import QR_MODES, encode_job
from kiosk.printing.layout import PAPER_COLUMNS, Line
from kiosk.printing.slip import (
    compose_filing_form,
    compose_slip,
    mask_form_fields,
    render_lines,
)
from kiosk.printing.spool import FILING_FORM, SLIP, QueuedJob, ReprintQueue, slip_payload
from kiosk.printing.templates import Templates, load_templates

CONNECT_TIMEOUT_S = 3.0  # python-escpos waits 60 s on a network printer by default
STATUS_TIMEOUT_S = 1.0  # a printer that does not answer the status query is not an error
CHUNK_BYTES = 4096
DEFAULT_BAUDRATE = 9600
SPEC_HELP = (
    "应为 usb:厂商ID:产品ID（十六进制，如 usb:0416:5011）、tcp:主机:端口（如 "
    "tcp:192.168.1.50:9100）、serial:设备[:波特率]（如 serial:/dev/ttyUSB0）或 file:路径"
)


@dataclass(frozen=True)
class PrinterSpec:
    """Where the receipt printer is; `str(spec)` gives the canonical spec text."""

    kind: str  # usb | tcp | serial | file
    vendor_id: int = 0
    product_id: int = 0
    host: str = ""
    port: int = 0
    device: str = ""
    baudrate: int = DEFAULT_BAUDRATE
    path: str = ""

    def __str__(self) -> str:
        if self.kind == "usb":
            return f"usb:{self.vendor_id:04x}:{self.product_id:04x}"
        if self.kind == "tcp":
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"tcp:{host}:{self.port}"
        if self.kind == "serial":
            suffix = "" if self.baudrate == DEFAULT_BAUDRATE else f":{self.baudrate}"
            return f"serial:{self.device}{suffix}"
        return f"file:{self.path}"


def _bad(text: str, reason: str) -> ValueError:
    return ValueError(f"打印机设置不正确：{text}（{reason}）。{SPEC_HELP}")


def _number(text: str, value: str, what: str, base: int, low: int, high: int) -> int:
    try:
        number = int(value, base)
    except ValueError:
        raise _bad(text, f"{what}“{value}”不是数字") from None
    if not low <= number <= high:
        raise _bad(text, f"{what}超出范围")
    return number


def parse_printer_spec(text: str) -> PrinterSpec:
    """Parse a printer spec; the same syntax in the config file and on the command line.

    `usb:VID:PID` (hexadecimal, `0x` optional), `tcp:HOST:PORT` (IPv6 in brackets),
    `serial:DEVICE[:BAUD]`, `file:PATH` (bytes are appended to the file).

    Args:
        text: the spec.

    Returns:
        The parsed spec.

    Raises:
        ValueError: the spec is malformed; the message is in Chinese and shows the syntax.
    """
    text = text.strip()
    kind, sep, rest = text.partition(":")
    kind = kind.lower()
    if not sep or not rest:
        raise _bad(text, "缺少类型或参数")
    if kind == "usb":
        parts = rest.split(":")
        if len(parts) != 2:
            raise _bad(text, "USB 需要厂商ID和产品ID两项")
        vid, pid = (p.lower().removeprefix("0x") for p in parts)
        return PrinterSpec(
            "usb",
            vendor_id=_number(text, vid, "厂商ID", 16, 1, 0xFFFF),
            product_id=_number(text, pid, "产品ID", 16, 1, 0xFFFF),
        )
    if kind == "tcp":
        host, sep, port = rest.rpartition(":")
        if not sep or not host:
            raise _bad(text, "网络打印机需要主机和端口")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if not host or any(c.isspace() for c in host) or "/" in host:
            raise _bad(text, "主机名不正确")
        return PrinterSpec("tcp", host=host, port=_number(text, port, "端口", 10, 1, 65535))
    if kind == "serial":
        device, sep, baud = rest.rpartition(":")
        if sep and baud.isdigit() and device:
            return PrinterSpec(
                "serial", device=device, baudrate=_number(text, baud, "波特率", 10, 50, 4000000)
            )
        return PrinterSpec("serial", device=rest)
    if kind == "file":
        return PrinterSpec("file", path=rest)
    raise _bad(text, f"未知类型“{kind}”")


def default_printer_spec(spool_dir: Path) -> PrinterSpec:
    """The file printer used when no printer is configured: `<spool_dir>/printer.bin`."""
    return PrinterSpec("file", path=str(Path(spool_dir) / "printer.bin"))


class AppendingFile(File):
    """python-escpos File printer that appends (the library truncates) and creates the folder."""

    def open(self, raise_not_found: bool = True) -> None:
        """Open the file for appending; DeviceNotFoundError when that is impossible."""
        if self._device:
            self.close()
        try:
            Path(self.devfile).parent.mkdir(parents=True, exist_ok=True)
            handle: IO[bytes] | None = open(self.devfile, "ab")  # noqa: SIM115 - closed by close()
        except OSError as error:
            handle = None
            if raise_not_found:
                raise DeviceNotFoundError(f"{self.devfile}: {error}") from error
        self.device = handle


def open_connection(spec: PrinterSpec, timeout: float = CONNECT_TIMEOUT_S) -> Escpos:
    """Build the python-escpos printer object for a spec (it connects on first use).

    Args:
        spec: where the printer is.
        timeout: seconds to wait for the printer (USB writes, TCP connect and send, serial).

    Returns:
        The printer object.

    Raises:
        PrinterError: the driver library for USB (pyusb) or serial (pyserial) is missing.
    """
    if spec.kind == "usb":
        if not Usb.is_usable():
            raise PrinterError("未安装 pyusb，不能使用 USB 打印机（可改用 tcp: 或 file:）")
        return Usb(spec.vendor_id, spec.product_id, timeout=int(timeout * 1000))
    if spec.kind == "tcp":
        return Network(spec.host, spec.port, timeout=timeout)
    if spec.kind == "serial":
        if not Serial.is_usable():
            raise PrinterError("未安装 pyserial，不能使用串口打印机（可改用 tcp: 或 file:）")
        return Serial(spec.device, baudrate=spec.baudrate, timeout=timeout)
    return AppendingFile(spec.path)


def check_ready(printer: Escpos, spec: PrinterSpec) -> None:
    """Open the connection and ask a real printer whether it is online (`DLE EOT 1`).

    A file printer is only opened. A printer that does not answer within STATUS_TIMEOUT_S is
    assumed ready (many cheap printers never answer); one that answers "offline" (cover open,
    paper out) is not.

    Raises:
        PrinterError: the printer reports that it is offline.
        Exception: whatever the library raises when the connection cannot be opened.
    """
    printer.open()
    if spec.kind == "file":
        return
    sock = getattr(printer, "device", None)
    previous = sock.gettimeout() if isinstance(sock, socket.socket) else None
    try:
        if isinstance(sock, socket.socket):
            sock.settimeout(STATUS_TIMEOUT_S)
        status = printer.query_status(RT_STATUS_ONLINE)
    except (TimeoutError, NotImplementedError):
        return
    except Exception as error:  # pyusb/pyserial read timeouts have their own classes
        if "timeout" in type(error).__name__.lower() or "timed out" in str(error).lower():
            return
        raise
    finally:
        if isinstance(sock, socket.socket):
            sock.settimeout(previous)
    if status and status[0] & RT_MASK_ONLINE:
        raise PrinterError("打印机脱机（可能缺纸或纸仓盖未合上）")


def describe_failure(error: BaseException, spec: PrinterSpec) -> str:
    """A one-line Chinese reason for a printing failure, naming the printer."""
    if isinstance(error, PrinterError):
        return f"{error}（{spec}）"
    if isinstance(error, DeviceNotFoundError):
        return f"连接不上打印机 {spec}"
    if isinstance(error, TimeoutError):
        return f"打印机 {spec} 响应超时"
    if isinstance(error, ConnectionError):
        return f"与打印机 {spec} 的连接中断或被拒绝"
    if isinstance(error, OSError):
        return f"打印机 {spec} 通信失败：{error.strerror or error}"
    if isinstance(error, ValueError):
        return f"回执无法排版：{error}"
    return f"打印机 {spec} 出错：{type(error).__name__}"


@dataclass(frozen=True)
class RetryResult:
    """What `retry_queued` did."""

    printed: list[str]  # ids of the jobs that printed and left the queue
    remaining: int  # jobs still queued
    error: str | None  # why the first failing job failed; later jobs were not tried


class EscposReceiptPrinter:
    """The ReceiptPrinter port on an ESC/POS printer; failed jobs go to a reprint queue."""

    def __init__(
        self,
        spec: PrinterSpec | str,
        paper_columns: int,
        catalogue: Catalogue,
        calendar: WorkingCalendar,
        spool_dir: Path,
        *,
        templates: Templates | None = None,
        receipts_dir: Path | None = None,
        qr_mode: str = "native",
        timeout: float = CONNECT_TIMEOUT_S,
        connect: Callable[[PrinterSpec], Escpos] | None = None,
    ) -> None:
        """Set up the printer; nothing is opened until the first print.

        Args:
            spec: printer spec (text or parsed), e.g. `file:/var/lib/kiosk/printer.bin`.
            paper_columns: 32 (58 mm) or 48 (80 mm).
            catalogue: the centre pack.
            calendar: the working-day calendar.
            spool_dir: directory of the print spool; queued jobs go to `<spool_dir>/reprint`.
            templates: parsed templates; read from `receipts_dir` when None.
            receipts_dir: the receipts directory (default: the repository's `receipts/`).
            qr_mode: `native` (GS ( k), `image` (raster) or `text` (marker line only).
            timeout: seconds to wait for the printer.
            connect: builds the python-escpos object (tests pass fakes).

        Raises:
            ValueError: bad spec, paper width or QR mode (Chinese message).
            TemplateError: the templates cannot be read.
        """
        self.spec = spec if isinstance(spec, PrinterSpec) else parse_printer_spec(spec)
        if paper_columns not in PAPER_COLUMNS:
            raise ValueError(f"纸宽只能是 32 列（58 毫米）或 48 列（80 毫米）：{paper_columns}")
        if qr_mode not in QR_MODES:
            raise ValueError(f"二维码方式只能是 {'/'.join(QR_MODES)}：{qr_mode}")
        self.columns = paper_columns
        self.catalogue = catalogue
        self.calendar = calendar
        self.templates = templates or load_templates(receipts_dir)
        self.qr_mode = qr_mode
        self.queue = ReprintQueue(Path(spool_dir) / "reprint")
        self._connect = connect or (lambda s: open_connection(s, timeout))

    # -- the ReceiptPrinter port -------------------------------------------------------------

    def lines(self, slip: Slip, *, contact_masked: bool = False) -> list[Line]:
        """The slip's paper lines (see `compose_slip`)."""
        return compose_slip(
            slip,
            self.catalogue,
            self.calendar,
            self.columns,
            self.templates.slip,
            contact_masked=contact_masked,
        )

    def render(self, slip: Slip) -> str:
        """The slip as plain text, exactly as it prints, one line per paper line."""
        return render_lines(self.lines(slip))

    def print(self, slip: Slip) -> None:
        """Print the slip; on any failure queue it for reprint and raise PrinterError."""
        self._print_or_queue(SLIP, slip_payload(slip), lambda: self.lines(slip))

    # -- the 否决事项报备登记表 -----------------------------------------------------------------

    def form_lines(self, fields: Mapping[str, object], *, masked: bool = False) -> list[Line]:
        """The filing form's paper lines, all copies (see `compose_filing_form`)."""
        return compose_filing_form(
            fields, self.catalogue, self.columns, self.templates.filing_form, contact_masked=masked
        )

    def render_filing_form(self, fields: Mapping[str, object]) -> str:
        """The filing form in its three copies as plain text, exactly as it prints."""
        return render_lines(self.form_lines(fields))

    def print_filing_form(self, fields: Mapping[str, object]) -> None:
        """Print the filing form's copies (cut apart); on failure queue it and raise PrinterError.

        Raises:
            ValueError: a key is not a field of the form (nothing is queued).
        """
        masked = mask_form_fields(fields, self.templates.filing_form)
        self.form_lines(masked, masked=True)  # refuse unknown keys before queueing anything
        self._print_or_queue(FILING_FORM, masked, lambda: self.form_lines(masked, masked=True))

    # -- the reprint queue -------------------------------------------------------------------

    def queued(self) -> list[QueuedJob]:
        """Jobs waiting for reprint, oldest first."""
        return self.queue.list()

    def render_queued(self, job: QueuedJob) -> str:
        """The text of a queued job, as it will print."""
        return render_lines(self._job_lines(job))

    def retry_queued(self, job_ids: Iterable[str] | None = None) -> RetryResult:
        """Print queued jobs oldest first, removing each once printed; stop at the first failure.

        Args:
            job_ids: only these jobs; all when None.

        Returns:
            What printed, how many remain and the failure, if any.
        """
        wanted = None if job_ids is None else set(job_ids)
        printed: list[str] = []
        error: str | None = None
        for job in self.queue.list():
            if wanted is not None and job.id not in wanted:
                continue
            try:
                self._send(encode_job(self._job_lines(job), self.qr_mode))
            except Exception as failure:
                error = describe_failure(failure, self.spec)
                with contextlib.suppress(OSError):
                    self.queue.failed_again(job, error)
                break
            self.queue.remove(job.id)
            printed.append(job.id)
        return RetryResult(printed, len(self.queue.list()), error)

    # -- internals ---------------------------------------------------------------------------

    def _job_lines(self, job: QueuedJob) -> list[Line]:
        if job.kind == FILING_FORM:
            return self.form_lines(job.payload, masked=True)
        return self.lines(job.slip(), contact_masked=True)

    def _print_or_queue(
        self, kind: str, payload: Mapping[str, Any], build: Callable[[], Sequence[Line]]
    ) -> None:
        try:
            self._send(encode_job(build(), self.qr_mode))
        except Exception as failure:
            reason = describe_failure(failure, self.spec)
            try:
                self.queue.add(kind, payload, reason)
            except OSError as spool_error:
                raise PrinterError(
                    f"未能打印：{reason}；也未能存入补打队列（{spool_error.strerror or spool_error}），"
                    "请在屏幕上查看回执内容"
                ) from failure
            raise PrinterError(f"未能打印：{reason}。已存入补打队列，可稍后补打") from failure

    def _send(self, data: bytes) -> None:
        printer = self._connect(self.spec)
        try:
            check_ready(printer, self.spec)
            for start in range(0, len(data), CHUNK_BYTES):
                printer._raw(data[start : start + CHUNK_BYTES])
            flush = getattr(printer, "flush", None)
            if callable(flush):
                flush()
        finally:
            with contextlib.suppress(Exception):
                printer.close()
