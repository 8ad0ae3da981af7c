"""Composition root: the one place that builds concrete adapters and hands them out."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.ports import CaseRepository
from kiosk.domain.services import (
    CaseService,
    ClassificationService,
    Clock,
    KioskContext,
    china_now,
)
from kiosk.domain.staff import AuthService
from kiosk.domain.workflow import CaseWorkflow
from kiosk.engine.checker import RulesReloader, load_data
from kiosk.engine.durable_classifier import DurableClassifier
from kiosk.engine.supervised import SupervisedClassifier

BUNDLED_DATA = Path(__file__).resolve().parents[1]


def default_state_dir() -> Path:
    """`KIOSK_STATE`, else the platform's user data directory."""
    env = os.environ.get("KIOSK_STATE")
    return Path(env) if env else Path(platformdirs.user_data_dir("kiosk", appauthor=False))


@dataclass
class Services:
    """Everything the CLI and the app need, built once."""

    data_dir: Path
    state_dir: Path
    catalogue: Catalogue
    calendar: WorkingCalendar
    classifier: DurableClassifier | SupervisedClassifier
    classification: ClassificationService
    reloader: RulesReloader
    clock: Clock = china_now
    _repository: CaseRepository | None = field(default=None, repr=False)

    @property
    def repository(self) -> CaseRepository:
        """The case store, opened on first use (classifying alone needs no state directory)."""
        if self._repository is None:
            from kiosk.store.tinydb_repository import TinyDbCaseRepository

            self._repository = TinyDbCaseRepository(self.state_dir / "cases")
        return self._repository

    def auth(self, lockout_minutes: float = 15.0) -> AuthService:
        """Staff sign-in over `STATE/staff.json`."""
        from kiosk.store.staff_file import JsonStaffRepository

        repo = JsonStaffRepository(self.state_dir / "staff.json")
        return AuthService(repo, self.clock, lockout_minutes=lockout_minutes)

    def workflow(self, approaching_days: int = 1) -> CaseWorkflow:
        """The case workflow over the store (permissions are checked there)."""
        return CaseWorkflow(
            self.repository,
            self.catalogue,
            self.calendar,
            self.clock,
            approaching_days=approaching_days,
        )

    @property
    def cases(self) -> CaseService:
        """The case service over the store."""
        return CaseService(self.repository, self.catalogue, self.clock)


def build_services(
    data_dir: Path | None = None,
    state_dir: Path | None = None,
    clock: Clock = china_now,
    supervised: bool = False,
) -> Services:
    """Load a data directory and wire the real adapters.

    Args:
        data_dir: directory holding `guides/` and `rules/`; the bundled demo centre when None.
        state_dir: store, spool and logs; `KIOSK_STATE` or the user data directory when None.
        clock: the time source.
        supervised: run the rules engine in a watched child process (the kiosk app).

    Raises:
        SourceError: when the data directory has problems.
    """
    data_dir = (data_dir or BUNDLED_DATA).resolve()
    data = load_data(data_dir)
    # The unattended kiosk runs durable_rules in a watched child process (a crash or hang in
    # the C engine must not freeze it); one-shot commands use it in-process for a fast start.
    classifier = (
        SupervisedClassifier(data.ruleset) if supervised else DurableClassifier(data.ruleset)
    )
    return Services(
        data_dir=data_dir,
        state_dir=state_dir or default_state_dir(),
        catalogue=data.catalogue,
        calendar=data.calendar,
        classifier=classifier,
        classification=ClassificationService(data.catalogue, classifier, data.calendar, clock),
        reloader=RulesReloader(data_dir, classifier, data.catalogue),
        clock=clock,
    )


@dataclass(frozen=True)
class TerminalConfig:
    """Per-terminal settings from `STATE/kiosk.toml` (printer, paper, idle time)."""

    printer: str = ""  # usb:VID:PID | tcp:HOST:PORT | serial:DEVICE | file:PATH; "" = spool file
    paper: str = "80mm"
    idle_seconds: float = 90.0
    lockout_minutes: float = 15.0  # after five wrong PINs
    approaching_days: int = 1  # flag cases due within this many working days
    session_minutes: float = 480.0  # staff sign-ins expire after this


def load_terminal_config(state_dir: Path) -> TerminalConfig:
    """Read `STATE/kiosk.toml`; a missing file means the defaults.

    Raises:
        ValueError: with a Chinese message naming the file when it is malformed.
    """
    path = state_dir / "kiosk.toml"
    if not path.exists():
        return TerminalConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return TerminalConfig(
            printer=str(data.get("printer", "")),
            paper=str(data.get("paper", "80mm")),
            idle_seconds=float(data.get("idle_seconds", 90)),
            lockout_minutes=float(data.get("lockout_minutes", 15)),
            approaching_days=int(data.get("approaching_days", 1)),
            session_minutes=float(data.get("session_minutes", 480)),
        )
    except (tomllib.TOMLDecodeError, ValueError, TypeError) as error:
        raise ValueError(f"{path}: 终端配置文件有误：{error}") from None


def build_printer(
    services: Services, printer: str | None = None, config: TerminalConfig | None = None
) -> Any:
    """The ESC/POS receipt printer named on the command line, in kiosk.toml, or the spool file."""
    from kiosk.printing.layout import columns_for_paper
    from kiosk.printing.printers import EscposReceiptPrinter, default_printer_spec

    config = config or load_terminal_config(services.state_dir)
    spool = services.state_dir / "spool"
    spec = printer or config.printer or str(default_printer_spec(spool))
    return EscposReceiptPrinter(
        spec,
        columns_for_paper(config.paper),
        services.catalogue,
        services.calendar,
        spool,
        receipts_dir=services.data_dir / "receipts",
    )


def build_context(
    services: Services, printer: str | None = None, allow_quit: bool = False
) -> KioskContext:
    """Everything the screens need, with real adapters."""
    from kiosk.search import PinyinMatterSearch

    config = load_terminal_config(services.state_dir)
    guides = services.data_dir / "guides"

    def read_document(reference: str) -> str:
        return (guides / reference).read_text(encoding="utf-8")

    def reload_rules() -> list[str]:
        services.reloader.reload_if_changed()
        return services.reloader.last_problems

    return KioskContext(
        catalogue=services.catalogue,
        calendar=services.calendar,
        classification=services.classification,
        cases=services.cases,
        search=PinyinMatterSearch(services.catalogue),
        printer=build_printer(services, printer, config),
        read_document=read_document,
        clock=services.clock,
        idle_seconds=config.idle_seconds,
        session_minutes=config.session_minutes,
        allow_quit=allow_quit,
        reload_rules=reload_rules,
        auth=services.auth(config.lockout_minutes),
        workflow=services.workflow(config.approaching_days),
        filing_pdf=lambda number, fields: write_filing_pdf_for(services, number, fields),
    )


def write_filing_pdf_for(services: Services, number: str, fields: Mapping[str, str]) -> str:
    """Write `STATE/forms/<case number>.pdf` for signing; returns its path."""
    from kiosk.printing.filing_pdf import write_filing_pdf

    path = services.state_dir / "forms" / f"{number}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_filing_pdf(fields, services.catalogue, path)
    return str(path)
