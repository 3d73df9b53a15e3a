"""How each site of a crawl run ended: `raw/<run>/crawl.json`, written by the crawl, read by
`zhnews scheduled` (and anyone scheduling crawls) to tell a night with one broken site from a failed night.

```json
{"run": "20261206T010000Z",
 "sites": {"ynet": {"outcome": "ok", "reason": "", "detail": "", "articles": 120, "responses": 161},
           "ce":   {"outcome": "failed", "reason": "unreachable", "detail": "no entry point ...", ...},
           "x":    {"outcome": "skipped", "reason": "robots", "detail": "robots.txt disallows ...", ...}}}
```
`outcome` is `ok`, `skipped` (the site opts out: its robots.txt disallows every entry point; nothing
to fix on our side) or `failed`; `reason` is one short word a status line can carry (`unreachable`,
`robots-unreadable`, `error-answers`, `profile`, `spider-error`, `unfinished`, `archive`), `detail`
the sentence.
This module imports nothing of ours.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

OUTCOMES = ("ok", "skipped", "failed")


@dataclass(frozen=True)
class SiteOutcome:
    outcome: str
    reason: str = ""
    detail: str = ""
    articles: int = 0  # article pages fetched (200)
    responses: int = 0

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"a site's outcome is one of {', '.join(OUTCOMES)}, not {self.outcome!r}")


@dataclass
class CrawlReport:
    run: str
    sites: dict[str, SiteOutcome] = field(default_factory=dict)

    def named(self, outcome: str) -> dict[str, SiteOutcome]:
        return {site: result for site, result in sorted(self.sites.items()) if result.outcome == outcome}

    def to_json(self) -> str:
        return json.dumps({"run": self.run, "sites": {site: dataclasses.asdict(result)
                                                      for site, result in sorted(self.sites.items())}},
                          ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> CrawlReport:
        data = json.loads(text)
        return cls(str(data["run"]), {str(site): SiteOutcome(**result) for site, result in data["sites"].items()})

    @classmethod
    def read(cls, path: Path) -> CrawlReport | None:
        """The report at `path`, or None when the crawl wrote none (it stopped before its end)."""
        try:
            return cls.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path} is not a crawl report ({error}); delete it to go on without it") from None
