"""The graph-without-dask fix measured alone: NLU parse time with Rasa's dask
scheduler and with the fix, alternating, in one process (python -m bench.graph_runner_bench)."""

import asyncio
import statistics
import time

import dask
import rasa.engine.runner.dask as rasa_dask_runner
from rasa.core.agent import Agent

import bot  # noqa: F401  (applies the fixes)

MESSAGES = [
    "my Nov 4 session was canceled, my last one was Oct 28 and they offered me Nov 20",
    "hello",
    "what are my rights",
]


async def median_parse_ms(agent: Agent, count: int) -> float:
    samples = []
    for index in range(count):
        began = time.perf_counter()
        await agent.parse_message(MESSAGES[index % len(MESSAGES)])
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def main() -> None:
    agent = Agent.load("models/care-clock.tar.gz")
    fixed = rasa_dask_runner.dask
    for label, scheduler in [("dask", dask), ("fix", fixed)] * 2:
        rasa_dask_runner.dask = scheduler
        print(f"{label}: median parse {asyncio.run(median_parse_ms(agent, 600)):.1f} ms")


if __name__ == "__main__":
    main()
