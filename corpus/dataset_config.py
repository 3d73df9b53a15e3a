"""The operator's settings for the published dataset and for who the crawl says it is: DATA_DIR/dataset.yaml.

```yaml
name: Chinese news of our lab        # the card's title and the Hub's pretty_name
license: cc-by-nc-4.0                # a Hub licence id; `other` needs license_name and license_link
repo_id: our-lab/zh-news             # where it is published: the card's loading examples name it
contact: https://our-lab.example/crawler   # where site operators reach you: User-Agent and card
description: One paragraph for the card.
citation: |
  @misc{...}
```

Every key is optional and nothing is invented when one is missing: the card then says what is not
stated, and a crawl of a real site (one whose addresses are public) refuses to start without a
contact, so that no site is crawled under someone else's name. `zhnews build` and `zhnews crawl`
read it; a wrong key or value stops them before anything is written. This module imports nothing
else of ours but the layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

# the licence ids the Hub's metadata accepts (https://huggingface.co/docs/hub/repositories-licenses),
# those that fit a dataset of text
HUB_LICENSES = frozenset({
    "apache-2.0", "mit", "bsd-2-clause", "bsd-3-clause", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0",
    "cc-by-4.0", "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
    "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
    "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "odc-by", "odbl", "pddl", "etalab-2.0",
    "gfdl", "unlicense", "unknown", "other",
})
_REPO_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}")
_URL_OR_MAIL = re.compile(r"(?:https?://[^\s/]+\S*|mailto:\S+@\S+|[^\s@/]+@[^\s@/]+\.[^\s@/]+)")


class BadDatasetConfig(ValueError):
    """dataset.yaml holds a key or value that cannot be used: the message names it."""


@dataclass(frozen=True)
class DatasetConfig:
    name: str | None = None
    license: str | None = None
    license_name: str | None = None
    license_link: str | None = None
    repo_id: str | None = None
    contact: str | None = None
    description: str | None = None
    citation: str | None = None

    @classmethod
    def load(cls, path: Path) -> DatasetConfig:
        """The settings at `path`; all unset when there is no such file."""
        if not path.exists():
            return cls()
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise BadDatasetConfig(f"{path} is not valid YAML: {error}") from None
        if not isinstance(raw, dict):
            raise BadDatasetConfig(f"{path} must hold keys and values (name, license, repo_id, contact, ...)")
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise BadDatasetConfig(f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        for key, value in raw.items():
            if value is not None and not isinstance(value, str):
                raise BadDatasetConfig(f"{path}: {key} must be text, not {type(value).__name__}")
        config = cls(**{key: (value.strip() or None) if value else None for key, value in raw.items()})
        config.check(path)
        return config

    def check(self, path: Path) -> None:
        if self.license and self.license not in HUB_LICENSES:
            raise BadDatasetConfig(f"{path}: license {self.license!r} is not a Hub licence id (e.g. cc-by-nc-4.0, "
                                   "odc-by, other): https://huggingface.co/docs/hub/repositories-licenses")
        if self.license == "other" and not (self.license_name and self.license_link):
            raise BadDatasetConfig(f"{path}: license other needs license_name and license_link")
        if self.repo_id and not _REPO_ID.fullmatch(self.repo_id):
            raise BadDatasetConfig(f"{path}: repo_id {self.repo_id!r} is not ORG/NAME")
        if self.contact and not _URL_OR_MAIL.fullmatch(self.contact):
            raise BadDatasetConfig(f"{path}: contact {self.contact!r} is neither an http(s) URL nor an e-mail address")
