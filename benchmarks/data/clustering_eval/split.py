"""Build dev.jsonl and test.jsonl from points_by_theme.txt, once, deterministically.

Each point gets an id from the SHA-1 of its text; within each theme the points are ordered by
SHA-1(SALT + id) and the first 40 % (rounded) go to the test part, the rest to development.
Group and round are context metadata drawn from the same hash. Run from anywhere::

    python benchmarks/data/clustering_eval/split.py

It prints only counts (never the test points).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SALT = "confapp-clustering-eval-split-v1"
TEST_SHARE = 0.4


def _h(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def read_source(path: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    theme = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            theme = line[3:].strip()
        elif line.strip() and not line.startswith("#"):
            text = line.strip()
            digest = _h(text)
            rows.append(
                {
                    "id": "p" + digest[:8],
                    "text": text,
                    "theme": theme,
                    "group": f"G{int(digest[8:10], 16) % 10 + 1}",
                    "round": int(digest[10:12], 16) % 2 + 1,
                }
            )
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate point text in the source")
    return rows


def split(rows: list[dict[str, object]]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    by_theme: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_theme.setdefault(str(r["theme"]), []).append(r)
    dev: list[dict[str, object]] = []
    test: list[dict[str, object]] = []
    for members in by_theme.values():
        members.sort(key=lambda r: _h(SALT + str(r["id"])))
        cut = round(len(members) * TEST_SHARE)
        test.extend(members[:cut])
        dev.extend(members[cut:])
    # file order carries no label information
    dev.sort(key=lambda r: str(r["id"]))
    test.sort(key=lambda r: str(r["id"]))
    return dev, test


def write(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def main() -> None:
    rows = read_source(HERE / "points_by_theme.txt")
    dev, test = split(rows)
    write(HERE / "dev.jsonl", dev)
    write(HERE / "test.jsonl", test)
    themes = len({r["theme"] for r in rows})
    print(f"{len(rows)} points, {themes} themes: dev {len(dev)}, test {len(test)}")


if __name__ == "__main__":
    main()
