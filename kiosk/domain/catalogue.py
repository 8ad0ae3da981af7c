"""The centre pack as domain objects: centre, units, windows, destinations and matters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Centre:
    """The service centre itself: name, code, phones and hours."""

    id: str
    name: str
    code: str
    address: str
    consultation_phone: str
    supervision_phone: str
    complaint_phone: str
    hours: str
    receipt_cutoff: str  # "HH:MM": requests received later count from the next working day
    business_section: str = ""
    retention_days: int = 1095  # personal data is purged from cases older than this


@dataclass(frozen=True)
class Unit:
    """A unit (department) stationed in the centre or elsewhere."""

    id: str
    name: str
    phone: str
    leader_title: str = "分管领导"
    main_leader_title: str = "主要领导"


@dataclass(frozen=True)
class Window:
    """A numbered window in the centre hall."""

    id: str
    number: str
    name: str
    unit: str
    floor: str
    zone: str
    phone: str = ""
    role: str = "service"  # service | consultation_desk | fallback_window


@dataclass(frozen=True)
class Destination:
    """A place outside this centre where some matters are handled (区 centre, bank, court...)."""

    id: str
    name: str
    address: str
    phone: str
    hours: str
    contact: str = ""  # whom to ask there (找谁办)
    unit: str = ""


@dataclass(frozen=True)
class Condition:
    """One acceptance condition, asked as a yes/no question."""

    id: str
    question: str
    missing: str  # what the applicant lacks when the answer is no
    remedy: str  # how to fix it


@dataclass(frozen=True)
class Material:
    """One item of the materials list of a guide."""

    name: str
    form: str  # 原件 | 复印件 | 原件及复印件 | 电子
    count: int
    source: str = ""


@dataclass(frozen=True)
class Fee:
    """The fee of a matter; amount 0 means free (不收费)."""

    amount: float
    basis: str = ""
    note: str = ""

    @property
    def text(self) -> str:
        """The fee as printed on a guide, e.g. `￥80元/件` or `不收费`."""
        if not self.amount:
            return "不收费"
        value = int(self.amount) if float(self.amount).is_integer() else self.amount
        return f"￥{value}元" + (f"（{self.note}）" if self.note else "")


@dataclass(frozen=True)
class Matter:
    """A matter (事项) with the fields of a 办事指南."""

    id: str
    name: str
    code: str
    category: str
    unit: str
    kind: str  # 即办件 | 承诺件
    statutory_days: int
    promised_days: int
    fee: Fee
    legal_basis: tuple[str, ...]
    phone: str
    conditions: tuple[Condition, ...]
    materials: tuple[Material, ...]
    guide: str
    forms: tuple[str, ...]
    windows: tuple[str, ...] = ()
    destination: str = ""  # set when the matter is handled elsewhere
    keywords: tuple[str, ...] = ()
    visits: int = 1

    @property
    def handled_here(self) -> bool:
        """True when a window of this centre accepts the matter."""
        return not self.destination

    def condition(self, condition_id: str) -> Condition | None:
        """The condition with this id, or None."""
        return next((c for c in self.conditions if c.id == condition_id), None)


@dataclass(frozen=True)
class Catalogue:
    """Everything the centre pack says, indexed by id."""

    centre: Centre
    units: Mapping[str, Unit]
    windows: Mapping[str, Window]
    destinations: Mapping[str, Destination]
    matters: Mapping[str, Matter]
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def window_for_role(self, role: str) -> Window | None:
        """The first window with a special role (consultation_desk, fallback_window)."""
        return next((w for w in self.windows.values() if w.role == role), None)

    def windows_of(self, matter: Matter) -> list[Window]:
        """The windows that accept a matter, in catalogue order."""
        return [self.windows[w] for w in matter.windows if w in self.windows]

    def by_unit(self) -> list[tuple[Unit, tuple[Matter, ...]]]:
        """Units that have matters, each with its matters, both in catalogue order."""
        groups: dict[str, list[Matter]] = {}
        for matter in self.matters.values():
            groups.setdefault(matter.unit, []).append(matter)
        return [(unit, tuple(groups[uid])) for uid, unit in self.units.items() if uid in groups]

    def to_dict(self) -> dict[str, Any]:
        """The whole pack as JSON-ready data (the `kiosk catalogue --json` contract)."""
        return {
            "centre": _plain(self.centre),
            "units": [_plain(u) for u in self.units.values()],
            "windows": [_plain(w) for w in self.windows.values()],
            "destinations": [_plain(d) for d in self.destinations.values()],
            "matters": [_matter_dict(m) for m in self.matters.values()],
        }


def _plain(obj: Any) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in obj.__dict__.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return _plain(value)
    return value


def _matter_dict(matter: Matter) -> dict[str, Any]:
    data = _plain(matter)
    data["window"] = matter.windows[0] if matter.windows else None
    data["handled_here"] = matter.handled_here
    data["fee"]["text"] = matter.fee.text
    return data
