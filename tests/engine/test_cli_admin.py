"""`kiosk staff` and `kiosk report` from the command line."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook


def kiosk(args: list[str], state: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KIOSK_STATE=str(state))
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_staff_add_list_disable_reset(tmp_path: Path) -> None:
    added = kiosk(
        [
            "staff",
            "add",
            "c01",
            "--name",
            "张三",
            "--role",
            "clerk",
            "--unit",
            "police",
            "--window",
            "D02",
            "--pin-stdin",
        ],
        tmp_path,
        "1234\n",
    )
    assert added.returncode == 0, added.stderr
    stored = json.loads((tmp_path / "staff.json").read_text(encoding="utf-8"))
    assert "1234" not in json.dumps(stored) and "scrypt$" in json.dumps(stored)
    assert "张三" in kiosk(["staff", "list"], tmp_path).stdout
    assert kiosk(["staff", "disable", "c01"], tmp_path).returncode == 0
    assert "已停用" in kiosk(["staff", "list"], tmp_path).stdout
    assert kiosk(["staff", "reset-pin", "c01", "--pin-stdin"], tmp_path, "5678\n").returncode == 0


def test_staff_add_refuses_bad_input_with_one_line(tmp_path: Path) -> None:
    bad_pin = kiosk(
        ["staff", "add", "x", "--name", "x", "--role", "clerk", "--pin-stdin"], tmp_path, "12\n"
    )
    assert bad_pin.returncode == 2 and "4 到 8 位数字" in bad_pin.stderr
    bad_unit = kiosk(
        ["staff", "add", "x", "--name", "x", "--role", "clerk", "--unit", "mars", "--pin-stdin"],
        tmp_path,
        "1234\n",
    )
    assert bad_unit.returncode == 2 and "未知单位：mars" in bad_unit.stderr
    assert "Traceback" not in bad_pin.stderr + bad_unit.stderr


def test_report_exports_csv_and_xlsx_that_read_back(tmp_path: Path) -> None:
    for request in (
        '{"matter": null, "legal_basis": "unclear"}',
        '{"matter": "birth_registration"}',
    ):
        assert kiosk(["classify", "--record"], tmp_path, request).returncode == 0
    today = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kiosk.domain.services import china_now; print(china_now().date())",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    out_csv, out_xlsx = tmp_path / "r.csv", tmp_path / "r.xlsx"
    done = kiosk(
        ["report", "--from", today, "--to", today, "--format", "csv", "--out", str(out_csv)],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert ["登记件数", "2"] in rows
    assert (
        kiosk(
            ["report", "--from", today, "--to", today, "--format", "xlsx", "--out", str(out_xlsx)],
            tmp_path,
        ).returncode
        == 0
    )
    sheet = load_workbook(out_xlsx)["汇总"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert str(values["登记件数"]) == "2"
    bad = kiosk(["report", "--from", "2026-13-01", "--to", today], tmp_path)
    assert bad.returncode == 2 and "日期格式不正确" in bad.stderr


def test_purge_uses_the_centre_retention_and_reports_a_count(tmp_path: Path) -> None:
    assert (
        kiosk(["classify", "--record"], tmp_path, '{"matter": null, "description": "x"}').returncode
        == 0
    )
    kept = kiosk(["purge"], tmp_path)
    assert kept.returncode == 0 and "的 0 件" in kept.stdout and "1095" in kept.stdout
    assert "的 0 件" in kiosk(["purge", "--days", "30"], tmp_path).stdout
    assert kiosk(["purge", "--days", "3"], tmp_path).returncode == 2
