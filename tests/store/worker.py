"""Child process for the store's kill and concurrency tests (run as a script, not collected)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from kiosk.domain.cases import Case, TimelineEntry
from kiosk.store import TinyDbCaseRepository


def make_case(index: int, created_at: str) -> Case:
    """A realistic small case; the index makes every one distinguishable.

    Args:
        index: Written into the description.
        created_at: ISO timestamp with offset.

    Returns:
        The case.
    """
    return Case(
        created_at=created_at,
        outcome="grey_zone",
        request={"matter": None, "description": f"测试 {index}"},
        decision={"outcome": "grey_zone", "reply_due": "2026-12-04"},
        applicant={"name": "张三", "phone": "13800000000"},
        timeline=[TimelineEntry(at=created_at, actor="窗口一", role="clerk", action="登记")],
    )


def stall_in_rename() -> None:
    """Make the next atomic rename hang after the temp file is complete (for a kill there)."""

    def hang(src: object, dst: object) -> None:
        sys.stdout.write(f"stall {src} {dst}\n")
        sys.stdout.flush()
        while True:
            time.sleep(1)

    os.replace = hang  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    """Add cases and print each number on its own line only after add() has returned.

    Args:
        argv: Command-line arguments (see --help).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--centre", default="HJ")
    parser.add_argument("--count", type=int, default=0, help="cases to add; 0 = until killed")
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--go", type=Path, help="wait until this file exists before writing")
    parser.add_argument("--days", type=int, default=1, help="spread cases over this many days")
    parser.add_argument("--update-every", type=int, default=0, help="also update every Nth case")
    parser.add_argument(
        "--stall-after", type=int, default=-1, help="after N adds, hang inside the next rename"
    )
    args = parser.parse_args(argv)

    repo = TinyDbCaseRepository(args.root, chunk_size=args.chunk_size)
    print("ready", flush=True)
    if args.go is not None:
        while not args.go.exists():
            time.sleep(0.005)
    index = 0
    while args.count == 0 or index < args.count:
        if index == args.stall_after:
            stall_in_rename()
        day = 20 + index % args.days
        case = repo.add(make_case(index, f"2026-11-{day:02d}T10:30:00+08:00"), args.centre)
        # The line is the acknowledgement: printed only once add() has returned.
        sys.stdout.write(f"{case.number}\n")
        sys.stdout.flush()
        if args.update_every and index % args.update_every == 0:
            case.record(
                TimelineEntry(at=case.created_at, actor="窗口一", role="clerk", action="改")
            )
            repo.update(case)
        index += 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
