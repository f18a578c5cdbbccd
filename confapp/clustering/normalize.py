"""Turn a hurried reporter's bullet into comparable word keys.

Reporters type on phones: bokmål and nynorsk mixed, abbreviations, typos and words without
æ/ø/å (``moter``, ``naar``, ``fravaersdag``). Every word is therefore reduced to an
ASCII-folded key in which both spellings coincide, then lemmatised (simplemma, nb + nn),
mapped through the domain lexicon, and long compounds are split into known parts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma

from confapp.clustering import lexicon
from confapp.clustering.resources import vocabulary

_TOKEN = re.compile(r"[0-9]+[a-zæøåäöéèêóòü]*|[a-zæøåäöéèêóòü]+(?:-[a-zæøåäöéèêóòü]+)*")
_FOLD_TABLE = str.maketrans({"æ": "a", "ø": "o", "å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ê": "e"})
_FOLD_DIGRAPHS = (("aa", "a"), ("ae", "a"), ("oe", "o"))
_LINKERS = ("", "s", "e")
_MIN_PART = 3
_MAX_PARTS = 3


def fold(word: str) -> str:
    """ASCII key on which ``møter``/``moter`` and ``fravær``/``fravaer`` agree."""
    key = word.lower().translate(_FOLD_TABLE)
    for digraph, single in _FOLD_DIGRAPHS:
        key = key.replace(digraph, single)
    return key


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens; hyphenated compounds (``PPT-rådgiver``) stay whole here."""
    text = unicodedata.normalize("NFKC", text).lower().replace("–", " ").replace("—", " ")
    return _TOKEN.findall(text)


@lru_cache(maxsize=65536)
def lemma_form(word: str) -> tuple[str, str]:
    """(folded key, readable lemma) of one lowercased word, after lexicon and nynorsk mapping."""
    folded = fold(word)
    if folded in lexicon.SYNONYMS:
        key = lexicon.SYNONYMS[folded]
        return key, lexicon.DISPLAY[key]
    restored = vocabulary().restore(word) or word
    lemma = _lemma(restored)
    key = fold(lemma)
    if key in lexicon.SYNONYMS:
        key = lexicon.SYNONYMS[key]
        return key, lexicon.DISPLAY[key]
    return key, lemma


def lemma_key(word: str) -> str:
    """Folded lemma key of one lowercased word (``møtene``, ``motene`` -> ``mote``)."""
    return lemma_form(word)[0]


def _lemma(word: str) -> str:
    """Dictionary lemma from bokmål, else nynorsk, else simplemma's affix rules."""
    for lang in ("nb", "nn"):
        if simplemma.is_known(word, lang=lang):
            return simplemma.lemmatize(word, lang=lang)
    for lang in ("nb", "nn"):
        lemma = simplemma.lemmatize(word, lang=lang, greedy=True)
        if lemma != word:
            return lemma
    return word


@lru_cache(maxsize=65536)
def split_compound(key: str) -> tuple[str, ...]:
    """Split a folded key into known parts (``foreldremote`` -> ``foreldre``, ``mote``).

    Dynamic programming over the vocabulary learned from the seeds plus the lexicon; Norwegian
    linking letters ``s``/``e`` are allowed between parts. Prefers the fewest, then longest,
    parts (at least two, at most three); returns ``()`` when no such split exists.
    """
    vocab = vocabulary()
    n = len(key)
    if n < 2 * _MIN_PART:
        return ()
    # best[i] = (parts used, -sum of log part frequencies, parts) for the prefix key[:i]
    best: list[tuple[int, float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0.0, ())
    for i in range(n):
        cur = best[i]
        if cur is None or cur[0] >= _MAX_PARTS:
            continue
        for j in range(i + _MIN_PART, n + 1 if i else n):
            part = key[i:j]
            if not vocab.is_part(part):
                continue
            for link in _LINKERS:
                end = j + len(link)
                if end > n or key[j:end] != link or (link and end == n):
                    continue
                cand = (cur[0] + 1, cur[1] - math.log(1 + vocab.weight(part)), (*cur[2], part))
                old = best[end]
                if old is None or cand[:2] < old[:2]:
                    best[end] = cand
    done = best[n]
    if done is None or len(done[2]) < 2:
        return ()
    return tuple(lexicon.SYNONYMS.get(p, vocab.lemma_of(p)) for p in done[2])


@dataclass
class Analysis:
    """Keys of one bullet: whole-word lemma keys, compound parts and lexicon concepts."""

    words: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)
    display: dict[str, str] = field(default_factory=dict)


def analyse(text: str) -> Analysis:
    out = Analysis()
    for token in tokenize(text):
        pieces = [token]
        if "-" in token and fold(token) not in lexicon.SYNONYMS:
            pieces = [p for p in token.split("-") if p]
        for piece in pieces:
            key, shown = lemma_form(piece)
            if key in lexicon.STOPWORDS or fold(piece) in lexicon.STOPWORDS or len(key) < 2:
                continue
            out.words.append(key)
            out.display.setdefault(key, shown)
            out.folded.append(fold(piece))
            parts = split_compound(key) if key not in lexicon.CONCEPT_OF else ()
            out.parts.extend(p for p in parts if p not in lexicon.STOPWORDS)
            for k in (key, *parts):
                out.concepts.extend(lexicon.CONCEPT_OF.get(k, ()))
    return out
