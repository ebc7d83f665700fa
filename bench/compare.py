"""SCALE=1 against SCALE=5 (issue #13 §4): per page median, p95 and queries from each
bench/results/latest-scale<N>.json, side by side; printed and written as scale-comparison.md.

Query counts (the usual count per request; the mean beside it when a request differed, e.g. the
once-a-minute session refresh) must be equal at every scale (the pages read the same per-school
data); a difference is marked. `python bench/compare.py` prints the comparison of the files present without measuring.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def compare(folder: Path = RESULTS) -> bool:
    """Prints and writes the table; False when a page's queries differ between the scales."""
    runs = {}
    for path in folder.glob("latest-scale*.json"):
        match = re.fullmatch(r"latest-scale(\d+)\.json", path.name)
        if match:
            runs[int(match.group(1))] = json.loads(path.read_text())
    if len(runs) < 2:
        return True
    scales = sorted(runs)
    by_scale = {n: {r["name"]: r for r in runs[n]["results"]} for n in scales}
    names = [r["name"] for r in runs[scales[0]]["results"]]
    names += [name for n in scales[1:] for name in by_scale[n] if name not in names]
    header = ["page"] + [f"SCALE={n} {what}" for n in scales for what in ("median ms", "p95 ms", "queries")]
    lines = [
        "| " + " | ".join(header) + " |",
        "|---" + "|---:" * (len(header) - 1) + "|",
    ]
    flat = True
    for name in names:
        cells, queries = [name], set()
        for n in scales:
            row = by_scale[n].get(name)
            if row is None:
                cells += ["–", "–", "–"]
                continue
            usual = row.get("queries_usual", row["queries_per_request"])
            queries.add(usual)
            shown = f"{usual:g}" + (
                f" (mean {row['queries_per_request']:g})" if usual != row["queries_per_request"] else ""
            )
            cells += [f"{row['median_ms']:.1f}", f"{row['p95_ms']:.1f}", shown]
        if len(queries) > 1:
            flat = False
            cells[0] += " **(queries differ)**"
        lines.append("| " + " | ".join(cells) + " |")
    sizes = [
        f"SCALE={n}: {runs[n]['dataset'].get('Student', '?'):,} students, "
        f"{runs[n]['dataset'].get('DossierEntry', '?'):,} file entries, built in {runs[n]['dataset_seconds']} s, "
        f"load average {' / '.join(f'{x:.2f}' for x in runs[n].get('load_average', []))}"
        for n in scales
    ]
    text = "\n".join(
        ["# Growth: the same pages at every SCALE", "", *[f"- {s}" for s in sizes], "", *lines, ""]
    )
    text += "\nQuery counts " + ("equal at every scale.\n" if flat else "DIFFER (marked above).\n")
    (folder / "scale-comparison.md").write_text(text)
    print(text)
    return flat


if __name__ == "__main__":
    sys.exit(0 if compare() else 1)
