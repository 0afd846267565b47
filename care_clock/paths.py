"""Where the engine's data lives: seeds/ at the top of the repository, beside care_clock/."""

from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
