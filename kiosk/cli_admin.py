"""`kiosk staff` and `kiosk report`: staff accounts and the business section's statistics."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from kiosk.bootstrap import Services
from kiosk.domain.ports import StoreError
from kiosk.domain.staff import ROLE_NAMES, Role, StaffError

EXIT_DATA, EXIT_INPUT, EXIT_STORE = 1, 2, 3


def add_parsers(sub: argparse._SubParsersAction, common: list[argparse.ArgumentParser]) -> None:
    """Add the `staff` and `report` subcommands."""
    staff = sub.add_parser("staff", help="管理工作人员账号").add_subparsers(
        dest="staff_command", required=True
    )
    p = staff.add_parser("add", help="新增工作人员", parents=common)
    p.add_argument("staff_id", help="工号")
    p.add_argument("--name", required=True, help="姓名")
    p.add_argument("--role", required=True, choices=[r.value for r in Role], help="角色")
    p.add_argument("--unit", default="", help="所属单位编号（见 kiosk catalogue --json）")
    p.add_argument("--window", default=None, help="窗口编号（窗口人员必填）")
    p.add_argument("--pin-stdin", action="store_true", help="从标准输入读取 PIN（脚本用）")
    p = staff.add_parser("disable", help="停用账号", parents=common)
    p.add_argument("staff_id")
    p = staff.add_parser("reset-pin", help="重置 PIN（同时解除锁定）", parents=common)
    p.add_argument("staff_id")
    p.add_argument("--pin-stdin", action="store_true", help="从标准输入读取 PIN（脚本用）")
    staff.add_parser("list", help="列出账号", parents=common)

    p = sub.add_parser("purge", help="清除超过保存期限的个人信息（统计数据保留）", parents=common)
    p.add_argument("--days", type=int, help="保存期限（天），默认取中心包 retention_days")

    p = sub.add_parser("report", help="导出统计报表（业务科室）", parents=common)
    p.add_argument("--from", dest="start", required=True, type=_day, help="起始日期 YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, type=_day, help="截止日期 YYYY-MM-DD")
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--out", type=Path, help="输出文件，默认 report-起始-截止.csv/xlsx")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式不正确：{text}（应为 YYYY-MM-DD）") from None


def _read_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass("新 PIN（4-8 位数字）：")
    if getpass.getpass("再输入一次：") != first:
        raise StaffError("两次输入的 PIN 不一致")
    return first


def run_staff(services: Services, args: argparse.Namespace) -> int:
    """Carry out a `kiosk staff` command."""
    auth = services.auth()
    command = args.staff_command
    try:
        if command == "add":
            if args.unit and args.unit not in services.catalogue.units:
                raise StaffError(f"未知单位：{args.unit}")
            if args.window and args.window not in services.catalogue.windows:
                raise StaffError(f"未知窗口：{args.window}")
            auth.add(
                args.staff_id,
                args.name,
                Role(args.role),
                args.unit,
                args.window,
                _read_pin(args.pin_stdin),
            )
            print(f"已新增 {args.name}（{args.staff_id}），角色：{ROLE_NAMES[Role(args.role)]}")
        elif command == "disable":
            auth.disable(args.staff_id)
            print(f"已停用 {args.staff_id}")
        elif command == "reset-pin":
            auth.reset_pin(args.staff_id, _read_pin(args.pin_stdin))
            print(f"已重置 {args.staff_id} 的 PIN 并解除锁定")
        else:
            for member in auth.repo.list():
                state = "在用" if member.active else "已停用"
                if member.locked_until:
                    state += f"，锁定至 {member.locked_until[:16]}"
                window = f" 窗口 {member.window}" if member.window else ""
                print(
                    f"{member.id}\t{member.name}\t{ROLE_NAMES[member.role]}\t{member.unit}{window}\t{state}"
                )
    except StaffError as error:
        print(f"kiosk staff: {error}", file=sys.stderr)
        return EXIT_INPUT
    except StoreError as error:
        print(f"kiosk staff: {error}", file=sys.stderr)
        return EXIT_STORE
    return 0


def run_report(services: Services, args: argparse.Namespace) -> int:
    """Carry out `kiosk report`."""
    from kiosk.domain.statistics import compute_statistics
    from kiosk.printing.report_export import export_report

    if args.end < args.start:
        print("kiosk report: 截止日期早于起始日期", file=sys.stderr)
        return EXIT_INPUT
    out = args.out or Path(f"report-{args.start}-{args.end}.{args.format}")
    try:
        cases = services.repository.list(since=args.start, until=args.end)
        stats = compute_statistics(
            cases, services.catalogue, args.start, args.end, services.clock().date()
        )
    except StoreError as error:
        print(f"kiosk report: {error}", file=sys.stderr)
        return EXIT_STORE
    export_report(stats, out, args.format)
    rate = stats.on_time_rate
    print(
        f"已导出 {out}：共 {stats.total} 件，已答复 {stats.replied} 件，按时答复率 "
        f"{'—' if rate is None else f'{rate:.0%}'}，超期 {stats.overdue} 件"
    )
    return 0


def run_purge(services: Services, args: argparse.Namespace) -> int:
    """Carry out `kiosk purge`."""
    from datetime import timedelta

    from kiosk.domain.privacy import purge_personal_data

    days = args.days if args.days is not None else services.catalogue.centre.retention_days
    if days < 30:
        print("kiosk purge: 保存期限不能少于 30 天", file=sys.stderr)
        return EXIT_INPUT
    before = services.clock().date() - timedelta(days=days)
    try:
        count = purge_personal_data(services.repository, before, services.clock)
    except StoreError as error:
        print(f"kiosk purge: {error}", file=sys.stderr)
        return EXIT_STORE
    print(f"已清除 {before} 之前登记的 {count} 件案件的个人信息（保存期限 {days} 天）")
    return 0
