"""durable_rules in a child process, so a crash or hang in the C engine cannot freeze the kiosk.

The parent sends each request's facts to the child and waits at most `timeout` seconds.
When the child dies or does not answer, the parent kills it, reports it, decides that
request with the same rules evaluated in plain Python (the rule model's own tests, under
the same hit policy), and starts a fresh child for the next request.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from typing import Any

from kiosk.domain.facts import check_fact_types
from kiosk.domain.ports import RuleVerdict
from kiosk.engine.durable_classifier import DurableClassifier, apply_hit_policy
from kiosk.engine.rules import RuleSet

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT_S = 2.0


def _serve(conn: Connection, ruleset: RuleSet) -> None:
    """Child process: answer facts with the ids of the rules durable_rules fired."""
    classifier = DurableClassifier(ruleset)
    while True:
        try:
            facts = conn.recv()
        except EOFError:
            return
        conn.send(classifier.fired(facts))


class SupervisedClassifier:
    """A Classifier whose durable_rules engine runs in a watched child process."""

    def __init__(
        self,
        ruleset: RuleSet,
        timeout: float = DEFAULT_TIMEOUT_S,
        serve: Callable[[Connection, RuleSet], None] = _serve,
    ) -> None:
        """Start the engine process for a rule set.

        Args:
            ruleset: the rules in force.
            timeout: seconds to wait for one answer before the engine counts as hung.
            serve: the child's main function (tests inject a crashing or hanging one).
        """
        self._ruleset = ruleset
        self._timeout = timeout
        self._serve = serve
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._conn: Connection | None = None
        self.restarts = 0
        self.fallbacks = 0
        self._start()

    @property
    def version(self) -> str:
        """Content hash of the rules in force."""
        return self._ruleset.version

    @property
    def ruleset(self) -> RuleSet:
        """The rules in force."""
        return self._ruleset

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=self._serve, args=(child, self._ruleset), daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        if self._process is not None:
            self._process.join(timeout=5)
        self._process = self._conn = None

    def replace(self, ruleset: RuleSet) -> None:
        """Put new rules in force: a fresh engine process compiles them."""
        with self._lock:
            self._stop()
            self._ruleset = ruleset
            self._start()

    def close(self) -> None:
        """Stop the engine process."""
        with self._lock:
            self._stop()

    def evaluate(self, facts: Mapping[str, Any]) -> RuleVerdict:
        """Decide with durable_rules; on a crash or hang, decide in Python and restart it."""
        check_fact_types(dict(facts))
        with self._lock:
            ruleset = self._ruleset
            try:
                assert self._conn is not None
                self._conn.send(dict(facts))
                if self._conn.poll(self._timeout):
                    return apply_hit_policy(ruleset, set(self._conn.recv()))
                problem = f"规则引擎 {self._timeout:.0f} 秒无响应"
            except (EOFError, OSError, AssertionError) as error:
                problem = f"规则引擎进程异常退出（{type(error).__name__}）"
            log.error("%s，已用备用判断并重启引擎", problem)
            self.fallbacks += 1
            self._stop()
            self._start()
            self.restarts += 1
            fired = {rule.id for rule in ruleset.rules if rule.matches(facts)}
            return apply_hit_policy(ruleset, fired)
