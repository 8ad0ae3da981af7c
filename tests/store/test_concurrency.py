"""Several processes writing into one store: unique numbers, nothing lost, every file loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.domain.cases import parse_case_number
from kiosk.store import TinyDbCaseRepository
from kiosk.store.tinydb_repository import DEFAULT_CHUNK_SIZE
from tests.store.conftest import Spawn
from tests.store.support import chunk_files, load_every_file, soak_only


def _run_writers(spawn: Spawn, root: Path, workers_args: list[list[str]]) -> list[list[str]]:
    """Start one writer per argument list, release them at once, return their numbers."""
    go = root.parent / f"go-{len(list(root.parent.glob('go-*')))}"
    workers = [spawn(root, "--go", str(go), *args) for args in workers_args]
    for worker in workers:
        assert worker.stdout is not None
        assert worker.stdout.readline() == "ready\n"
    go.touch()  # all open and waiting: now they really contend for the lock
    results = []
    for worker in workers:
        output, _ = worker.communicate(timeout=600)
        assert worker.returncode == 0
        results.append(output.split())
    return results


def test_eight_processes_add_500_cases_each(tmp_path: Path, spawn: Spawn) -> None:
    """The acceptance run: 8 x 500 concurrent adds, default chunk size, one day."""
    root = tmp_path / "store"
    TinyDbCaseRepository(root)  # created once, so the writers race only on adds

    results = _run_writers(spawn, root, [["--count", "500"]] * 8)

    numbers = [number for result in results for number in result]
    assert len(numbers) == len(set(numbers)) == 4000
    for result in results:  # each writer saw its own numbers grow
        assert [parse_case_number(n)[2] for n in result] == sorted(
            parse_case_number(n)[2] for n in result
        )
    assert sorted(numbers) == [f"HJ-20261120-{seq:04d}" for seq in range(1, 4001)]
    repo = TinyDbCaseRepository(root)
    assert repo.count() == 4000
    assert [case.number for case in repo.list()] == sorted(numbers)
    assert load_every_file(root) == 4000
    for path in chunk_files(root):
        assert len(json.loads(path.read_bytes())["cases"]) <= DEFAULT_CHUNK_SIZE


@pytest.mark.slow
@soak_only
def test_soak_writers_with_updates_over_centres_and_days(tmp_path: Path, spawn: Spawn) -> None:
    root = tmp_path / "store"
    TinyDbCaseRepository(root, chunk_size=50)
    extra = ["--count", "1500", "--days", "5", "--update-every", "3"]
    centres = ["HJ"] * 6 + ["AK"] * 2

    results = _run_writers(spawn, root, [["--centre", centre, *extra] for centre in centres])

    numbers = [number for result in results for number in result]
    assert len(numbers) == len(set(numbers)) == 12000
    repo = TinyDbCaseRepository(root)
    assert repo.count() == 12000
    assert sorted(c.number for c in repo.list()) == sorted(numbers)
    assert all(len(repo.get(n).timeline) >= 1 for n in numbers[::97])
