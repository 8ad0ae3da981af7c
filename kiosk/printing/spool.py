"""The reprint queue: one JSON file per job that could not be printed, written atomically."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.domain.masking import mask_name, mask_phone
from kiosk.domain.ports import Slip

SLIP = "slip"
FILING_FORM = "filing_form"


@dataclass(frozen=True)
class QueuedJob:
    """A job waiting in the reprint queue.

    Attributes:
        id: the file name without `.json`; sorts oldest first.
        kind: `slip` or `filing_form`.
        queued_at: when it was first queued (ISO 8601, UTC).
        error: the last failure, in Chinese.
        attempts: how many times printing failed.
        payload: the slip (contact already masked) or the form's field values.
    """

    id: str
    kind: str
    queued_at: str
    error: str
    attempts: int
    payload: Mapping[str, Any] = field(default_factory=dict)

    def slip(self) -> Slip:
        """The queued slip; its applicant name and phone are the masked forms."""
        data = self.payload
        return Slip(
            decision=data.get("decision") or {},
            printed_at=str(data.get("printed_at", "")),
            case_number=data.get("case_number"),
            applicant_name=str(data.get("applicant_name", "")),
            applicant_phone=str(data.get("applicant_phone", "")),
        )


def slip_payload(slip: Slip) -> dict[str, Any]:
    """A slip as JSON-ready data with the contact masked (raw personal data is never spooled)."""
    return {
        "decision": json.loads(json.dumps(dict(slip.decision), ensure_ascii=False, default=str)),
        "printed_at": slip.printed_at,
        "case_number": slip.case_number,
        "applicant_name": mask_name(slip.applicant_name) if slip.applicant_name.strip() else "",
        "applicant_phone": mask_phone(slip.applicant_phone) if slip.applicant_phone.strip() else "",
    }


def atomic_write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write JSON to a temporary file, fsync it, rename it over `path`, fsync the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=1)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if hasattr(os, "O_DIRECTORY"):
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


class ReprintQueue:
    """Jobs that failed to print, kept on disk until they print."""

    def __init__(self, directory: Path) -> None:
        """Use `directory` (created on the first write) for the queue files."""
        self.directory = Path(directory)

    def add(self, kind: str, payload: Mapping[str, Any], error: str) -> QueuedJob:
        """Queue a job durably.

        Args:
            kind: `slip` or `filing_form`.
            payload: what to print again (see `slip_payload`).
            error: why printing failed, in Chinese.

        Returns:
            The queued job.
        """
        now = datetime.now(UTC)
        job_id = f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        job = QueuedJob(job_id, kind, now.isoformat(), error, 1, dict(payload))
        self._write(job)
        return job

    def list(self) -> list[QueuedJob]:
        """The queued jobs, oldest first; unreadable files are left alone and skipped."""
        if not self.directory.is_dir():
            return []
        jobs = []
        for path in sorted(self.directory.glob("*.json")):
            if path.name.startswith("."):
                continue
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                jobs.append(
                    QueuedJob(
                        id=path.stem,
                        kind=str(data["kind"]),
                        queued_at=str(data["queued_at"]),
                        error=str(data.get("error", "")),
                        attempts=int(data.get("attempts", 1)),
                        payload=data["payload"],
                    )
                )
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return jobs

    def failed_again(self, job: QueuedJob, error: str) -> QueuedJob:
        """Record another failed attempt of a queued job."""
        updated = QueuedJob(job.id, job.kind, job.queued_at, error, job.attempts + 1, job.payload)
        self._write(updated)
        return updated

    def remove(self, job_id: str) -> None:
        """Drop a job that has printed."""
        with contextlib.suppress(FileNotFoundError):
            (self.directory / f"{job_id}.json").unlink()

    def _write(self, job: QueuedJob) -> None:
        atomic_write_json(
            self.directory / f"{job.id}.json",
            {
                "kind": job.kind,
                "queued_at": job.queued_at,
                "error": job.error,
                "attempts": job.attempts,
                "payload": dict(job.payload),
            },
        )
