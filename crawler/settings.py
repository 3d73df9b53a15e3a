"""Scrapy settings: the polite, offline-safe defaults every zhnews crawl starts from, ours included.

This is the one place crawl defaults live. Per-site overrides come from the site profile
(`crawler/sites/*.yaml`, key `settings`, applied by the spider), run-level overrides from
`zhnews crawl --set NAME=VALUE` or `scrapy crawl news -s NAME=VALUE`.
"""

import os

from corpus import layout  # a lower-case name: setmodule() takes only upper-case ones as settings

# Scrapy's cookie middleware builds a tldextract object at import time, which fetches the public
# suffix list from the network unless told not to; the bundled snapshot is good enough for cookies.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BOT_NAME = "zhnews"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
USER_AGENT = "zhnews-corpus/0.1 (+https://github.com/zhnews-corpus/zhnews-corpus; research corpus crawler)"

ROBOTSTXT_OBEY = True

# Politeness: a few parallel requests per site, adapted to the server's latency.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2

# Bad input: refuse responses that cannot be news pages instead of buffering them.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Scrapy 2.19's RemoteControl extension opens a local server that runs code: never on.
# RunSetup makes every crawl a run of its own (lock, profile snapshot, recovery), however started.
EXTENSIONS = {
    "scrapy.extensions.remote_control.RemoteControl": None,
    "scrapy.extensions.telnet.TelnetConsole": None,
    "crawler.run_setup.RunSetup": 0,
}

# Archive every response as it comes off the wire: after HttpCompression (590) and Redirect (600)
# in the response path, so the WARC holds the bytes as sent, redirects and errors included.
DOWNLOADER_MIDDLEWARES = {
    "crawler.archive.WarcArchiveMiddleware": 950,
}
HTTPERROR_ALLOW_ALL = True  # the spider sees 4xx/5xx and counts them instead of dropping silently

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# --- zhnews ---------------------------------------------------------------------------------
# The data folder (layout: corpus/layout.py): WARCs go to raw/<run>/, the crawl state beside it.
ZHNEWS_DATA_DIR = str(layout.DEFAULT_ROOT)
# The run this crawl writes; None starts a new one, named by the UTC start time.
ZHNEWS_RUN_ID = None
# A WARC file is closed and a new one started past this size (a shard of `zhnews process`).
ZHNEWS_WARC_MAX_BYTES = 256 * 1024 * 1024
# Where the crawl remembers what it fetched (a `crawler.state.StateStore`, loaded by name).
ZHNEWS_STATE_STORE = "crawler.state.SqliteStateStore"
