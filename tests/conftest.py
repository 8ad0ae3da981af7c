"""Shared fixtures: the bundled demo centre, loaded once."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import settings

from kiosk.domain.request import CHINA_TZ
from kiosk.engine.checker import LoadedData, load_data

# `make test` must give the same answer on every run (a red CI blocks landing), so property
# tests use derandomized examples there; `make soak` (KIOSK_SOAK=1) explores new ones.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("soak", deadline=None, print_blob=True)
settings.load_profile("soak" if os.environ.get("KIOSK_SOAK") else "ci")

BUNDLED_DATA = Path(__file__).resolve().parents[1]
FIXED_NOW = datetime(2026, 11, 27, 10, 30, tzinfo=CHINA_TZ)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The bundled demo data directory."""
    return BUNDLED_DATA


@pytest.fixture(scope="session")
def demo() -> LoadedData:
    """Catalogue, calendar and rules of the demo centre."""
    return load_data(BUNDLED_DATA)


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Real services on the demo centre with a fixed clock and a temporary state dir."""
    from kiosk.bootstrap import build_services

    return build_services(BUNDLED_DATA, tmp_path_factory.mktemp("state"), clock=lambda: FIXED_NOW)
