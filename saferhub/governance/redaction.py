"""Withholding other people's names from free text released to a data subject.

Free text (a meeting's discussion, an agency's research, a safety-plan action) is written
about the victim's case and often names the alleged perpetrator. Before it leaves in a
subject access copy, every word that is one of the names given is replaced by WITHHELD.
Words are compared folded (people.fold: no accents, case or hyphens; "Mark's" as "Mark"),
and a name is taken whole and in its parts ("Smith-Jones", "Smith", "Jones"), so spelling
and punctuation do not let a name through. Names the system does not know (children,
neighbours, a new partner) cannot be found this way: the administrator reads the copy
before releasing it, as the subject access page says.
"""

import re
from collections.abc import Iterable

from saferhub.safeguarding.people import fold

WITHHELD = "[withheld]"
# A word: letters and digits, with hyphens or apostrophes inside ("Smith-Jones", "O'Brien").
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_PARTS = re.compile(r"[\s\-'’]+")


class Redactor:
    """Replaces the given names in text; counts what it replaced."""

    def __init__(self, names: Iterable[str]) -> None:
        folded: set[str] = set()
        for name in names:
            candidates = [name, *_PARTS.split(name or "")]
            folded |= {fold(part) for part in candidates if len(fold(part)) >= 2}
        self.names = frozenset(folded)
        self.replaced = 0

    def __call__(self, text: str) -> str:
        if not text or not self.names:
            return text

        def replace(match: re.Match) -> str:
            word = match.group()
            if fold(word) in self.names or fold(_POSSESSIVE.sub("", word)) in self.names:
                self.replaced += 1
                return WITHHELD
            # A compound word may join a name to another ("Mark-and-Zoe"): try its parts.
            parts = _PARTS.split(word)
            if len(parts) > 1 and any(fold(part) in self.names for part in parts):
                self.replaced += 1
                return WITHHELD
            return word

        return _WORD.sub(replace, text)
