"""Micro benchmark of the engine alone: one verdict, one draft (median microseconds).

Run: .venv/bin/python -m bench.engine_bench   (a benchmark, not a test: nothing asserts speed)
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from care_clock import check, load_guidance
from care_clock.writing.drafts import render_draft

START, OFFERED = dt.date(2024, 10, 28), dt.date(2024, 11, 20)


def median_microseconds(work, repeats: int = 2000) -> float:
    work()  # warm caches (holiday tables, templates)
    samples = []
    for _ in range(repeats):
        began = time.perf_counter_ns()
        work()
        samples.append(time.perf_counter_ns() - began)
    return statistics.median(samples) / 1000


def main() -> None:
    guidance = load_guidance()
    verdict = check("followup", START, offered=OFFERED, guidance=guidance)
    results = {
        "verdict (followup, late)": median_microseconds(
            lambda: check("followup", START, offered=OFFERED, guidance=guidance)
        ),
        "verdict (psychiatry, pending)": median_microseconds(
            lambda: check("psychiatry", START, today=dt.date(2024, 11, 8), guidance=guidance)
        ),
        "draft (grievance)": median_microseconds(lambda: render_draft("grievance", verdict, {}, guidance)),
    }
    for name, micros in results.items():
        print(f"{name:32s} median {micros:8.1f} µs")


if __name__ == "__main__":
    main()
