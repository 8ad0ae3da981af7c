"""Check a whole data directory (pack, calendar, rules) and reload rules safely.

Run as `python -m kiosk.engine.checker DATA` it prints every problem and exits 1 when
any; the kiosk runs it in a subprocess with a timeout before taking an edited rules
file, so a file that hangs or crashes the rule engine cannot take the kiosk down.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.catalogue import Catalogue
from kiosk.engine.analysis import analyse
from kiosk.engine.calendar_loader import load_calendar
from kiosk.engine.durable_classifier import DurableClassifier
from kiosk.engine.pack import load_pack
from kiosk.engine.rules import RuleSet, load_rules
from kiosk.engine.supervised import SupervisedClassifier
from kiosk.engine.yamlsrc import Problem, SourceError

PRECHECK_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class LoadedData:
    """Everything a data directory provides."""

    catalogue: Catalogue
    calendar: WorkingCalendar
    ruleset: RuleSet


def load_data(data_dir: Path) -> LoadedData:
    """Load pack, calendar and rules; SourceError lists every problem found."""
    problems: list[Problem] = []
    catalogue = calendar = ruleset = None
    try:
        catalogue = load_pack(data_dir)
    except SourceError as error:
        problems += error.problems
    try:
        calendar = load_calendar(data_dir)
    except SourceError as error:
        problems += error.problems
    if catalogue is not None:
        try:
            ruleset = load_rules(data_dir, catalogue)
        except SourceError as error:
            problems += error.problems
    if problems or catalogue is None or calendar is None or ruleset is None:
        raise SourceError(problems)
    return LoadedData(catalogue, calendar, ruleset)


def check_data(data_dir: Path) -> list[Problem]:
    """Every problem of a data directory, including dead rules and a compile smoke test."""
    try:
        data = load_data(data_dir)
    except SourceError as error:
        return error.problems
    problems = analyse(data.ruleset, data.catalogue)
    if not problems:
        # Compile for real: durable_rules must accept every condition.
        DurableClassifier(data.ruleset)
    return problems


def precheck_in_subprocess(data_dir: Path, timeout: float = PRECHECK_TIMEOUT_S) -> list[str]:
    """Run the full check in a child process; problem lines, or one line on hang/crash."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk.engine.checker", str(data_dir)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [f"rules/scenarios.yaml:1: 规则检查超过 {timeout:.0f} 秒未完成，已拒绝这次修改"]
    if result.returncode == 0:
        return []
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return lines or [
        f"rules/scenarios.yaml:1: 规则检查异常退出（代码 {result.returncode}），已拒绝这次修改"
    ]


class RulesReloader:
    """Picks up an edited rules file; a broken edit is refused and the last good rules stay."""

    def __init__(
        self,
        data_dir: Path,
        classifier: DurableClassifier | SupervisedClassifier,
        catalogue: Catalogue,
    ) -> None:
        """Watch `DATA/rules/scenarios.yaml` for the given classifier."""
        self._data_dir = data_dir
        self._classifier = classifier
        self._catalogue = catalogue
        self._refused = ""
        self.last_problems: list[str] = []

    def reload_if_changed(self) -> bool:
        """Reload when the file's content differs from the rules in force.

        Returns:
            True when new rules were put in force. When an edit is refused,
            `last_problems` holds its `file:line: message` lines.
        """
        path = self._data_dir / "rules" / "scenarios.yaml"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.last_problems = [f"rules/scenarios.yaml:1: 无法读取规则文件：{error}"]
            return False
        version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        if version in (self._classifier.version, self._refused):
            return False
        problems = precheck_in_subprocess(self._data_dir)
        if not problems:
            try:
                self._classifier.replace(load_rules(self._data_dir, self._catalogue))
                self.last_problems = []
                return True
            except SourceError as error:  # the file changed again between check and load
                problems = [str(p) for p in error.problems]
        self._refused = version
        self.last_problems = problems
        return False


def main(argv: list[str]) -> int:
    """Entry point of the subprocess check."""
    problems = check_data(Path(argv[0]))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
