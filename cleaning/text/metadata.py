"""The metadata a news page states about itself, in one type.

Extraction reads it from the page (`extraction.result.Extraction`), the credit lines from the text
(`text.credits.Credits`), and the working `Document` carries it to the record: all three are this
type, so a field added here reaches every one of them, and "fill what is still empty" is one method.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class Metadata:
    title: str | None = None
    author: str | None = None
    editor: str | None = None
    source: str | None = None
    photographer: str | None = None
    published_at: str | None = None
    captions: list[str] = field(default_factory=list)

    def fill_missing(self, other: Metadata) -> list[str]:
        """Take each of `other`'s values where ours is empty (what was found first wins); captions are
        added without duplicates. Returns the names of the fields that were filled."""
        filled = []
        for name in METADATA_FIELDS:
            if name == "captions":
                self.captions += [c for c in dict.fromkeys(other.captions) if c not in self.captions]
            elif getattr(other, name) and not getattr(self, name):
                setattr(self, name, getattr(other, name))
                filled.append(name)
        return filled

    def metadata(self) -> dict[str, object]:
        """The metadata fields alone, as plain data (what `zhnews clean-text` prints)."""
        return {name: getattr(self, name) for name in METADATA_FIELDS}


METADATA_FIELDS = tuple(f.name for f in fields(Metadata))
