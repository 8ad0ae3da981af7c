"""The `kiosk` command: classify, catalogue, rules check/test, run.

Exit codes: 0 success; 1 problems in the data files or failing rule tests; 2 bad input
(malformed request JSON, unknown ids, bad timestamp); 3 the case store refused to write.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from kiosk.bootstrap import Services, build_context, build_services
from kiosk.cli_admin import add_parsers as add_admin_parsers
from kiosk.cli_admin import run_purge, run_report, run_staff
from kiosk.cli_db import add_parsers as add_db_parsers
from kiosk.cli_db import run_db
from kiosk.domain.ports import StoreError
from kiosk.domain.request import RequestError
from kiosk.engine.checker import check_data
from kiosk.engine.rule_tests import run_rule_tests
from kiosk.engine.yamlsrc import SourceError

EXIT_DATA, EXIT_INPUT, EXIT_STORE = 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="窗口无否决权 政务服务自助终端")
    sub = parser.add_subparsers(dest="command", required=True)

    def data_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--data", type=Path, help="中心包目录（含 guides/ 与 rules/），默认为自带演示中心"
        )

    def state_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--state",
            type=Path,
            help="状态目录（案件库、打印队列、日志），默认 $KIOSK_STATE 或用户数据目录",
        )

    p = sub.add_parser("classify", help="对一条申请（JSON）分类，输出决定（JSON）")
    data_arg(p)
    state_arg(p)
    p.add_argument("--record", action="store_true", help="需要跟进时登记案件并输出案件编号")
    p.add_argument("file", nargs="?", default="-", help="申请 JSON 文件，- 为标准输入")

    p = sub.add_parser("catalogue", help="输出中心包（事项目录）")
    data_arg(p)
    p.add_argument("--json", action="store_true", required=True, help="以 JSON 输出")

    rules = sub.add_parser("rules", help="检查或测试规则").add_subparsers(
        dest="rules_command", required=True
    )
    data_arg(
        rules.add_parser("check", help="检查中心包、工作日历与规则，问题按 文件:行: 说明 输出")
    )
    data_arg(rules.add_parser("test", help="运行 rules/tests/ 下的规则测试用例"))

    p = sub.add_parser("run", help="启动自助终端界面")
    data_arg(p)
    state_arg(p)
    printer_arg(p)
    p.add_argument(
        "--allow-quit",
        action="store_true",
        help="允许 Ctrl+Q 退出（开发调试用；群众模式下默认禁止）",
    )

    p = sub.add_parser("reprint", help="列出或补打打印失败时保存的回执和登记表")
    data_arg(p)
    state_arg(p)
    printer_arg(p)
    p.add_argument("--retry", action="store_true", help="按先后顺序补打，遇到故障即停")

    p = sub.add_parser("print-test", help="为每种结果打印一张样张回执")
    data_arg(p)
    state_arg(p)
    printer_arg(p)

    common = argparse.ArgumentParser(add_help=False)
    data_arg(common)
    state_arg(common)
    add_admin_parsers(sub, [common])
    add_db_parsers(sub, [common])
    return parser


def printer_arg(p: argparse.ArgumentParser) -> None:
    """The printer, named as in kiosk.toml."""
    p.add_argument(
        "--printer", help="打印机：usb:VID:PID、tcp:HOST:PORT、serial:DEVICE 或 file:PATH"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "rules" and args.rules_command == "check":
            return _rules_check(args.data)
        services = build_services(
            args.data, getattr(args, "state", None), supervised=args.command == "run"
        )
    except SourceError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_DATA
    if args.command == "classify":
        return _classify(services, args.file, args.record, sys.stdout)
    if args.command == "catalogue":
        _dump(services.catalogue.to_dict(), sys.stdout)
        return 0
    if args.command == "rules":
        return _rules_test(services)
    if args.command == "staff":
        return run_staff(services, args)
    if args.command == "report":
        return run_report(services, args)
    if args.command == "purge":
        return run_purge(services, args)
    if args.command == "db":
        return run_db(services, args)
    try:
        ctx = build_context(services, args.printer, getattr(args, "allow_quit", False))
    except ValueError as error:  # a bad printer spec or kiosk.toml
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_INPUT
    if args.command == "print-test":
        return _print_test(services, ctx.printer)
    if args.command == "reprint":
        return _reprint(ctx.printer, args.retry)
    from kiosk.app import run_app

    return run_app(ctx)


def _dump(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _classify(services: Services, source: str, record: bool, out: TextIO) -> int:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"kiosk classify: 无法读取 {source}：{error}", file=sys.stderr)
        return EXIT_INPUT
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        print(
            f"kiosk classify: 请求不是合法的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）",
            file=sys.stderr,
        )
        return EXIT_INPUT
    try:
        result = services.classification.classify(data)
    except RequestError as error:
        print(f"kiosk classify: {error}", file=sys.stderr)
        return EXIT_INPUT
    decision = dict(result.decision)
    if record:
        decision["case_number"] = None
        if result.needs_case:
            try:
                decision["case_number"] = services.cases.register(result).number
            except StoreError as error:
                print(f"kiosk classify: {error}", file=sys.stderr)
                return EXIT_STORE
    _dump(decision, out)
    return 0


def _rules_check(data_dir: Path | None) -> int:
    from kiosk.bootstrap import BUNDLED_DATA

    problems = check_data((data_dir or BUNDLED_DATA).resolve())
    for problem in problems:
        print(problem)
    if problems:
        print(f"发现 {len(problems)} 个问题", file=sys.stderr)
        return EXIT_DATA
    print("规则、中心包与工作日历检查通过")
    return 0


def _rules_test(services: Services) -> int:
    def classify(request: Any) -> dict[str, Any]:
        return services.classification.classify(request).decision

    try:
        results = run_rule_tests(services.data_dir, classify)
    except SourceError as error:
        for problem in error.problems:
            print(problem)
        return EXIT_DATA
    failed = [r for r in results if not r.passed]
    for result in failed:
        for failure in result.failures:
            print(f"{result.file}:{result.line}: 用例「{result.name}」：{failure}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return EXIT_DATA if failed or not results else 0


def _reprint(printer: Any, retry: bool) -> int:
    jobs = printer.queued()
    if not retry:
        for job in jobs:
            print(f"{job.id}\t第 {job.attempts} 次失败：{job.error}")
        print(f"补打队列中共 {len(jobs)} 张", file=sys.stderr)
        return 0
    result = printer.retry_queued()
    print(f"已补打 {len(result.printed)} 张，剩余 {result.remaining} 张")
    if result.error:
        print(f"kiosk reprint: {result.error}", file=sys.stderr)
        return EXIT_STORE
    return 0


def _print_test(services: Services, printer: Any) -> int:
    from kiosk.printing.testpage import print_test, sample_requests, sample_slips

    requests = sample_requests(services.catalogue)
    decisions = [services.classification.classify(r).decision for r in requests]
    now = services.clock().isoformat(timespec="seconds")
    results = print_test(printer, sample_slips(decisions, services.catalogue.centre.code, now))
    for result in results:
        print(result.text)
        print()
        if result.error:
            print(f"kiosk print-test: {result.error}", file=sys.stderr)
            return EXIT_STORE
    print(f"已打印 {len(results)} 张样张", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
