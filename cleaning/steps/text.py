"""The text repair and furniture steps, in the order they must run (`text_steps()`).

Each step wraps one pure function of `cleaning/text/`. Order matters:

1. `repair_unicode`, `repair_gbk_mojibake`: characters first, so that every rule sees real text.
2. `measure_damage`: counts what repair could not restore (U+FFFD, "?" for a lost character).
3. `normalize_whitespace`: one trimmed paragraph per line, invisible characters gone.
4. `strip_furniture`: before joining lines, so that no widget line is glued into a paragraph.
5. `join_wrapped_lines`: e-paper columns back into paragraphs, before anything reads paragraphs.
6. `restore_fullwidth_punctuation`: ASCII ,:;?!() beside Chinese → full width.
7. `extract_credits`: bylines, editors, sources, captions → metadata; while spaces still separate
   names ("张三 李四"), so before the next step.
8. `remove_layout_spaces`: it needs the final lines and punctuation.
9. `mask_pii`: last, on the final text (a credit line with a phone number has left the text by then;
   the masking never depends on that).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from cleaning.document import Document
from cleaning.steps.base import Step, TextRule, first_paragraph
from cleaning.text.credits import extract_credits, without_editor
from cleaning.text.furniture import strip_furniture
from cleaning.text.linejoin import join_wrapped_lines
from cleaning.text.pii import mask_pii
from cleaning.text.punctuation import restore_fullwidth
from cleaning.text.spacing import normalize_whitespace, remove_layout_spaces
from cleaning.text.unicode import fix_with_ftfy, measure_damage, repair_gbk_mojibake

Rewrite = Callable[[str], tuple[str, int, list[str]]]


class FunctionRule(TextRule):
    """A `TextRule` whose rewrite is one pure function of `cleaning/text/`, under the step's name."""

    def __init__(self, name: str, function: Rewrite) -> None:
        super().__init__()
        self.name, self.function = name, function

    def rewrite(self, text: str) -> tuple[str, int, list[str]]:
        return self.function(text)

    def describe(self) -> str:
        return first_paragraph(inspect.getdoc(self.function) or self.name)


class MeasureDamage(Step):
    """Count lost characters; the text is left as it is (a lost character is never guessed)."""

    name = "measure_damage"

    def apply(self, doc: Document) -> str | None:
        damage = measure_damage(doc.text)
        doc.log("damage_replacement_char", damage.replacement_chars)
        doc.log("damage_lost_char", damage.lost_chars)
        self.count("replacement_chars", damage.replacement_chars)
        self.count("lost_chars", damage.lost_chars)
        self.count("damaged_docs", bool(damage.replacement_chars or damage.lost_chars))
        return None


class StripFurniture(Step):
    """Remove furniture lines; each is logged under `furniture:<rule name>`."""

    name = "strip_furniture"

    def apply(self, doc: Document) -> str | None:
        text, removed = strip_furniture(doc.text)
        doc.text = text
        for rule, line in removed:
            doc.log(f"furniture:{rule}", 1, [line])
            self.count(f"furniture/{rule}")
        return None


class ExtractCredits(Step):
    """Move credit lines into metadata, logged under `credit:<field>` and `credit:caption`.

    A field is set only when empty (an extractor's metadata wins), but the line always leaves the
    text. Captions are added to those the extractor found, without duplicates.
    """

    name = "extract_credits"

    def apply(self, doc: Document) -> str | None:
        text, credits = extract_credits(doc.text)
        doc.text = text
        credits.captions = [caption for c in credits.captions if (caption := remove_layout_spaces(c)[0])]
        for name in doc.fill_missing(credits):
            self.count(f"set/{name}")
        if doc.author and (author := without_editor(doc.author, doc.editor)) != doc.author:
            doc.author = author or without_editor(credits.author, doc.editor)  # never the editor (METADATA.md)
            self.count("author_was_the_editor")
        for role, line in credits.removed:
            doc.log(f"credit:{role}", 1, [line])
            self.count(f"credit/{role}")
        return None


class MaskPii(Step):
    """Replace e-mail addresses, mobile numbers, identity and bank card numbers by placeholders; count them."""

    name = "mask_pii"

    def apply(self, doc: Document) -> str | None:
        doc.text, found = mask_pii(doc.text)
        doc.pii = found
        for kind, count in found.items():
            doc.log(f"pii:{kind}", count)
            self.count(f"pii/{kind}", count)
        return None


def text_steps() -> list[Step]:
    """Fresh instances of the text steps, in the order they must run."""
    return [
        FunctionRule("repair_unicode", fix_with_ftfy),
        FunctionRule("repair_gbk_mojibake", repair_gbk_mojibake),
        MeasureDamage(),
        FunctionRule("normalize_whitespace", normalize_whitespace),
        StripFurniture(),
        FunctionRule("join_wrapped_lines", join_wrapped_lines),
        FunctionRule("restore_fullwidth_punctuation", restore_fullwidth),
        ExtractCredits(),
        FunctionRule("remove_layout_spaces", remove_layout_spaces),
        MaskPii(),
    ]
