"""Robust z-score (Iglewicz & Hoaglin, «How to Detect and Handle Outliers», 1993): the distance
of a value from the median of its reference values in units of the median absolute deviation,
``z = 0.6745 · (x − median) / MAD`` (0.6745 makes it comparable to a normal z). |z| > 3.5 is
their outlier mark. A median and MAD are not dragged by the outliers themselves, as a mean and a
standard deviation are.

When more than half of the reference values are equal, MAD is 0: the mean absolute deviation
stands in (``z = (x − median) / (1.253314 · MeanAD)``, the scaling of IBM SPSS / Iglewicz-
Hoaglin's note); when every reference value is equal, a value different from them scores
``±inf`` — the caller's minimum relative change then decides."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MAD_SCALE = 0.6745
MEAN_AD_SCALE = 1.253314
OUTLIER_Z = 3.5


@dataclass(frozen=True)
class Robust:
    median: float
    mad: float
    z: float


def robust_z(value: float, reference: Sequence[float]) -> Robust:
    if not reference:
        raise ValueError("no reference values")
    median = statistics.median(reference)
    deviations = [abs(v - median) for v in reference]
    mad = statistics.median(deviations)
    diff = value - median
    if mad > 0:
        return Robust(median, mad, MAD_SCALE * diff / mad)
    mean_ad = sum(deviations) / len(deviations)
    if mean_ad > 0:
        return Robust(median, mad, diff / (MEAN_AD_SCALE * mean_ad))
    z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return Robust(median, mad, z)
