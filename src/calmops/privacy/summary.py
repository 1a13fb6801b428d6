"""The one-line verdict of a privacy report when it has no finding."""

from __future__ import annotations

from typing import Any

__all__ = ["all_clear_sentence"]


def all_clear_sentence(closeness: dict[str, Any]) -> str:
    """Say what "no finding" means for near duplicates, which chance alone produces.

    >>> all_clear_sentence({"near_duplicates": 0, "share_near": 0.0, "near_alert": False})
    'No finding: no row at risk, no exact or near copy'
    >>> print(all_clear_sentence({"near_duplicates": 12, "share_near": 0.006}))
    No finding: no row at risk, no exact copy; 12 near duplicates (0.6%), no more than chance ...
    """
    near = closeness.get("near_duplicates") or 0
    if not near:
        return "No finding: no row at risk, no exact or near copy"
    return (
        f"No finding: no row at risk, no exact copy; {near} near duplicates "
        f"({closeness['share_near']:.1%}), no more than chance gives"
    )
