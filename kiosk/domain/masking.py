"""Masking of personal information (GB/T 35273-2020 §7.2 patterns), applied in the data layer."""

from __future__ import annotations

import re

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def mask_phone(phone: str) -> str:
    """`13812345678` -> `138****5678`; landlines keep area code and last four digits."""
    digits = phone.strip()
    if MOBILE.match(digits):
        return f"{digits[:3]}****{digits[-4:]}"
    if LANDLINE.match(digits):
        area, _, number = digits.partition("-") if "-" in digits else (digits[:4], "", digits[4:])
        return f"{area}-{'*' * (len(number) - 4)}{number[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_name(name: str) -> str:
    """`张三` -> `张*`, `张小明` -> `张*明`, `欧阳小明` -> `欧**明`."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """`610902199001011234` -> `6109**********1234`."""
    number = number.strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def valid_phone(phone: str) -> bool:
    """An 11-digit mainland mobile number or a landline with area code (0915-3210000)."""
    phone = phone.strip()
    return bool(MOBILE.match(phone) or LANDLINE.match(phone))
