"""Paginated articles of a crawl run: `raw/<run>/pages/<site>.jsonl`, one line per article whose text
spans more than its first page, written by the crawl when it has followed the pages, read by `process`
to make one document of them.

```json
{"url": "http://x.cn/a/t20261014_1043.html", "mode": "pages", "complete": true,
 "parts": [{"url": "http://x.cn/a/t20261014_1043_2.html", "warc_file": "r-x-00000.warc.gz",
            "offset": 81234, "status": 200}, ...]}
```
`url` is the first page's canonical URL, which stays the document's URL and id. `mode` is `pages`
(the parts are the later pages, in order, joined after the first page's text) or `full_view` (one
part: a one-page view of the whole article, which replaces the first page's text). `complete` is false
when a page could not be fetched (a 404, a network error) or the page limit cut the article short;
every part keeps its HTTP status (0: no response). Each part's raw response is the WARC record at
`warc_file`/`offset` in the same run folder. A torn last line (a killed crawl) is skipped on reading.
This module imports nothing of ours.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

MODES = ("pages", "full_view")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PagePart:
    url: str
    warc_file: str | None
    offset: int | None
    status: int


@dataclass(frozen=True)
class ArticlePages:
    url: str
    mode: str
    parts: tuple[PagePart, ...]
    complete: bool

    @property
    def missing(self) -> int:
        """Pages known to be missing: those that did not answer 200, at least one when incomplete."""
        failed = sum(part.status != 200 for part in self.parts)
        return failed or (0 if self.complete else 1)

    def to_line(self) -> str:
        return json.dumps({"url": self.url, "mode": self.mode, "complete": self.complete,
                           "parts": [asdict(part) for part in self.parts]}, ensure_ascii=False) + "\n"

    @classmethod
    def from_line(cls, line: str) -> ArticlePages:
        data = json.loads(line)
        if data["mode"] not in MODES:
            raise ValueError(f"mode {data['mode']!r}")
        return cls(str(data["url"]), data["mode"], tuple(PagePart(**part) for part in data["parts"]),
                   bool(data["complete"]))


def read_article_pages(paths: Iterable[Path]) -> dict[str, ArticlePages]:
    """First-page URL → its pages, from every file of a run; an unreadable line is logged and skipped."""
    found: dict[str, ArticlePages] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            try:
                article = ArticlePages.from_line(line)
            except (ValueError, KeyError, TypeError) as error:
                log.warning("%s line %d is not a paginated-article entry (%s): skipped", path, number, error)
                continue
            found[article.url] = article
    return found


def append_article_pages(path: Path, article: ArticlePages) -> None:
    """One line, flushed at once: a killed crawl loses at most the line being written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:
        out.write(article.to_line())
