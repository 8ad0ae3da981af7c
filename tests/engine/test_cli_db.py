"""`kiosk db verify|backup|restore` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from .test_cli_admin import kiosk


def test_verify_backup_restore_and_tamper_detection(tmp_path: Path) -> None:
    state, fresh = tmp_path / "state", tmp_path / "fresh"
    for _ in range(3):
        assert (
            kiosk(
                ["classify", "--record"], state, '{"matter": null, "legal_basis": "unclear"}'
            ).returncode
            == 0
        )
    assert kiosk(["db", "verify"], state).returncode == 0
    assert kiosk(["db", "backup", str(tmp_path / "bk")], state).returncode == 0
    restored = kiosk(["db", "restore", str(tmp_path / "bk")], fresh)
    assert restored.returncode == 0, restored.stderr
    assert kiosk(["db", "verify"], fresh).returncode == 0

    chunk = next((state / "cases").rglob("*-HJ-*.json"))
    data = json.loads(chunk.read_text(encoding="utf-8"))
    record = next(iter(data["cases"].values()))
    record["timeline"][0]["note"] = "被人改过"
    chunk.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tampered = kiosk(["db", "verify"], state)
    assert tampered.returncode == 1
    assert record["number"] in tampered.stdout + tampered.stderr
