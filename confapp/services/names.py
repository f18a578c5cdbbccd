"""Names that look like someone else's: one skeleton per name, compared within a conference.

The skeleton folds what a reader cannot tell apart on a phone or a projector: case (casefold),
accents and other combining marks, compatibility forms (NFKC), and the Cyrillic and Greek letters
that are drawn like Latin ones (a small table in the spirit of Unicode's confusables.txt, limited to
the letters that occur in names). "Kari", "KARI", "Kаri" (Cyrillic а) and "Kári" share a skeleton.
"""

from __future__ import annotations

import unicodedata

from confapp.services.text import INVISIBLE

_CONFUSABLE = str.maketrans(
    {
        # Cyrillic (lower case; skeletons are casefolded first)
        "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j", "к": "k",
        "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
        "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "һ": "h", "ү": "y", "ɡ": "g",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ζ": "z", "μ": "u",
        # Latin look-alikes and digits drawn like letters
        "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŀ": "l", "0": "o", "1": "l", "|": "l",
        "ǀ": "l", "ℓ": "l",
    }
)  # fmt: skip


def skeleton(name: str) -> str:
    """What a name looks like, for comparison only; never shown.

    Stored only as a participant's lookup key (`Participant.name_key`, set with the name by the model),
    so it is replaced whenever the name is: after anonymising, no key of the old name remains. Changing
    this rule means keying the stored rows again in a migration (as 0015 did first).
    """
    folded = INVISIBLE.sub("", unicodedata.normalize("NFKC", name)).casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    mapped = bare.translate(_CONFUSABLE)
    return " ".join(mapped.split())
