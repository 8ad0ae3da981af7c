"""SIGKILL harness: kill worker processes at random moments and check the store after each kill."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.domain.cases import Case, parse_case_number
from kiosk.store import TinyDbCaseRepository
from kiosk.store.verify import scan_store
from tests.store.conftest import Spawn
from tests.store.support import load_every_file
from tests.store.worker import make_case

# Figures of every kill run in this session, printed in pytest's terminal summary.
FIGURES: dict[str, int] = defaultdict(int)


@dataclass
class Writer:
    """One worker process and what it has acknowledged so far (its k-th line is its case k)."""

    process: subprocess.Popen[str]
    days: int
    update_every: int
    acknowledged: list[str] = field(default_factory=list)


def wait_ready(process: subprocess.Popen[str]) -> None:
    """Wait for the worker's ``ready`` line (its store is open).

    Args:
        process: The worker.
    """
    assert process.stdout is not None
    assert process.stdout.readline() == "ready\n"


def kill_and_collect(process: subprocess.Popen[str]) -> list[str]:
    """SIGKILL a worker; the numbers it acknowledged are its complete output lines.

    Args:
        process: The worker.

    Returns:
        The acknowledged case numbers, in order.
    """
    process.send_signal(signal.SIGKILL)
    # Read through the text buffer: wait_ready's readline may already hold later lines, which
    # communicate() (reading the raw pipe) would drop.
    assert process.stdout is not None
    output = process.stdout.read()
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    FIGURES["kills"] += 1
    # A number is acknowledged only when its whole line (with newline) made it out.
    return [line for line in output.split("\n")[:-1] if line and not line.startswith("stall")]


def expected_case(writer: Writer, index: int) -> Case:
    """What the worker wrote as its case ``index`` (see worker.main).

    Args:
        writer: The worker.
        index: Its 0-based case index.

    Returns:
        The case as added, before any update.
    """
    day = 20 + index % writer.days
    return make_case(index, f"2026-11-{day:02d}T10:30:00+08:00")


def check_writer(repo: TinyDbCaseRepository, writer: Writer) -> None:
    """Every case the writer acknowledged is stored, with exactly the content it wrote.

    Args:
        repo: The store, freshly opened.
        writer: A killed worker.
    """
    last = len(writer.acknowledged) - 1
    for index, number in enumerate(writer.acknowledged):
        stored, expected = repo.get(number), expected_case(writer, index)
        assert parse_case_number(number)[1] == expected.day
        assert stored.request == expected.request
        assert stored.decision == expected.decision
        assert stored.applicant == expected.applicant
        assert (stored.created_at, stored.outcome) == (expected.created_at, expected.outcome)
        assert stored.timeline[0] == expected.timeline[0]
        actions = [entry.action for entry in stored.timeline]
        updated = writer.update_every and index % writer.update_every == 0
        if not updated:
            assert actions == ["登记"]
        elif index < last:  # the next acknowledgement came after the update returned
            assert actions == ["登记", "改"]
        else:  # killed after the add returned: the update may or may not have happened
            assert actions in (["登记"], ["登记", "改"])
        FIGURES["case checks"] += 1


def check_store(root: Path, writers: list[Writer]) -> None:
    """After kills: every file loads, the store opens and verifies, nothing acknowledged is lost.

    Args:
        root: The store directory.
        writers: Every worker that wrote into this store.
    """
    documents = load_every_file(root)
    repo = TinyDbCaseRepository(root)
    listed = [case.number for case in repo.list()]
    assert len(listed) == len(set(listed)) == documents == repo.count()
    report = scan_store(root)
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.chained == report.cases == documents
    acknowledged = [number for writer in writers for number in writer.acknowledged]
    assert len(acknowledged) == len(set(acknowledged))  # no number handed out twice
    assert set(acknowledged) <= set(listed)
    for writer in writers:
        check_writer(repo, writer)
    FIGURES["store checks"] += 1


def kill_rounds(
    spawn: Spawn,
    base: Path,
    *,
    kills: int,
    writers: int,
    seed: int,
    max_delay: float,
    fresh_every: int = 25,
) -> None:
    """Run writers into a store and SIGKILL each at its own random moment, checking every round.

    Args:
        spawn: The ``spawn`` fixture.
        base: A directory for the stores (a fresh one every ``fresh_every`` rounds).
        kills: At least this many kills in all.
        writers: Concurrent writers per round.
        seed: Random seed (the run is repeatable up to process timing).
        max_delay: Longest time a writer runs before its kill, in seconds.
        fresh_every: Rounds per store, so checks stay quick as stores grow.
    """
    rng = random.Random(seed)
    done, round_index = 0, 0
    history: list[Writer] = []
    root = base
    while done < kills:
        if round_index % fresh_every == 0:
            root, history = base / f"store-{round_index}", []
        centres = ["HJ", "HJ", "AK", "JD"][:writers] if writers > 1 else ["HJ"]
        days, update_every = rng.choice([1, 3]), rng.choice([0, 3])
        chunk = ["--chunk-size", "5"]
        args = ["--days", str(days), "--update-every", str(update_every), *chunk]
        started = [
            Writer(spawn(root, *args, "--centre", centre), days, update_every) for centre in centres
        ]
        for writer in started:
            wait_ready(writer.process)
        begin = time.monotonic()
        for delay, writer in sorted(
            ((rng.uniform(0, max_delay), w) for w in started), key=lambda item: item[0]
        ):
            time.sleep(max(0.0, begin + delay - time.monotonic()))
            writer.acknowledged = kill_and_collect(writer.process)
            FIGURES["cases acknowledged"] += len(writer.acknowledged)
        history += started
        check_store(root, history)
        done += len(started)
        round_index += 1
