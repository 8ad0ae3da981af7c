"""Staff accounts, roles, PIN hashing and sign-in with lockout (DESIGN.md §3.7)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol


class Role(StrEnum):
    """What a signed-in staff member is (the applicant role has no login)."""

    GUIDE = "guide"
    PROXY = "proxy"
    CLERK = "clerk"
    WINDOW_HEAD = "window_head"
    UNIT_LEADER = "unit_leader"
    MAIN_LEADER = "main_leader"
    BUSINESS_SECTION = "business_section"
    FALLBACK_WINDOW = "fallback_window"
    RULES_MAINTAINER = "rules_maintainer"
    ADMIN = "admin"


ROLE_NAMES: dict[Role, str] = {
    Role.GUIDE: "导办人员",
    Role.PROXY: "帮办代办人员",
    Role.CLERK: "窗口工作人员",
    Role.WINDOW_HEAD: "窗口负责人",
    Role.UNIT_LEADER: "单位分管领导",
    Role.MAIN_LEADER: "单位主要领导",
    Role.BUSINESS_SECTION: "中心业务科室",
    Role.FALLBACK_WINDOW: "办不成事反映窗口",
    Role.RULES_MAINTAINER: "规则维护人员",
    Role.ADMIN: "系统管理员",
}

PIN_FORMAT = re.compile(r"^[0-9]{4,8}$")
SCRYPT_N = 2**14  # the production cost; tests pass a smaller power of two
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
BAD_CREDENTIALS = "工号或密码不正确"


class StaffError(ValueError):
    """A staff operation that cannot be done; the message is in Chinese."""


class SignInError(StaffError):
    """Sign-in refused; the message never tells an unknown id from a wrong PIN."""


def check_pin(pin: str) -> str:
    """Validate a PIN's format.

    Args:
        pin: The PIN as typed.

    Returns:
        The same PIN.

    Raises:
        StaffError: The PIN is not 4 to 8 digits.
    """
    if not PIN_FORMAT.match(pin):
        raise StaffError("密码必须是 4 到 8 位数字")
    return pin


def hash_pin(pin: str, n: int = SCRYPT_N) -> str:
    """Hash a PIN with scrypt and a fresh random salt.

    Args:
        pin: A PIN of 4 to 8 digits.
        n: The scrypt cost (a power of two); keep the default outside tests.

    Returns:
        A self-describing string ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>``.

    Raises:
        StaffError: The PIN is not 4 to 8 digits.
    """
    check_pin(pin)
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(pin, salt, n, SCRYPT_R, SCRYPT_P)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether a PIN matches a hash made by :func:`hash_pin` (constant-time comparison).

    Args:
        pin: The PIN as typed.
        stored: The stored hash string.

    Returns:
        True when it matches; False for a wrong PIN or a malformed hash.
    """
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        actual = _scrypt(pin, bytes.fromhex(salt), int(n), int(r), int(p), len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int = HASH_BYTES) -> bytes:
    """Run scrypt with enough memory allowance for the given cost."""
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=256 * n * r + 2**20
    )


@dataclass(frozen=True)
class StaffMember:
    """One staff account as stored."""

    id: str
    name: str
    role: Role
    unit: str
    window: str | None
    pin_hash: str
    active: bool = True
    failed_attempts: int = 0
    locked_until: str | None = None  # ISO 8601 with offset

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["role"] = str(self.role)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StaffMember:
        """Rebuild a member from its stored form.

        Raises:
            ValueError: A field is missing, has the wrong type or names an unknown role.
        """
        try:
            member = cls(
                id=str(data["id"]),
                name=str(data["name"]),
                role=Role(data["role"]),
                unit=str(data["unit"]),
                window=None if data.get("window") is None else str(data["window"]),
                pin_hash=str(data["pin_hash"]),
                active=bool(data.get("active", True)),
                failed_attempts=int(data.get("failed_attempts", 0)),
                locked_until=data.get("locked_until"),
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"工作人员记录格式不对：{error}") from error
        if member.locked_until is not None:
            if not isinstance(member.locked_until, str):
                raise ValueError("locked_until 必须是日期时间文本")
            datetime.fromisoformat(member.locked_until)  # ValueError when malformed
        return member


class StaffRepository(Protocol):
    """Where staff accounts live (a JSON file an admin manages)."""

    def get(self, staff_id: str) -> StaffMember | None:
        """The member with this id, or None."""
        ...

    def save(self, member: StaffMember) -> None:
        """Add or replace a member durably."""
        ...

    def list(self) -> Iterable[StaffMember]:
        """Every member, by id."""
        ...


