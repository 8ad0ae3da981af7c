"""Search fixtures: the demo catalogue and one index built over it."""

from __future__ import annotations

import pytest

from kiosk.domain.catalogue import Catalogue
from kiosk.engine.checker import LoadedData
from kiosk.search import PinyinMatterSearch


@pytest.fixture(scope="session")
def catalogue(demo: LoadedData) -> Catalogue:
    """The demo centre's catalogue, with guides/aliases.yaml."""
    return demo.catalogue


@pytest.fixture(scope="session")
def search(catalogue: Catalogue) -> PinyinMatterSearch:
    """The search index over the demo catalogue."""
    return PinyinMatterSearch(catalogue)
