"""Sampling helpers for demo data: quantile-calibrated numbers, weighted picks, round prices."""

from __future__ import annotations

import random
from decimal import Decimal


class Quantiles:
    """Samples from p10/p25/p50/p75/p90 by piecewise-linear interpolation, with gentle tails."""

    def __init__(self, q: dict) -> None:
        low, high = q.get("p10") or q["p25"], q.get("p90") or q["p75"]
        self.points = [
            (0.0, low * 0.6),
            (0.10, low),
            (0.25, q["p25"]),
            (0.5, q["p50"]),
            (0.75, q["p75"]),
            (0.90, high),
            (1.0, high * 1.5),
        ]

    def sample(self, rng: random.Random) -> float:
        u = rng.random()
        for (u0, v0), (u1, v1) in zip(self.points, self.points[1:], strict=False):
            if u <= u1:
                return v0 + (v1 - v0) * (u - u0) / (u1 - u0)
        return self.points[-1][1]


def money(value: float, floor: float = 5.0, step: int = 1) -> Decimal:
    """A round amount, as people write prices: to the dollar (or to `step` dollars)."""
    return Decimal(max(round(value / step) * step, floor)).quantize(Decimal("1.00"))


def pick(rng: random.Random, shares: dict) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]
