"""Personal data in the text, replaced by fixed placeholders: e-mail addresses, mainland mobile
numbers, resident identity card numbers and bank card numbers.

A number is masked only when it is what it looks like: an identity number must have a valid birth
date and its ISO 7064 check character (GB 11643), a card number must pass the Luhn check and start
like a card (UnionPay 62, Visa 4, Mastercard 51–55 / 22–27, Amex 34/37, JCB 35). Digits inside a
longer run of digits are never a match (a serial number is no phone number).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

PLACEHOLDERS = {"email": "<EMAIL>", "phone": "<PHONE>", "id_number": "<ID_NUMBER>", "bank_card": "<BANK_CARD>"}
KINDS = tuple(PLACEHOLDERS)

# ASCII classes, not \w: in Python \w matches Han characters, and an address glued to Chinese text
# ("请联系reader@example.cn") must still match
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                    r"\.[A-Za-z]{2,}")
_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){15,18}\d(?![\d-])")
# …and never an amount: a phone number is followed by no decimals and no unit ("营业收入15912345678.52元",
# "总股本13612345678股", "旅客发送量13512345678人次": reports print eleven-digit figures without separators)
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)"
                    r"(?![.．]\d|\s*(?:[元股亿万千百%％吨件户辆台套份个次人]|美元|港元|欧元|平方米|公里))")
# Eleven digits, single spaces or dashes between them allowed: what a phone, card or identity number
# holds at the least. A text without it (most) skips those three patterns.
_DIGITS_RUN = re.compile(r"\d(?:[ -]?\d){10}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CARD_PREFIX = re.compile(r"62|4|5[1-5]|2[2-7]|3[47]|35")


def valid_id_number(number: str) -> bool:
    """GB 11643: a real birth date, and the check character computed from the first 17 digits."""
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    checksum = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS)) % 11
    return 1900 <= born.year and _ID_CHECK[checksum] == number[17].upper()


def luhn(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def valid_card_number(found: str) -> bool:
    """16 to 19 digits (spaces or dashes between them allowed), a card's prefix, and the Luhn check."""
    digits = re.sub(r"[ -]", "", found)
    return 16 <= len(digits) <= 19 and bool(_CARD_PREFIX.match(digits)) and luhn(digits)


def mask_pii(text: str) -> tuple[str, dict[str, int]]:
    """The text with personal data replaced, and how many of each kind were found."""
    counts = dict.fromkeys(KINDS, 0)

    def replace(kind: str, valid: Callable[[str], bool] | None = None) -> Callable[[re.Match[str]], str]:
        def substitute(match: re.Match[str]) -> str:
            if valid is not None and not valid(match.group()):
                return match.group()
            counts[kind] += 1
            return PLACEHOLDERS[kind]
        return substitute

    if "@" in text:
        text = _EMAIL.sub(replace("email"), text)
    if _DIGITS_RUN.search(text):
        text = _ID.sub(replace("id_number", valid_id_number), text)  # before cards: 18 digits may pass Luhn
        text = _CARD.sub(replace("bank_card", valid_card_number), text)
        text = _PHONE.sub(replace("phone"), text)
    return text, counts
