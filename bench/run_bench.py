"""Benchmark the running stack: per-turn latency, throughput, cold start, training
time and memory, for Care Clock's pipeline and for Rasa's stock default pipeline
on the same bot, then scaled mode (`make run-cluster`: Redis lock store,
PostgreSQL tracker store, nginx) with 2 Rasa servers and with 1, and the costs that
must stay flat as the work grows (bench/growth_bench.py), in one run.
Writes bench/results.md. CARE_CLOCK_BENCH_SECONDS shortens each load run (and
makes it one run a level) for a quick check while developing.

Run: make bench  (a benchmark, not a test: nothing here asserts speed). Loopback
only; every load loop is bounded in turns and in time.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench import growth_bench  # noqa: E402
from bench.engine_bench import main as engine_main  # noqa: E402
from tests.cluster import Cluster  # noqa: E402
from tests.servers import RASA, Stack  # noqa: E402

VARIANTS = {"care-clock": ROOT / "config.yml", "stock": ROOT / "bench" / "config-stock.yml"}
# Realistic conversations: the strike scenario, rights questions, corrections.
CONVERSATIONS = [
    [
        "hi",
        "my Nov 4 session was canceled because of the strike, my last one was Oct 28 and they offered me Nov 20",
        "no",
        '/show_draft{"draft":"grievance"}',
        "thanks",
    ],
    [
        "my appointment was canceled",
        '/inform{"appointment_kind":"followup"}',
        "Oct 28",
        "the 4th",
        "/deny",
        "/deny",
        "sorry, it was Oct 29",
    ],
    ["what is the 10 day rule", "can i see someone out of network", "how do i contact the dmhc", "bye"],
    ["is Dec 3 too late if my last session was Nov 19?", "what's the strike about", "how do i file a grievance"],
]
LATENCY_TURNS = 780
LEVELS = (1, 8, 32)
SCALED_LEVELS = (1, 8, 32, 64)  # Care Clock's single process is measured at these too
# Each level is run REPEATS times and the median reported with its range: on a
# shared 2-core machine one run of the same build varies by about 10%.
REPEATS, LEVEL_SECONDS, LEVEL_MAX_TURNS = 3, 8, 2000
if os.environ.get("CARE_CLOCK_BENCH_SECONDS"):
    REPEATS, LEVEL_SECONDS = 1, float(os.environ["CARE_CLOCK_BENCH_SECONDS"])
# The targets for Care Clock's pipeline: key -> ("max" or "min", bound), or
# ("times lower than stock", factor) for a figure compared with the stock pipeline's.
TARGETS = {
    "p95": ("max", 20),
    "p50": ("times lower than stock", 3),
    "tps_8": ("min", 100),
    "errors_8": ("max", 0),
    "cold_start_s": ("max", 20),
    "training_s": ("max", 30),
    "rss_total_mb": ("max", 900),
}
# Issue #19's targets for scaled mode.
SCALE_AT, SCALE_FACTOR, P95_FACTOR = 32, 1.6, 1.5


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def train(config: Path, out: Path, env) -> float:
    """Training time from scratch: Rasa's component cache (.rasa/cache) is turned off."""
    env = {**env, "RASA_MAX_CACHE_SIZE": "0"}
    began = time.monotonic()
    subprocess.run(
        [
            *RASA,
            "train",
            "--config",
            str(config),
            "--domain",
            "bot/domain",
            "--data",
            "data",
            "--out",
            str(out),
            "--fixed-model-name",
            "model",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.monotonic() - began


def say(session, url, sender, text):
    began = time.perf_counter()
    answer = session.post(url, json={"sender": sender, "message": text}, timeout=30)
    elapsed = time.perf_counter() - began
    return elapsed, answer.status_code == 200


def latency(url) -> list[float]:
    samples, session, n = [], requests.Session(), 0
    while len(samples) < LATENCY_TURNS:
        for text in CONVERSATIONS[n % len(CONVERSATIONS)]:
            samples.append(say(session, url, f"lat-{n}", text)[0])
        n += 1
    return samples


def throughput(url, workers: int, run: int = 0) -> tuple[float, int, int]:
    """Turns per second, turns and errors; every run talks in new conversations
    (a reused sender would make each turn replay a longer conversation)."""
    stop_at = time.monotonic() + LEVEL_SECONDS
    done, errors, lock = [0], [0], threading.Lock()

    def worker(index):
        session, n = requests.Session(), 0
        while time.monotonic() < stop_at and done[0] < LEVEL_MAX_TURNS:
            for text in CONVERSATIONS[n % len(CONVERSATIONS)]:
                try:
                    ok = say(session, url, f"load-{workers}-{run}-{index}-{n}", text)[1]
                except requests.RequestException:
                    ok = False
                with lock:
                    done[0] += 1
                    errors[0] += not ok
            n += 1

    began = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(worker, range(workers)))
    elapsed = time.monotonic() - began
    return done[0] / elapsed, done[0], errors[0]


def machine_check_ms() -> float:
    """Time of a fixed pure-Python loop (median of 5): the same work every time, so
    a change in it is the machine's speed changing (shared cores), not the bot's."""
    times = []
    for _ in range(5):
        began = time.perf_counter()
        sum(i * i for i in range(300_000))
        times.append((time.perf_counter() - began) * 1000)
    return sorted(times)[2]


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000


def load_levels(url: str, levels, result: dict) -> None:
    """Throughput at each concurrency level: the median of REPEATS runs, its range, turns and errors."""
    for workers in levels:
        print(f"  throughput, {workers} concurrent conversations, {REPEATS} runs", flush=True)
        runs = [throughput(url, workers, run) for run in range(REPEATS)]
        rates = sorted(rate for rate, _, _ in runs)
        result[f"tps_{workers}"], result[f"tps_range_{workers}"] = rates[len(rates) // 2], (rates[0], rates[-1])
        result[f"turns_{workers}"] = sum(turns for _, turns, _ in runs)
        result[f"errors_{workers}"] = sum(errors for _, _, errors in runs)


def latency_percentiles(url: str, result: dict) -> None:
    samples = latency(url)
    result.update(
        turns=len(samples), p50=percentile(samples, 50), p95=percentile(samples, 95), p99=percentile(samples, 99)
    )


def measure(variant: str, config: Path, workdir: Path, levels=LEVELS) -> dict:
    """The stack `make run` starts (tests/servers.Stack), with this variant's model."""
    print(f"[{variant}] training", flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    models = workdir / variant
    result = {"training_s": train(config, models, env)}
    print(f"[{variant}] cold start (make run to the first answer)", flush=True)
    stack = Stack(
        workdir / f"{variant}-run", "2024-11-22 12:00", env={"CARE_CLOCK_MODEL": str(models / "model.tar.gz")}
    )
    stack.workdir.mkdir()
    began = time.monotonic()
    stack.start()
    url = f"http://127.0.0.1:{stack.rasa_port}/webhooks/rest/webhook"
    try:
        while not say(requests.Session(), url, "cold", "hello")[1]:
            time.sleep(0.2)
        result["cold_start_s"] = time.monotonic() - began
        result["check_before_ms"] = machine_check_ms()
        print(f"[{variant}] latency over {LATENCY_TURNS} turns", flush=True)
        latency_percentiles(url, result)
        load_levels(url, levels, result)
        result["rss_rasa_mb"], result["rss_actions_mb"] = rss_mb(stack.pid("rasa")), rss_mb(stack.pid("actions"))
        result["rss_total_mb"] = result["rss_rasa_mb"] + result["rss_actions_mb"]
        result["check_after_ms"] = machine_check_ms()
    finally:
        stack.stop()
    return result


def measure_scaled(workdir: Path) -> dict:
    """`make run-cluster` with 2 Rasa servers behind nginx: latency, then load with
    both servers, then with one of them stopped (the proxy sends all to the other)."""
    print("[scaled] starting make run-cluster (2 Rasa servers)", flush=True)
    cluster = Cluster(workdir / "cluster", "2024-11-22 12:00")
    cluster.workdir.mkdir()
    cluster.start()
    url = f"http://127.0.0.1:{cluster.rasa_port}/webhooks/rest/webhook"
    two, one = {}, {}
    try:
        print(f"[scaled] latency over {LATENCY_TURNS} turns, 2 servers", flush=True)
        latency_percentiles(url, two)
        print("[scaled] 2 servers", flush=True)
        load_levels(url, SCALED_LEVELS, two)
        cluster.ctl("stop", f"rasa:rasa_{cluster.server_ports[1]}")
        print("[scaled] 1 server", flush=True)
        load_levels(url, SCALED_LEVELS, one)
    finally:
        cluster.stop()
        cluster.remove_database()
    return {"2 servers": two, "1 server": one}


def scaled_report(single: dict, scaled: dict) -> list[str]:
    two, one = scaled["2 servers"], scaled["1 server"]
    lines = [
        "",
        "## Scaled mode (issue #19)",
        "",
        "`make run-cluster` on this machine: nginx in front, Redis lock store, PostgreSQL tracker store,",
        '1 action server; "1 server" is the same cluster with one Rasa server stopped. The single process',
        "is the Care Clock column above (SQLite, in-memory lock store), measured in the same run.",
        "",
        "| turns/s | single process | scaled, 1 server | scaled, 2 servers | 2 servers / 1 |",
        "|---|---|---|---|---|",
    ]
    for w in SCALED_LEVELS:
        key = f"tps_{w}"
        cells = [
            f"{r[key]:.1f} ({r[f'tps_range_{w}'][0]:.1f}–{r[f'tps_range_{w}'][1]:.1f})" for r in (single, one, two)
        ]
        lines.append(f"| {w} concurrent | {' | '.join(cells)} | {two[key] / one[key]:.2f}× |")
    errors = sum(r[f"errors_{w}"] for r in (one, two) for w in SCALED_LEVELS)
    turns = sum(r[f"turns_{w}"] for r in (one, two) for w in SCALED_LEVELS)
    scale, p95 = two[f"tps_{SCALE_AT}"] / one[f"tps_{SCALE_AT}"], two["p95"] / single["p95"]
    lines += [
        "",
        "| per-turn latency, one conversation at a time (ms) | single process | scaled, 2 servers |",
        "|---|---|---|",
    ]
    lines += [f"| {q} | {single[q]:.1f} | {two[q]:.1f} |" for q in ("p50", "p95", "p99")]
    lines += [
        "",
        "| target (issue #19) | measured | |",
        "|---|---|---|",
        f"| 2 servers ≥ {SCALE_FACTOR}× the turns/s of 1 at {SCALE_AT} concurrent | {scale:.2f}× | "
        f"{'met' if scale >= SCALE_FACTOR else '**missed**'} |",
        f"| scaled p95 ≤ {P95_FACTOR}× the single process's | {p95:.2f}× | {'met' if p95 <= P95_FACTOR else '**missed**'} |",
        f"| 0 errors | {errors} of {turns} turns | {'met' if errors == 0 else '**missed**'} |",
    ]
    return lines


def machine() -> str:
    memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores, {int(memory.split()[1]) // 1024 // 1024} GiB memory, {platform.platform()}, Python {platform.python_version()}"


def target_cell(key: str, ours: dict, stock: dict) -> str:
    if key not in TARGETS:
        return ""
    kind, bound = TARGETS[key]
    if kind == "times lower than stock":
        met, wanted = stock[key] / ours[key] >= bound, f"≥ {bound}× lower than stock"
    else:
        met = ours[key] <= bound if kind == "max" else ours[key] >= bound
        wanted = f"{'=' if (kind, bound) == ('max', 0) else '≤' if kind == 'max' else '≥'} {bound}"
    return f"{wanted}: {'met' if met else '**missed**'}"


def write_report(results: dict, engine_lines: str, scaled: dict, growth: dict) -> str:
    ours, stock = results["care-clock"], results["stock"]
    lower_is_better = [
        ("training (s)", "training_s", "{:.1f}"),
        ("cold start to first answer (s)", "cold_start_s", "{:.1f}"),
        ("latency p50 (ms)", "p50", "{:.1f}"),
        ("latency p95 (ms)", "p95", "{:.1f}"),
        ("latency p99 (ms)", "p99", "{:.1f}"),
        ("RSS Rasa server (MB)", "rss_rasa_mb", "{:.0f}"),
        ("RSS action server (MB)", "rss_actions_mb", "{:.0f}"),
        ("RSS both servers (MB)", "rss_total_mb", "{:.0f}"),
    ]
    lines = [
        "# Care Clock benchmark",
        "",
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}, with `make bench`.",
        f"REST channel on loopback, action server included. Latency: {ours['turns']} turns of scripted",
        "conversations (strike scenario, rights questions, corrections, drafts), one at a time.",
        f"Throughput: {REPEATS} runs of {LEVEL_SECONDS} s (at most {LEVEL_MAX_TURNS} turns) per concurrency level;",
        "the median run, with the slowest and fastest in brackets.",
        "",
        "| measure | Care Clock pipeline | stock Rasa (DIET + TED) | Care Clock better by | target (issue #7) |",
        "|---|---|---|---|---|",
    ]
    for label, key, fmt in lower_is_better:
        lines.append(
            f"| {label} | {fmt.format(ours[key])} | {fmt.format(stock[key])} | {stock[key] / ours[key]:.2f}× | "
            f"{target_cell(key, ours, stock)} |"
        )
    for w in LEVELS:
        key = f"tps_{w}"
        cells = [f"{r[key]:.1f} ({r[f'tps_range_{w}'][0]:.1f}–{r[f'tps_range_{w}'][1]:.1f})" for r in (ours, stock)]
        lines.append(
            f"| turns/s, {w} concurrent | {cells[0]} | {cells[1]} | {ours[key] / stock[key]:.2f}× | "
            f"{target_cell(key, ours, stock)} |"
        )
    for w in LEVELS:
        key = f"errors_{w}"
        lines.append(
            f"| errors, {w} concurrent | {ours[key]} of {ours[f'turns_{w}']} turns | "
            f"{stock[key]} of {stock[f'turns_{w}']} turns | | {target_cell(key, ours, stock)} |"
        )
    checks = ", ".join(
        f"{r['check_before_ms']:.1f} -> {r['check_after_ms']:.1f} ms ({name})"
        for name, r in (("Care Clock run", ours), ("stock run", stock))
    )
    lines += [
        "",
        "Machine check, the same fixed pure-Python loop before latency and after throughput: "
        f"{checks}. On a shared machine this moves by tens of percent; read the figures with it.",
    ]
    lines += scaled_report(ours, scaled)
    lines += ["", *growth_bench.report(growth)]
    lines += ["", "Engine alone (no Rasa), median of 2,000 calls:", "", "```", engine_lines.rstrip(), "```", ""]
    return "\n".join(lines)


def main() -> None:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        engine_main()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for variant, config in VARIANTS.items():
            levels = SCALED_LEVELS if variant == "care-clock" else LEVELS
            results[variant] = measure(variant, config, Path(tmp), levels)
        scaled = measure_scaled(Path(tmp))
        growth = growth_bench.measure(Path(tmp) / "growth")
    report = write_report(results, buffer.getvalue(), scaled, growth)
    (ROOT / "bench" / "results.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
