"""Suggested cluster names: a short phrase from the cluster's most representative point.

Facilitators name piles the way a reporter wrote them ("Fast møtetid med barnevernet"), not as
keyword triples ("barnevern, møte, tid"); a real point also reads right in bokmål and nynorsk.
The representative point is the medoid (highest mean similarity to the other members); among
points within ``_TIE`` of the best, the most representative one that fits without cutting wins
(else the shortest). A point a few characters over the limit is kept whole (``_SLACK``): a
complete sentence reads better than one cut short.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from confapp.clustering import lexicon
from confapp.clustering.features import Representation
from confapp.clustering.normalize import fold

MAX_CHARS = 40
_TIE = 0.03
_SLACK = 8
_MIN_CLAUSE = 16  # a clause cut shorter than this reads as a fragment
_CLAUSE_END = re.compile(r"\s*(?:[,;:(]|\s[-–—]\s|\?)")
_LEAD = " \t-–—*•·>"
_TRAIL = " \t.,;:-–—*•·(/"


def representative(texts: Sequence[str]) -> int:
    """Index of the point that best stands for the whole cluster (-1 for none)."""
    n = len(texts)
    if n <= 2:
        return min(range(n), key=lambda i: (len(texts[i].strip()), i)) if n else -1
    sim = Representation(texts).matrix()
    mean = [(sum(row) - row[i]) / (n - 1) for i, row in enumerate(sim)]
    best = max(mean)
    close = [i for i in range(n) if mean[i] >= best - _TIE]
    fits = [i for i in close if len(" ".join(texts[i].split())) <= MAX_CHARS + _SLACK]
    if fits:
        return max(fits, key=lambda i: (mean[i], -len(texts[i]), -i))
    return min(close, key=lambda i: (len(texts[i].strip()), -mean[i], i))


def shorten(text: str, max_chars: int = MAX_CHARS) -> str:
    """One line of at most ``max_chars``: whole first clause if it fits, else cut at a word boundary."""
    clean = " ".join(text.split()).strip(_LEAD)
    if len(clean) > max_chars + _SLACK:
        clause = _CLAUSE_END.search(clean, _MIN_CLAUSE)
        if clause and clause.start() <= max_chars:
            clean = clean[: clause.start()]
        else:
            head = clean[: max_chars + 1]
            clean = head.rsplit(" ", 1)[0] if " " in head else clean[:max_chars]
    words = clean.rstrip(_TRAIL).split(" ")
    # "... tid til" -> "... tid": a name does not end on a function word
    while len(words) > 2 and fold(words[-1].rstrip(_TRAIL)) in lexicon.STOPWORDS:
        words.pop()
    if len(words[0]) <= 3 and fold(words[0]) in lexicon.SYNONYMS:
        words[0] = words[0].upper()  # "ppt bør ..." -> "PPT bør ...", "hs" -> "HS"
    out = " ".join(words).rstrip(_TRAIL)
    return out[:1].upper() + out[1:] if out[:1].islower() else out


def name_for(texts: Sequence[str], *, max_chars: int = MAX_CHARS) -> str:
    """A readable name for a cluster of points ("" for an empty cluster)."""
    texts = [t for t in texts if t and t.strip()]
    if not texts:
        return ""
    return shorten(texts[representative(texts)], max_chars)
