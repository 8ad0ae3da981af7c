"""Staff accounts: PIN hashing, sign-in, lockout and the admin operations."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kiosk.domain.staff import (
    ROLE_NAMES,
    SCRYPT_N,
    AuthService,
    Role,
    SignInError,
    StaffError,
    StaffMember,
    check_pin,
    hash_pin,
    verify_pin,
)
from kiosk.store import InMemoryStaffRepository
from tests.conftest import FIXED_NOW

CHEAP = 2**4


class Clock:
    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def auth(clock: Clock) -> AuthService:
    service = AuthService(InMemoryStaffRepository(), clock, cost=CHEAP)
    service.add("c001", "王小红", Role.CLERK, "market", "B01", "1234")
    return service


def test_roles_match_the_design() -> None:
    assert {str(r) for r in Role} == {
        "guide", "proxy", "clerk", "window_head", "unit_leader", "main_leader",
        "business_section", "fallback_window", "rules_maintainer", "admin",
    }  # fmt: skip
    assert set(ROLE_NAMES) == set(Role) and all(ROLE_NAMES.values())


def test_real_cost_hash_is_self_describing_and_salted() -> None:
    stored = hash_pin("2468")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, int(n), r, p) == ("scrypt", SCRYPT_N, "8", "1")
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert verify_pin("2468", stored) and not verify_pin("2469", stored)
    assert hash_pin("2468") != stored


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "١٢٣٤", " 1234"])
def test_pin_format(pin: str) -> None:
    with pytest.raises(StaffError):
        check_pin(pin)


def test_malformed_hash_never_matches() -> None:
    for stored in ["", "plain", "md5$1$1$1$00$00", "scrypt$x$8$1$00$00"]:
        assert not verify_pin("1234", stored)


def test_sign_in(auth: AuthService) -> None:
    session = auth.sign_in(" c001 ", "1234")
    assert (session.staff_id, session.name, session.role, session.unit, session.window) == (
        "c001", "王小红", Role.CLERK, "market", "B01",
    )  # fmt: skip
    assert session.role_name == "窗口工作人员" and session.who == "王小红（c001）"


def test_unknown_id_and_wrong_pin_look_the_same(auth: AuthService) -> None:
    with pytest.raises(SignInError) as unknown:
        auth.sign_in("nobody", "1234")
    with pytest.raises(SignInError) as wrong:
        auth.sign_in("c001", "9999")
    assert str(unknown.value) == str(wrong.value) == "工号或密码不正确"


def test_five_wrong_pins_lock_then_expire(auth: AuthService, clock: Clock) -> None:
    for _ in range(4):
        with pytest.raises(SignInError, match="不正确"):
            auth.sign_in("c001", "0000")
    with pytest.raises(SignInError, match="锁定至 2026-11-27 10:45"):
        auth.sign_in("c001", "0000")
    with pytest.raises(SignInError, match="已锁定至 2026-11-27 10:45"):
        auth.sign_in("c001", "1234")  # even the right PIN
    clock.now += timedelta(minutes=15)
    assert auth.sign_in("c001", "1234").staff_id == "c001"
    member = auth.repo.get("c001")
    assert member is not None and member.failed_attempts == 0 and member.locked_until is None


def test_right_pin_resets_the_counter(auth: AuthService) -> None:
    for _ in range(4):
        with pytest.raises(SignInError):
            auth.sign_in("c001", "0000")
    auth.sign_in("c001", "1234")
    for _ in range(4):
        with pytest.raises(SignInError, match="不正确"):
            auth.sign_in("c001", "0000")


def test_configurable_lockout(clock: Clock) -> None:
    auth = AuthService(
        InMemoryStaffRepository(), clock, max_attempts=2, lockout_minutes=1, cost=CHEAP
    )
    auth.add("h1", "李", "window_head", "market", "B01", "5678")
    with pytest.raises(SignInError):
        auth.sign_in("h1", "0000")
    with pytest.raises(SignInError, match="锁定"):
        auth.sign_in("h1", "0000")
    clock.now += timedelta(minutes=1)
    assert auth.sign_in("h1", "5678").role == Role.WINDOW_HEAD


def test_disable_and_reset_pin(auth: AuthService) -> None:
    for _ in range(5):
        with pytest.raises(SignInError):
            auth.sign_in("c001", "0000")
    auth.reset_pin("c001", "87654321")  # also unlocks
    assert auth.sign_in("c001", "87654321").staff_id == "c001"
    auth.disable("c001")
    with pytest.raises(SignInError, match="停用"):
        auth.sign_in("c001", "87654321")
    with pytest.raises(SignInError, match="不正确"):
        auth.sign_in("c001", "1111")  # a wrong PIN does not reveal the account is disabled


def test_admin_errors(auth: AuthService) -> None:
    with pytest.raises(StaffError, match="已存在"):
        auth.add("c001", "重复", Role.CLERK, "market", None, "1234")
    with pytest.raises(StaffError, match="未知角色"):
        auth.add("x1", "某", "boss", "market", None, "1234")
    with pytest.raises(StaffError, match="4 到 8 位"):
        auth.add("x1", "某", Role.CLERK, "market", None, "12")
    with pytest.raises(StaffError):
        auth.add("bad id", "某", Role.CLERK, "market", None, "1234")
    with pytest.raises(StaffError):
        auth.disable("nobody")
    with pytest.raises(StaffError):
        auth.reset_pin("c001", "abc")
    assert auth.repo.get("x1") is None


def test_member_round_trip() -> None:
    member = StaffMember(
        "a", "甲", Role.ADMIN, "approval", None, "h", True, 2, FIXED_NOW.isoformat()
    )
    assert StaffMember.from_dict(member.to_dict()) == member
    assert member.to_dict()["role"] == "admin"
    for broken in ({"id": "a"}, {**member.to_dict(), "role": "king"},
                   {**member.to_dict(), "locked_until": "soon"}):  # fmt: skip
        with pytest.raises(ValueError):
            StaffMember.from_dict(broken)
