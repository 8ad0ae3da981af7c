"""Case repositories (TinyDB embedded default)."""

from kiosk.store.atomic_storage import AtomicJSONStorage
from kiosk.store.memory import InMemoryCaseRepository
from kiosk.store.staff_file import InMemoryStaffRepository, JsonStaffRepository
from kiosk.store.tinydb_repository import TinyDbCaseRepository

__all__ = [
    "AtomicJSONStorage",
    "InMemoryCaseRepository",
    "InMemoryStaffRepository",
    "JsonStaffRepository",
    "TinyDbCaseRepository",
]
