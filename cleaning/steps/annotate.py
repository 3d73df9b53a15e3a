"""Annotation steps: they add fields to the document and never drop it."""

from __future__ import annotations

from cleaning.document import Document
from cleaning.steps.base import Step
from cleaning.text.language import identify
from cleaning.text.signals import quality_signals

# cleaning_log rules whose counts are characters the repair could not restore (steps/text.py)
DAMAGE_RULES = ("damage_replacement_char", "damage_lost_char")


class Annotation(Step):
    """A step that only adds fields: `apply` always keeps the document."""


class AnnotateLanguage(Annotation):
    """Set `language`, `language_score` and `script` (script rules first, fastText lite as the score)."""

    name = "annotate_language"

    def apply(self, doc: Document) -> str | None:
        guess = identify(doc.text)
        doc.language, doc.language_score, doc.script = guess.language, round(guess.score, 4), guess.script
        self.count(f"language/{guess.language or 'none'}")
        if guess.script:
            self.count(f"script/{guess.script}")
        return None


class MeasureQuality(Annotation):
    """Store the quality signals (characters and lines, never spaces) that the filters read."""

    name = "measure_quality"

    def apply(self, doc: Document) -> str | None:
        damage = sum(doc.cleaning_log.get(rule, 0) for rule in DAMAGE_RULES)
        doc.quality = {name: round(value, 4) if isinstance(value, float) else value
                       for name, value in quality_signals(doc.text, damage).items()}
        return None
