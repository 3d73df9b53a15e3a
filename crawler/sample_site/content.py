"""What the sample sites say: the articles and the per-site settings (YAML data), and the gold.

The gold is what extraction is scored against, so it comes from the same records the page
generator renders: exactly the body paragraphs and the metadata, never the page furniture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from importlib import resources
from typing import Any

import yaml

BEIJING = timezone(timedelta(hours=8))
CHARSETS = ("utf-8", "gbk", "gb2312-declared")
# Both sites use the URL scheme of a typical Chinese CMS; `date` is the publication time.
ARTICLE_PATH = "/{section}/{date:%Y%m}/t{date:%Y%m%d}_{slug}.html"


@dataclass(frozen=True)
class SiteConfig:
    """One site's identity and furniture strings (sites.yaml); the templates take them from here."""

    key: str
    name: str
    outlet: str
    description: str
    sections: dict[str, str]
    page_size: int
    editor_line: str
    labels: dict[str, str]
    moods: list[str]
    share_targets: list[str]
    comments: list[tuple[str, str]]
    downloads: list[tuple[str, str, str]]
    footer: list[str]
    robots_disallow: list[str]
    private_page: dict[str, str] | None = None
    redirects: dict[str, str] = field(default_factory=dict)  # legacy path -> slug
    dead_links: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Article:
    site: str
    slug: str
    section: str
    title: str
    published_at: datetime
    author: str
    editor: str
    source: str
    charset: str
    paragraphs: tuple[str, ...]
    caption: str | None = None
    reprint_of: str | None = None
    pages: int = 1  # served as this many pages: `<stem><page_separator><k>.html` for k ≥ 2, with a pager
    page_separator: str = "_"
    full_view: bool = False  # the pages also link a one-page view, `<stem>_all.html` (单页阅读)

    def page_path(self, number: int) -> str:
        """Page `number` (1 = the article's own path), or 0 for the one-page view."""
        if number == 1:
            return self.path
        stem, extension = self.path.rsplit(".", 1)
        suffix = "_all" if number == 0 else f"{self.page_separator}{number}"
        return f"{stem}{suffix}.{extension}"

    @property
    def path(self) -> str:
        return ARTICLE_PATH.format(section=self.section, date=self.published_at, slug=self.slug)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def gold(self) -> dict[str, str]:
        return {
            "title": self.title,
            "text": self.text,
            "author": self.author,
            "editor": self.editor,
            "source": self.source,
            "published_at": self.published_at.isoformat(),
        }


def _load_yaml(name: str) -> Any:
    return yaml.safe_load(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def parse_time(value: str) -> datetime:
    """'2026-10-14 09:36' (Beijing time, as the pages print it) -> an aware datetime."""
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)


@cache
def load_sites() -> dict[str, SiteConfig]:
    sites = {}
    for key, raw in _load_yaml("sites.yaml").items():
        raw["comments"] = [tuple(c) for c in raw["comments"]]
        raw["downloads"] = [tuple(d) for d in raw["downloads"]]
        sites[key] = SiteConfig(key=key, **raw)
    return sites


@cache
def load_articles() -> tuple[Article, ...]:
    """Every article of both sites, oldest first; a site-b reprint inherits its site-a original."""
    raw = _load_yaml("articles.yaml")
    originals = {str(r["slug"]): r for r in raw if r["site"] == "a"}
    articles = []
    for record in raw:
        if "reprint_of" in record:
            original = originals[str(record["reprint_of"])]
            inherited = {k: original[k] for k in ("title", "author", "source", "paragraphs")}
            record = {**inherited, **record, "reprint_of": str(record["reprint_of"])}
        articles.append(Article(
            **{**record, "slug": str(record["slug"]), "paragraphs": tuple(record["paragraphs"]),
               "published_at": parse_time(record["published_at"])}
        ))
    paths = [a.path for a in articles]
    if len(set(paths)) != len(paths):
        raise ValueError("articles.yaml: two articles share a URL path")
    return tuple(sorted(articles, key=lambda a: (a.site, a.published_at)))


def site_articles(site: str) -> list[Article]:
    return [a for a in load_articles() if a.site == site]


def gold(site: str | None = None) -> dict[str, dict[str, str]]:
    """Gold records keyed by URL path (paths are unique across both sites); `site` filters."""
    return {a.path: a.gold() for a in load_articles() if site in (None, a.site)}
