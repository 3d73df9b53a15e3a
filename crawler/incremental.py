"""The incremental re-crawl policy: what to do with an article URL the crawl state may already know.

- never fetched, or fetched without success: fetch it;
- a redirect whose target is archived: skip it (nothing new behind it); a redirect whose target was
  never archived (an error, a kill): follow it again; a redirect to a page that is no article (a login
  wall, a home page) or down a chain longer than the crawl follows: that was the site's answer, held
  as an archived page is;
- archived, or refused as too large (recorded as `TOO_LARGE`: the same refusal every night otherwise):
  skip it, unless its sitemap `lastmod` is newer than our fetch or `--revalidate` asks to
  re-check, and then fetch it conditionally (If-None-Match / If-Modified-Since), so an unchanged page
  costs a 304.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from crawler.state import PageState, StateStore

REDIRECTS = {301, 302, 303, 307, 308}
TOO_LARGE = 413  # recorded by the crawl (HTTP's "Content Too Large"): the body exceeded DOWNLOAD_MAXSIZE
HELD = {200, TOO_LARGE}  # what a re-crawl does not fetch again unless the page changed
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
_LATEST = datetime.max.replace(tzinfo=timezone.utc)


def as_utc(stamp: str) -> datetime | None:
    """Parse a sitemap lastmod or a stored fetch time; a date without zone counts as UTC."""
    try:
        moment = datetime.fromisoformat(stamp.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _redirect_end(state: StateStore, redirect: PageState, is_article: Callable[[str], bool],
                  max_hops: int) -> str:
    """Where a stored redirect's chain ends: "archived" (a page held), "answered" (a page that is no
    article, or more hops than the crawl follows) or "open" (a target never archived: follow it again)."""
    hop = 0
    while redirect.location:
        hop += 1
        if not is_article(redirect.location) or hop > max_hops:  # as the crawl decides (parse_article)
            return "answered"
        target = state.known(redirect.location)
        if target is None or target.status not in REDIRECTS | HELD:
            return "open"
        if target.status in HELD:
            return "archived"
        redirect = target
    return "open"


def article_fetch(state: StateStore, url: str, lastmod: str | None, revalidate: bool,
                  is_article: Callable[[str], bool], max_redirects: int) -> dict[str, str] | None:
    """None when the state holds the article's current version (skip it); else the request headers.
    `is_article` and `max_redirects` are the crawl's: what a redirect may lead to, and how far."""
    known = state.known(url)
    if known and known.status in REDIRECTS:
        end = _redirect_end(state, known, is_article, max_redirects)
        if end == "archived":
            return None
        if end == "open":
            known = None
    if not (known and known.status in HELD | REDIRECTS):
        return {}
    changed = lastmod and (as_utc(lastmod) or _EARLIEST) > (as_utc(known.last_fetched) or _LATEST)
    if not (changed or revalidate):
        return None
    headers = {}
    if known.etag:
        headers["If-None-Match"] = known.etag
    if known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers
