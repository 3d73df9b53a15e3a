"""Text mode: run the text steps on a plain text (a scraped page, a seed file), without a crawl.

Used by `zhnews clean-text` and by the seed tests; the steps are exactly those of the pipeline.
"""

from __future__ import annotations

from typing import Any

from cleaning.document import Document
from cleaning.steps.text import text_steps


def clean_text(text: str, name: str) -> dict[str, Any]:
    """Clean `text`; return the text, the metadata the credits gave, and the cleaning log.

    `name` identifies the input (a file name) in the result. A step that drops the document
    adds "dropped": "<step>: <reason>" and stops the run.
    """
    doc = Document(url=name, crawled_at="", crawl_run="clean-text", period="", text=text)
    result: dict[str, Any] = {"name": name}
    for step in text_steps():
        reason = step(doc)
        if reason:
            result["dropped"] = f"{step.name}: {reason}"
            break
    result["text"] = doc.text
    result.update(doc.metadata())
    result["cleaning_log"] = dict(doc.cleaning_log)
    result["removed_lines"] = list(doc.removed_lines)
    result["pii"] = dict(doc.pii)
    return result
