"""Print a short, readable summary of a `rasa test core` run."""

import json
import sys
from pathlib import Path

out = Path(sys.argv[1])
report = (
    json.loads((out / "story_report.json").read_text(encoding="utf-8")) if (out / "story_report.json").exists() else {}
)
stories = out / "successful_test_stories.yml"
count = stories.read_text(encoding="utf-8").count("- story:") if stories.exists() else 0
accuracy = report.get("accuracy") or report.get("micro avg", {}).get("f1-score")
print(f"conversation tests: {count} stories passed" + (f", action accuracy {accuracy:.3f}" if accuracy else ""))
