"""`kiosk db verify|backup|restore`: check, back up and restore the case store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.bootstrap import Services
from kiosk.domain.ports import StoreError
from kiosk.store.backup import BackupError, RestoreRefused, backup, restore
from kiosk.store.verify import scan_store

EXIT_PROBLEMS, EXIT_INPUT, EXIT_STORE = 1, 2, 3


def add_parsers(sub: argparse._SubParsersAction, common: list[argparse.ArgumentParser]) -> None:
    """Add the `db` subcommand and its `verify`, `backup` and `restore` commands.

    Args:
        sub: The subparsers of the `kiosk` parser.
        common: Parent parsers with the shared options (--data, --state).
    """
    db = sub.add_parser("db", help="案件存储的校验、备份与恢复").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("verify", help="校验所有案件文件、哈希链和编号连续性", parents=common)
    p = db.add_parser("backup", help="备份案件存储（运行中也可备份）", parents=common)
    p.add_argument("dest", type=Path, help="备份目录（必须尚不存在）")
    p = db.add_parser("restore", help="从备份恢复案件存储（先核对备份清单）", parents=common)
    p.add_argument("src", type=Path, help="备份目录")
    p.add_argument("--force", action="store_true", help="覆盖非空的存储（原存储改名保留）")


def run_db(services: Services, args: argparse.Namespace) -> int:
    """Carry out a `kiosk db` command.

    Args:
        services: The composed services; ``state_dir / "cases"`` is the store.
        args: The parsed arguments.

    Returns:
        0 ok, 1 problems found (damage or a bad backup), 2 bad input, 3 the store refused.
    """
    root = services.state_dir / "cases"
    command = args.db_command
    try:
        if command == "verify":
            return _verify(root)
        if command == "backup":
            done = backup(root, args.dest)
            print(f"已备份到 {done.path}：{done.files} 个文件，{done.cases} 件案件，已核对清单")
        else:
            if not args.src.is_dir():
                print(f"kiosk db: 备份目录不存在：{args.src}", file=sys.stderr)
                return EXIT_INPUT
            done = restore(args.src, root, force=args.force)
            print(f"已从 {args.src} 恢复到 {done.path}：{done.files} 个文件，{done.cases} 件案件")
            return _verify(root)
    except FileExistsError as error:
        print(f"kiosk db: {error}", file=sys.stderr)
        return EXIT_INPUT
    except BackupError as error:
        print(f"kiosk db: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except (RestoreRefused, StoreError, OSError) as error:
        print(f"kiosk db: {error}", file=sys.stderr)
        return EXIT_STORE
    return 0


def _verify(root: Path) -> int:
    """Print every finding of a store check and a summary; 1 when there is damage."""
    report = scan_store(root)
    for problem in report.problems:
        print(problem)
    serious = sum(problem.serious for problem in report.problems)
    print(
        f"校验完成：{report.files} 个文件，{report.cases} 件案件"
        f"（{report.chained} 件有哈希链），发现 {serious} 处问题"
    )
    return 0 if report.ok else EXIT_PROBLEMS
