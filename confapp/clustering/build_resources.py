"""Build the artefacts under ``confapp/clustering/data`` from the Norwegian seed documents.

Run from the repo root: ``.venv/bin/python -m confapp.clustering.build_resources [--seeds DIR]``.
The seeds live outside the repo (``../shared/seeds``), so the outputs are committed and the app
never reads the seeds at run time.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from confapp.clustering import resources

DEFAULT_SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def seed_tokens(seeds: Path, shown: dict[str, Counter[str]] | None = None) -> list[list[str]]:
    """Folded lemma keys per paragraph of every ``*.txt`` seed; ``shown`` collects spellings."""
    from confapp.clustering.normalize import lemma_form, tokenize

    out: list[list[str]] = []
    for path in sorted(seeds.glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n\n"):
            forms = [lemma_form(t) for t in tokenize(para) if not t[0].isdigit()]
            if len(forms) < 3:
                continue
            out.append([k for k, _ in forms])
            if shown is not None:
                for k, lemma in forms:
                    shown.setdefault(k, Counter())[lemma] += 1
    return out


def build_vocab(paragraphs: list[list[str]], min_count: int = 2) -> dict[str, tuple[int, int]]:
    """key -> (count, paragraph document frequency) for keys seen at least ``min_count`` times."""
    counts = Counter(k for para in paragraphs for k in para if len(k) >= 2 and k.isalnum())
    df = Counter(k for para in paragraphs for k in set(para))
    return {k: (c, df[k]) for k, c in counts.items() if c >= min_count}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder with seed *.txt files")
    args = parser.parse_args(argv)
    shown: dict[str, Counter[str]] = {}
    paragraphs = seed_tokens(args.seeds, shown)
    vocab = build_vocab(paragraphs)
    resources.DATA_DIR.mkdir(exist_ok=True)
    ranked = sorted(vocab.items(), key=lambda kv: (-kv[1][0], kv[0]))
    lines = [f"#paragraphs\t{len(paragraphs)}"] + [
        f"{k}\t{c}\t{d}\t{shown[k].most_common(1)[0][0]}" for k, (c, d) in ranked
    ]
    resources.VOCAB_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} keys to {resources.VOCAB_FILE}")


if __name__ == "__main__":
    main()
