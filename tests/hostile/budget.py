"""What a refusal may cost: 10 s and 500 MB.

Seconds are counted as CPU (the process's and its reader child's), which does not depend on what
else the machine runs, and as wall time allowing for a machine running more than it has cores for:
CI's runs this suite alone; a shared development machine may run it beside eight others.
"""

from __future__ import annotations

import os

SECONDS = 10
MEMORY = 500 << 20


def crowded() -> float:
    """How many times over the machine's cores are taken (1 when they are not)."""
    return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


def in_time(wall: float, cpu: float) -> bool:
    return cpu < SECONDS and wall < SECONDS * crowded()
