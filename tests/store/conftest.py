"""Fixtures for the store tests: every contract test runs against both repositories."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.domain.ports import CaseRepository
from kiosk.store import InMemoryCaseRepository, TinyDbCaseRepository
from tests.store.support import start_worker

# Small chunks in tests so a handful of cases already spans several chunk files.
TEST_CHUNK_SIZE = 4


@dataclass
class Backend:
    """A repository under test and a way to open it again (the same one for memory)."""

    name: str
    repo: CaseRepository
    reopen: Callable[[], CaseRepository]


@pytest.fixture(params=["memory", "tinydb"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Each repository implementation in turn."""
    if request.param == "memory":
        memory = InMemoryCaseRepository()
        return Backend("memory", memory, lambda: memory)
    root = tmp_path / "store"
    repo = TinyDbCaseRepository(root, chunk_size=TEST_CHUNK_SIZE)
    return Backend("tinydb", repo, lambda: TinyDbCaseRepository(root))


@pytest.fixture
def repo(backend: Backend) -> CaseRepository:
    """The repository of the current backend."""
    return backend.repo


@pytest.fixture
def store_root(tmp_path: Path) -> Path:
    """Directory of a TinyDB store for the TinyDB-only tests."""
    return tmp_path / "store"


@pytest.fixture
def tiny(store_root: Path) -> TinyDbCaseRepository:
    """A fresh TinyDB repository with small chunks."""
    return TinyDbCaseRepository(store_root, chunk_size=TEST_CHUNK_SIZE)


Spawn = Callable[..., "subprocess.Popen[str]"]


@pytest.fixture
def spawn() -> Iterator[Spawn]:
    """Start worker processes (see support.start_worker); any still running at the end is killed."""
    started: list[subprocess.Popen[str]] = []

    def start(root: Path, *args: str) -> subprocess.Popen[str]:
        process = start_worker(root, *args)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:  # a failed test must not leave a hung writer behind
            process.kill()
            process.communicate()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the kill harness figures (kills survived, cases checked) when any kill test ran."""
    from tests.store.kill_harness import FIGURES

    if FIGURES["kills"]:
        figures = "，".join(f"{name} {value}" for name, value in sorted(FIGURES.items()))
        terminalreporter.write_line(f"store kill harness: {figures}")