@dataclass(frozen=True)
class Session:
    """A signed-in staff member: what the screens and the workflow need to know."""

    staff_id: str
    name: str
    role: Role
    unit: str
    window: str | None
    signed_in_at: str  # ISO 8601

    @property
    def role_name(self) -> str:
        """The role in Chinese."""
        return ROLE_NAMES[self.role]

    @property
    def who(self) -> str:
        """How the person appears in a case timeline: name and staff id."""
        return f"{self.name}（{self.staff_id}）"


class AuthService:
    """Signs staff in and lets an admin manage accounts."""

    def __init__(
        self,
        repo: StaffRepository,
        clock: Callable[[], datetime],
        max_attempts: int = 5,
        lockout_minutes: float = 15,
        cost: int = SCRYPT_N,
    ) -> None:
        """Wire the service.

        Args:
            repo: The staff accounts.
            clock: The current time (timezone-aware).
            max_attempts: Wrong PINs in a row that lock the account.
            lockout_minutes: How long a locked account stays locked.
            cost: The scrypt cost for new hashes; lower it only in tests.
        """
        self.repo = repo
        self._clock = clock
        self.max_attempts = max_attempts
        self.lockout = timedelta(minutes=lockout_minutes)
        self.cost = cost
        self._dummy_hash = ""

    def sign_in(self, staff_id: str, pin: str) -> Session:
        """Check a staff id and PIN.

        Returns:
            The new session.

        Raises:
            SignInError: Unknown id or wrong PIN (one message for both), a locked account
                (saying until when) or a disabled account.
        """
        now = self._clock()
        member = self.repo.get(staff_id.strip())
        if member is None:
            self._burn_time(pin)  # an unknown id takes as long as a wrong PIN
            raise SignInError(BAD_CREDENTIALS)
        if member.locked_until is not None:
            until = datetime.fromisoformat(member.locked_until)
            if now < until:
                raise SignInError(
                    f"密码错误次数过多，账号已锁定至 {until:%Y-%m-%d %H:%M}，请稍后再试"
                )
        if not verify_pin(pin, member.pin_hash):
            failed = member.failed_attempts + 1
            if failed >= self.max_attempts:
                until = now + self.lockout
                self.repo.save(replace(member, failed_attempts=0, locked_until=until.isoformat()))
                raise SignInError(f"密码连续错误 {failed} 次，账号已锁定至 {until:%Y-%m-%d %H:%M}")
            self.repo.save(replace(member, failed_attempts=failed))
            raise SignInError(BAD_CREDENTIALS)
        if not member.active:
            raise SignInError("该账号已停用，请联系系统管理员")
        if member.failed_attempts or member.locked_until:
            self.repo.save(replace(member, failed_attempts=0, locked_until=None))
        return Session(
            staff_id=member.id,
            name=member.name,
            role=member.role,
            unit=member.unit,
            window=member.window,
            signed_in_at=now.isoformat(timespec="seconds"),
        )

    def add(
        self, staff_id: str, name: str, role: Role | str, unit: str, window: str | None, pin: str
    ) -> StaffMember:
        """Create an account.

        Raises:
            StaffError: The id is taken or malformed, the role is unknown, or the PIN is bad.
        """
        staff_id = staff_id.strip()
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", staff_id):
            raise StaffError("工号只能由 1 到 32 位字母、数字、下划线、点或连字符组成")
        if self.repo.get(staff_id) is not None:
            raise StaffError(f"工号 {staff_id} 已存在")
        if not name.strip():
            raise StaffError("姓名不能为空")
        try:
            role = Role(role)
        except ValueError:
            raise StaffError(f"未知角色：{role}") from None
        member = StaffMember(
            id=staff_id,
            name=name.strip(),
            role=role,
            unit=unit,
            window=window or None,
            pin_hash=hash_pin(pin, self.cost),
        )
        self.repo.save(member)
        return member

    def disable(self, staff_id: str) -> StaffMember:
        """Disable an account; it can no longer sign in.

        Raises:
            StaffError: No such account.
        """
        member = replace(self._existing(staff_id), active=False)
        self.repo.save(member)
        return member

    def reset_pin(self, staff_id: str, pin: str) -> StaffMember:
        """Set a new PIN and unlock the account.

        Raises:
            StaffError: No such account, or the PIN is bad.
        """
        member = replace(
            self._existing(staff_id),
            pin_hash=hash_pin(pin, self.cost),
            failed_attempts=0,
            locked_until=None,
        )
        self.repo.save(member)
        return member

    def _existing(self, staff_id: str) -> StaffMember:
        member = self.repo.get(staff_id.strip())
        if member is None:
            raise StaffError(f"没有工号为 {staff_id} 的工作人员")
        return member

    def _burn_time(self, pin: str) -> None:
        if not self._dummy_hash:
            self._dummy_hash = hash_pin("0000", self.cost)
        verify_pin(pin, self._dummy_hash)
