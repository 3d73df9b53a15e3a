"""The crawl state: what was fetched, when, with which validators.

Scrapy's own JOBDIR survives Ctrl-C but loses its queue on a hard kill. We instead record every
fetched page in a state store, right after its WARC record was flushed; a later run rediscovers the
frontier from sitemaps, feeds and listings and skips (or conditionally re-fetches) what the store
holds (`crawler/incremental.py` decides which).

The store is pluggable like Scrapy's HTTPCACHE_STORAGE: the setting `ZHNEWS_STATE_STORE` names a
`StateStore` class built `from_crawler`. The embedded default is `SqliteStateStore`, one SQLite file
in the data folder (WAL mode, so it survives kill -9); a fleet whose nodes share state would name a
store backed by a database server instead.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from scrapy.crawler import Crawler

from corpus.files import open_sqlite, utc_stamp, when_unlocked
from corpus.layout import DataLayout

# what to do with a crawl state that is no SQLite database any more
DAMAGED_STATE = ("move it aside (mv state.sqlite state.sqlite.damaged): the next crawl starts a new state and "
                 "fetches the articles it knew again; the raw archive is untouched")

# `pages` is kept in its URL's order alone (WITHOUT ROWID): a table with a rowid stores each URL twice,
# in its row and in the index of its key. The price: a row over about 1 KB (a long percent-encoded URL
# and its redirect's target) spills into an overflow page of its own. A file from before keeps its
# layout; the statements are the same.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    kind TEXT NOT NULL,
    status INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    first_seen TEXT NOT NULL,
    last_fetched TEXT NOT NULL,
    run_id TEXT NOT NULL,
    warc_file TEXT,
    warc_offset INTEGER,
    location TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT NOT NULL,
    site TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    finish_reason TEXT,
    PRIMARY KEY (run_id, site)
);
"""


@dataclass(frozen=True)
class PageState:
    status: int
    etag: str | None
    last_modified: str | None
    last_fetched: str
    location: str | None  # where a redirect pointed


class StateStore(ABC):
    """What a crawl remembers of each URL across runs; every call is durable when it returns."""

    @abstractmethod
    def known(self, url: str) -> PageState | None:
        """The last fetch of `url`, or None if it was never fetched."""

    @abstractmethod
    def record_fetch(
        self, *, url: str, site: str, kind: str, status: int, run_id: str,
        etag: str | None = None, last_modified: str | None = None,
        warc_file: str | None = None, warc_offset: int | None = None, location: str | None = None,
    ) -> None:
        """Upsert a fetch. A 304 keeps the stored validators and archive location, and bumps the time."""

    @abstractmethod
    def start_run(self, run_id: str, site: str) -> None: ...

    @abstractmethod
    def finish_run(self, run_id: str, site: str, reason: str) -> None: ...

    @abstractmethod
    def close(self) -> None: ...


class SqliteStateStore(StateStore):
    """One SQLite file shared by all sites and runs; WAL mode so a crash never corrupts it."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(DataLayout(Path(crawler.settings["ZHNEWS_DATA_DIR"])).state_db)

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = open_sqlite(path, DAMAGED_STATE, isolation_level=None)  # autocommit: each fetch is durable
        when_unlocked(self.db, "PRAGMA journal_mode=WAL")  # a fleet node's crawls open it at the same moment
        self.db.execute("PRAGMA synchronous=NORMAL")
        when_unlocked(self.db, _SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(pages)")}
        if "location" not in columns:  # a state file from before redirects were followed by the spider
            self.db.execute("ALTER TABLE pages ADD COLUMN location TEXT")

    def known(self, url: str) -> PageState | None:
        row = self.db.execute(
            "SELECT status, etag, last_modified, last_fetched, location FROM pages WHERE url = ?", (url,)
        ).fetchone()
        return PageState(*row) if row else None

    def record_fetch(
        self, *, url: str, site: str, kind: str, status: int, run_id: str,
        etag: str | None = None, last_modified: str | None = None,
        warc_file: str | None = None, warc_offset: int | None = None, location: str | None = None,
    ) -> None:
        now = utc_stamp()
        if status == 304:
            self.db.execute("UPDATE pages SET last_fetched = ?, run_id = ? WHERE url = ?", (now, run_id, url))
            return
        self.db.execute(
            """INSERT INTO pages (url, site, kind, status, etag, last_modified, first_seen, last_fetched,
                                  run_id, warc_file, warc_offset, location)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET status=excluded.status, etag=excluded.etag,
                   last_modified=excluded.last_modified, last_fetched=excluded.last_fetched,
                   run_id=excluded.run_id, warc_file=excluded.warc_file, warc_offset=excluded.warc_offset,
                   location=excluded.location""",
            (url, site, kind, status, etag, last_modified, now, now, run_id, warc_file, warc_offset, location),
        )

    def start_run(self, run_id: str, site: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO runs (run_id, site, started_at) VALUES (?, ?, ?)", (run_id, site, utc_stamp())
        )

    def finish_run(self, run_id: str, site: str, reason: str) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, finish_reason = ? WHERE run_id = ? AND site = ?",
            (utc_stamp(), reason, run_id, site),
        )

    def close(self) -> None:
        self.db.close()
