"""The incremental re-crawl policy: what to do with an article URL the crawl state may already know.

- never fetched, or fetched without success: fetch it;
- a redirect whose target is archived: skip it (nothing new behind it); a redirect whose target was
  never archived (an error, a kill): follow it again;
- archived, or refused as too large (recorded as `TOO_LARGE`: the same refusal every night otherwise):
  skip it, unless its sitemap `lastmod` is newer than our fetch or `--revalidate` asks to
  re-check, and then fetch it conditionally (If-None-Match / If-Modified-Since), so an unchanged page
  costs a 304.
"""

from __future__ import annotations

from datetime import datetime, timezone

from crawler.state import StateStore

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


def article_fetch(state: StateStore, url: str, lastmod: str | None, revalidate: bool) -> dict[str, str] | None:
    """None when the state holds the article's current version (skip it); else the request headers."""
    known = state.known(url)
    if known and known.status in REDIRECTS:
        target = state.known(known.location) if known.location else None
        if target and target.status in HELD:
            return None
        known = None
    if not (known and known.status in HELD):
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
