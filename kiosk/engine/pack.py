"""Load and check the centre pack (`guides/`) into a domain Catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.domain.catalogue import (
    Catalogue,
    Centre,
    Condition,
    Destination,
    Fee,
    Material,
    Matter,
    Unit,
    Window,
)
from kiosk.engine.yamlsrc import LineDict, Problem, SourceError, line_at, load_yaml

CENTRE_FIELDS = (
    "id",
    "name",
    "code",
    "address",
    "consultation_phone",
    "supervision_phone",
    "complaint_phone",
    "hours",
    "receipt_cutoff",
)
MATTER_FIELDS = (
    "id",
    "name",
    "code",
    "category",
    "unit",
    "kind",
    "statutory_days",
    "promised_days",
    "fee",
    "legal_basis",
    "phone",
    "conditions",
    "materials",
    "guide",
    "forms",
)
KINDS = ("即办件", "承诺件")
WINDOW_ROLES = ("service", "consultation_desk", "fallback_window")


class _Collector:
    """Collects problems for one file."""

    def __init__(self, label: str, root: Any) -> None:
        self.label = label
        self.root = root
        self.problems: list[Problem] = []

    def add(self, path: list[str | int], message: str) -> None:
        self.problems.append(Problem(self.label, line_at(self.root, path), message))

    def require(self, item: Any, path: list[str | int], fields: tuple[str, ...]) -> bool:
        if not isinstance(item, dict):
            self.add(path, "应为键值对象")
            return False
        missing = [f for f in fields if f not in item or item[f] is None]
        for name in missing:
            self.add(path, f"缺少字段 {name}")
        return not missing


def load_pack(data_dir: Path) -> Catalogue:
    """Load `DATA/guides/` into a Catalogue.

    Args:
        data_dir: the directory holding `guides/` (and `rules/`).

    Raises:
        SourceError: listing every problem as `file:line: message`.
    """
    guides = data_dir / "guides"
    centre_label = _label(data_dir, guides / "centre.yaml")
    root = load_yaml(guides / "centre.yaml", centre_label)
    col = _Collector(centre_label, root)
    if not isinstance(root, dict):
        raise SourceError([Problem(centre_label, 1, "文件应为键值对象")])

    centre = None
    if col.require(root.get("centre"), ["centre"], CENTRE_FIELDS):
        raw = root["centre"]
        values: dict[str, Any] = {k: str(raw[k]) for k in raw if k in Centre.__dataclass_fields__}
        if "retention_days" in raw:
            if not isinstance(raw["retention_days"], int) or raw["retention_days"] < 30:
                col.add(["centre", "retention_days"], "retention_days 应为不少于 30 的天数")
                values.pop("retention_days")
            else:
                values["retention_days"] = raw["retention_days"]
        centre = Centre(**values)
        if not _is_hhmm(centre.receipt_cutoff):
            col.add(["centre", "receipt_cutoff"], "receipt_cutoff 应为 HH:MM，例如 17:30")

    units = _index(col, root, "units", ("id", "name", "phone"), Unit)
    windows = _index(
        col, root, "windows", ("id", "number", "name", "unit", "floor", "zone"), Window
    )
    destinations = _index(
        col, root, "destinations", ("id", "name", "address", "phone", "hours"), Destination
    )
    for i, window in enumerate(windows.values()):
        if window.unit not in units:
            col.add(["windows", i, "unit"], f"窗口 {window.id} 引用了未知单位 {window.unit}")
        if window.role not in WINDOW_ROLES:
            col.add(["windows", i, "role"], f"窗口类型只能是 {'、'.join(WINDOW_ROLES)}")
    for i, dest in enumerate(destinations.values()):
        if dest.unit and dest.unit not in units:
            col.add(["destinations", i, "unit"], f"办理地点 {dest.id} 引用了未知单位 {dest.unit}")
    problems = col.problems

    matters: dict[str, Matter] = {}
    for path in sorted((guides / "matters").glob("*.yaml")):
        problems += _load_matters(data_dir, path, units, windows, destinations, matters)
    if not matters:
        problems.append(Problem(_label(data_dir, guides / "matters"), 1, "没有任何事项"))

    aliases: dict[str, tuple[str, ...]] = {}
    alias_path = guides / "aliases.yaml"
    if alias_path.exists():
        raw_aliases = load_yaml(alias_path, _label(data_dir, alias_path)) or {}
        aliases = {str(k): tuple(str(v) for v in vs) for k, vs in raw_aliases.items()}

    if problems or centre is None:
        raise SourceError(sorted(problems))
    return Catalogue(centre, units, windows, destinations, matters, aliases)


def _index(
    col: _Collector, root: Any, key: str, fields: tuple[str, ...], cls: Any
) -> dict[str, Any]:
    items = root.get(key)
    result: dict[str, Any] = {}
    if not isinstance(items, list):
        col.add([key], f"缺少列表 {key}")
        return result
    for i, raw in enumerate(items):
        if not col.require(raw, [key, i], fields):
            continue
        allowed = {k: str(v) for k, v in raw.items() if k in cls.__dataclass_fields__}
        unknown = sorted(set(raw) - set(cls.__dataclass_fields__))
        if unknown:
            col.add([key, i, unknown[0]], f"未知字段：{', '.join(unknown)}")
        if allowed["id"] in result:
            col.add([key, i, "id"], f"编号重复：{allowed['id']}")
            continue
        result[allowed["id"]] = cls(**allowed)
    return result


def _load_matters(
    data_dir: Path,
    path: Path,
    units: dict[str, Unit],
    windows: dict[str, Window],
    destinations: dict[str, Destination],
    matters: dict[str, Matter],
) -> list[Problem]:
    label = _label(data_dir, path)
    try:
        root = load_yaml(path, label)
    except SourceError as error:
        return error.problems
    col = _Collector(label, root)
    items = root.get("matters") if isinstance(root, LineDict) else None
    if not isinstance(items, list):
        col.add([], "文件应包含 matters: 列表")
        return col.problems
    for i, raw in enumerate(items):
        where: list[str | int] = ["matters", i]
        if not col.require(raw, where, MATTER_FIELDS):
            continue
        matter = _matter(col, where, raw)
        if matter is None:
            continue
        if matter.id in matters:
            col.add(where + ["id"], f"事项编号重复：{matter.id}")
        if matter.unit not in units:
            col.add(where + ["unit"], f"事项 {matter.id} 引用了未知单位 {matter.unit}")
        if matter.kind not in KINDS:
            col.add(where + ["kind"], f"办件类型只能是 {'、'.join(KINDS)}")
        for w in matter.windows:
            if w not in windows:
                col.add(where + ["windows"], f"事项 {matter.id} 引用了未知窗口 {w}")
            elif windows[w].unit != matter.unit:
                col.add(where + ["windows"], f"窗口 {w} 不属于单位 {matter.unit}")
        if matter.destination and matter.destination not in destinations:
            col.add(
                where + ["destination"], f"事项 {matter.id} 引用了未知办理地点 {matter.destination}"
            )
        if not matter.windows and not matter.destination:
            col.add(where, f"事项 {matter.id} 既没有受理窗口也没有办理地点")
        if matter.windows and matter.destination:
            col.add(where, f"事项 {matter.id} 不能同时有本中心窗口和外部办理地点")
        seen: set[str] = set()
        for j, cond in enumerate(matter.conditions):
            if cond.id in seen:
                col.add(where + ["conditions", j], f"受理条件编号重复：{cond.id}")
            seen.add(cond.id)
        for ref in (matter.guide, *matter.forms):
            if not (data_dir / "guides" / ref).is_file():
                col.add(where + ["guide"], f"找不到文件 guides/{ref}")
        matters[matter.id] = matter
    return col.problems


def _matter(col: _Collector, where: list[str | int], raw: dict[str, Any]) -> Matter | None:
    try:
        fee_raw = raw["fee"] if isinstance(raw["fee"], dict) else {"amount": raw["fee"]}
        conditions = []
        for j, c in enumerate(raw["conditions"]):
            if col.require(c, where + ["conditions", j], ("id", "question", "missing", "remedy")):
                conditions.append(
                    Condition(**{k: str(c[k]) for k in ("id", "question", "missing", "remedy")})
                )
        materials = []
        for j, m in enumerate(raw["materials"]):
            if col.require(m, where + ["materials", j], ("name", "form", "count")):
                materials.append(
                    Material(
                        str(m["name"]), str(m["form"]), int(m["count"]), str(m.get("source", ""))
                    )
                )
        return Matter(
            id=str(raw["id"]),
            name=str(raw["name"]),
            code=str(raw["code"]),
            category=str(raw["category"]),
            unit=str(raw["unit"]),
            kind=str(raw["kind"]),
            statutory_days=int(raw["statutory_days"]),
            promised_days=int(raw["promised_days"]),
            fee=Fee(
                float(fee_raw.get("amount") or 0),
                str(fee_raw.get("basis") or ""),
                str(fee_raw.get("note") or ""),
            ),
            legal_basis=tuple(str(x) for x in raw["legal_basis"]),
            phone=str(raw["phone"]),
            conditions=tuple(conditions),
            materials=tuple(materials),
            guide=str(raw["guide"]),
            forms=tuple(str(f) for f in raw["forms"]),
            windows=tuple(str(w) for w in raw.get("windows") or ()),
            destination=str(raw.get("destination") or ""),
            keywords=tuple(str(k) for k in raw.get("keywords") or ()),
            visits=int(raw.get("visits", 1)),
        )
    except (TypeError, ValueError, AttributeError) as error:
        col.add(where, f"事项字段类型错误：{error}")
        return None


def _is_hhmm(text: str) -> bool:
    parts = text.split(":")
    return (
        len(parts) == 2
        and all(p.isdigit() for p in parts)
        and int(parts[0]) < 24
        and int(parts[1]) < 60
    )


def _label(data_dir: Path, path: Path) -> str:
    try:
        return str(path.relative_to(data_dir))
    except ValueError:
        return str(path)
