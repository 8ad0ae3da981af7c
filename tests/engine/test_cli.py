"""`kiosk classify` and `kiosk catalogue`: the JSON contracts and clean failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.printing.testpage import SAMPLE_REQUESTS

DECISION_KEYS = {
    "outcome",
    "clause",
    "matter",
    "go_to",
    "missing",
    "guide",
    "forms",
    "escalate_to",
    "report_to",
    "report_by",
    "consultation",
    "coordinate_with",
    "working_days",
    "counting_starts",
    "reply_due",
    "reply_due_provisional",
    "rules_fired",
    "ruleset_version",
}

REQUESTS = SAMPLE_REQUESTS  # one request per outcome, shared with `kiosk print-test`


def run_kiosk(
    args: list[str], stdin: str, data_dir: Path, state: Path
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KIOSK_STATE=str(state))
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", *args, "--data", str(data_dir)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.mark.parametrize("outcome", list(REQUESTS))
def test_classify_returns_each_outcome_with_every_key(
    outcome: str, data_dir: Path, tmp_path: Path
) -> None:
    request = dict(REQUESTS[outcome], received_at="2026-11-27T10:30:00+08:00")
    result = run_kiosk(["classify"], json.dumps(request, ensure_ascii=False), data_dir, tmp_path)
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert set(decision) == DECISION_KEYS
    assert decision["outcome"] == outcome


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ('{"matter": ', "请求不是合法的 JSON"),
        ('{"matter": "nope"}', "未知事项：nope"),
        ('{"matter": "id_card_reissue", "conditions": {"zzz": true}}', "没有受理条件：zzz"),
        ('{"matter": null, "at_window": "Q1"}', "未知窗口：Q1"),
        ('{"matter": null, "received_at": "yesterday"}', "received_at 时间格式不正确"),
        ("[1, 2]", "请求必须是一个 JSON 对象"),
        ('{"mater": "x"}', "未知字段：mater"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    stdin: str, message: str, data_dir: Path, tmp_path: Path
) -> None:
    result = run_kiosk(["classify"], stdin, data_dir, tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.stderr


def test_classify_record_stores_the_case_and_prints_its_number(
    data_dir: Path, tmp_path: Path
) -> None:
    request = json.dumps(dict(REQUESTS["grey_zone"], received_at="2026-11-27T10:30:00+08:00"))
    first = json.loads(run_kiosk(["classify", "--record"], request, data_dir, tmp_path).stdout)
    second = json.loads(run_kiosk(["classify", "--record"], request, data_dir, tmp_path).stdout)
    assert first["case_number"].startswith("HJ-")
    assert first["case_number"] != second["case_number"]
    handle = json.dumps(REQUESTS["handle"])
    assert (
        json.loads(run_kiosk(["classify", "--record"], handle, data_dir, tmp_path).stdout)[
            "case_number"
        ]
        is None
    )


def test_record_refuses_a_corrupt_store_and_leaves_it_untouched(
    data_dir: Path, tmp_path: Path
) -> None:
    request = json.dumps(dict(REQUESTS["escalate"]))
    run_kiosk(["classify", "--record"], request, data_dir, tmp_path)
    files = [p for p in (tmp_path / "cases").rglob("*.json")]
    assert files
    for path in files:
        path.write_bytes(path.read_bytes()[:-7])
    before = {p: p.read_bytes() for p in files}
    result = run_kiosk(["classify", "--record"], request, data_dir, tmp_path)
    assert result.returncode == 3
    assert "损坏" in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in files} == before


def test_catalogue_json_contract(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "--json", "--data", str(data_dir)]) == 0
    pack = json.loads(capsys.readouterr().out)
    assert set(pack) >= {"centre", "units", "windows", "matters"}
    assert len(pack["units"]) >= 8 and len(pack["windows"]) >= 15
    here = [m for m in pack["matters"] if m["handled_here"]]
    assert len(here) >= 30
    for matter in pack["matters"]:
        assert {"id", "name", "unit", "window", "conditions"} <= set(matter)
        assert all(set(c) >= {"id", "question"} for c in matter["conditions"])


def test_rules_test_passes_on_the_shipped_pack(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "test", "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    passed = int(out.strip().splitlines()[-1].split()[0])
    assert passed >= 40


def test_print_test_leaves_the_exact_bytes_of_every_outcome(data_dir: Path, tmp_path: Path) -> None:
    from kiosk.printing.escpos_text import decode_jobs

    slip = tmp_path / "slip.bin"
    result = run_kiosk(["print-test", "--printer", f"file:{slip}"], "", data_dir, tmp_path)
    assert result.returncode == 0, result.stderr
    jobs = decode_jobs(slip.read_bytes())
    assert len(jobs) == 5
    assert "【可以办理】" in jobs[0] and "【一次性告知】" in jobs[1]
    assert all("汉江市政务服务中心" in job and "0915-3210012" in job for job in jobs)
    assert "13812345678" not in "".join(jobs) and "138****5678" in jobs[0]


def test_bad_printer_spec_is_one_clear_line(data_dir: Path, tmp_path: Path) -> None:
    result = run_kiosk(["print-test", "--printer", "lpt:1"], "", data_dir, tmp_path)
    assert result.returncode == 2
    assert "打印机设置不正确" in result.stderr and "Traceback" not in result.stderr


def test_failed_slips_survive_a_restart_and_reprint(data_dir: Path, tmp_path: Path) -> None:
    from kiosk.printing.escpos_text import decode_jobs

    # A closed port on this machine: the job fails fast and is queued for reprint.
    failed = run_kiosk(["print-test", "--printer", "tcp:127.0.0.1:9"], "", data_dir, tmp_path)
    assert failed.returncode == 3 and "Traceback" not in failed.stderr
    listed = run_kiosk(["reprint"], "", data_dir, tmp_path)
    assert listed.returncode == 0 and "共 1 张" in listed.stderr
    slip = tmp_path / "slip.bin"
    done = run_kiosk(["reprint", "--retry", "--printer", f"file:{slip}"], "", data_dir, tmp_path)
    assert done.returncode == 0 and "已补打 1 张，剩余 0 张" in done.stdout
    assert "汉江市政务服务中心" in decode_jobs(slip.read_bytes())[0]
