"""Artefacts shipped under ``confapp/clustering/data`` (built from ``shared/seeds`` by ``build_resources``).

The app must work without ``../shared`` at run time, so everything learned from the seeds is
committed as small text files and loaded lazily here.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache
from pathlib import Path

import simplemma

DATA_DIR = Path(__file__).with_name("data")
VOCAB_FILE = DATA_DIR / "vocab.txt"  # .txt: matched by the package-data globs

# Letters a phone user drops: which ASCII spellings may stand for which Norwegian letters.
_RESTORE = (("aa", "å"), ("ae", "æ"), ("oe", "ø"), ("o", "ø"), ("a", "å"), ("a", "æ"))
_MAX_RESTORE_SITES = 3


class Vocabulary:
    """Lemma keys seen in the seeds with their counts: the parts a compound may be split into."""

    def __init__(
        self,
        counts: dict[str, int],
        df: dict[str, int] | None = None,
        n_docs: int = 0,
        shown: dict[str, str] | None = None,
    ) -> None:
        self.counts = counts
        self.df = df or {}
        self.n_docs = n_docs
        self.shown = shown or {}

    def display(self, key: str) -> str:
        """The commonest spelling (with æ/ø/å) of a folded key in the seeds, else the key."""
        return self.shown.get(key, key)

    def background_idf(self, key: str) -> float:
        """IDF over the seed paragraphs: low for words every school text uses (elev, skole)."""
        if not self.n_docs:
            return 1.0
        return math.log((1 + self.n_docs) / (1 + self.df.get(key, 0))) + 1.0

    def is_part(self, key: str) -> bool:
        from confapp.clustering import lexicon  # local: lexicon is plain data, avoids a cycle

        if key in lexicon.STOPWORDS or key in lexicon.NOT_PARTS:
            return False
        if key in lexicon.KNOWN_KEYS or (len(key) >= 5 and simplemma.is_known(key, lang="nb")):
            return True
        # short parts make spurious splits unless they are common words in the seeds
        return self.counts.get(key, 0) >= (2 if len(key) >= 5 else 20)

    def weight(self, key: str) -> int:
        from confapp.clustering import lexicon

        return self.counts.get(key, 0) + (50 if key in lexicon.KNOWN_KEYS else 0)

    def lemma_of(self, key: str) -> str:
        return key

    def restore(self, word: str) -> str | None:
        """A spelling with æ/ø/å that simplemma knows, for a word typed without them."""
        return _restore(word)


@lru_cache(maxsize=65536)
def _restore(word: str) -> str | None:
    if any(ch in word for ch in "æøå") or _known(word):
        return None
    sites: list[tuple[int, int, str]] = []
    for ascii_, letter in _RESTORE:
        start = word.find(ascii_)
        while start >= 0:
            sites.append((start, start + len(ascii_), letter))
            start = word.find(ascii_, start + 1)
    if not sites or len({s[0] for s in sites}) > 2 * _MAX_RESTORE_SITES:
        return None
    for r in range(1, _MAX_RESTORE_SITES + 1):
        for combo in itertools.combinations(sites, r):
            spans = sorted(combo)
            if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
                continue
            out, pos = [], 0
            for s, e, letter in spans:
                out.append(word[pos:s] + letter)
                pos = e
            cand = "".join(out) + word[pos:]
            if _known(cand):
                return cand
    return None


def _known(word: str) -> bool:
    return simplemma.is_known(word, lang="nb") or simplemma.is_known(word, lang="nn")


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    counts: dict[str, int] = {}
    df: dict[str, int] = {}
    shown: dict[str, str] = {}
    n_docs = 0
    if VOCAB_FILE.exists():
        for line in VOCAB_FILE.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if fields[0] == "#paragraphs":
                n_docs = int(fields[1])
            elif len(fields) == 4:
                counts[fields[0]] = int(fields[1])
                df[fields[0]] = int(fields[2])
                shown[fields[0]] = fields[3]
    return Vocabulary(counts, df, n_docs, shown)
