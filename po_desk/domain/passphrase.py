"""Passphrase rules and the strength hint shown while a passphrase is typed."""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

from po_desk.domain.errors import ValidationFailed

MINIMUM_LENGTH = 12


@dataclass(frozen=True)
class Strength:
    bits: float
    label: str
    acceptable: bool


def _alphabet_size(passphrase: str) -> int:
    size = 0
    if any(c in string.ascii_lowercase or c in "åäö" for c in passphrase):
        size += 29
    if any(c in string.ascii_uppercase or c in "ÅÄÖ" for c in passphrase):
        size += 29
    if any(c.isdigit() for c in passphrase):
        size += 10
    if any(not c.isalnum() for c in passphrase):
        size += 33
    return size


def estimate(passphrase: str) -> Strength:
    """A rough estimate: length times alphabet, discounted for repeated characters."""
    if not passphrase:
        return Strength(0.0, "Ange en lösenfras", False)
    distinct_share = len(set(passphrase)) / len(passphrase)
    bits = len(passphrase) * math.log2(max(_alphabet_size(passphrase), 2)) * distinct_share
    if len(passphrase) < MINIMUM_LENGTH:
        return Strength(bits, f"För kort – minst {MINIMUM_LENGTH} tecken", False)
    if bits < 50:
        return Strength(bits, "Svag – lägg till fler ord", False)
    if bits < 75:
        return Strength(bits, "Godkänd", True)
    return Strength(bits, "Stark", True)


def require_acceptable(passphrase: str) -> None:
    strength = estimate(passphrase)
    if not strength.acceptable:
        raise ValidationFailed([f"Lösenfrasen duger inte: {strength.label}."])
