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
# Who we are, in every request: RunSetup builds USER_AGENT from ZHNEWS_CONTACT (crawler/politeness.py)
# unless USER_AGENT itself is set: a page or address where site operators reach you. Unset, it is the
# `contact` of DATA_DIR/dataset.yaml; a crawl of a public site refuses to start without either.
ZHNEWS_CONTACT = ""

ROBOTSTXT_OBEY = True

# Politeness: a few parallel requests per site, adapted to the server's latency.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# The spider yields requests only, which Scrapy hands to its scheduler without waiting, so the outputs
# of a response gain nothing from being processed in parallel; Scrapy starts CONCURRENT_ITEMS (default
# 100) asyncio tasks per response for them all the same (scrapy/scrapy#5182). One: on the sample sites
# 1.8× the pages a second (`tests/bench/crawl_once.py`, 333 against 181) and 13% less CPU.
CONCURRENT_ITEMS = 1
# Scrapy warns about a callback that is a generator returning a value by reading its source (inspect and
# ast), and caches the answer weakly by bound method, which dies with its request: the source was parsed
# again for most responses. Off; a test checks the spider's generators once (tests/test_spider.py).
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2

# Bad input: refuse responses that cannot be news pages instead of buffering them. Scrapy applies the
# limit to the decompressed body too (a gzip bomb is cut off while it inflates).
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# Only http(s) is ever fetched: the other handlers are off, so no URL can reach a file or an FTP server.
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None,
                     "http": "crawler.bounded_http.BoundedHTTP11DownloadHandler",
                     "https": "crawler.bounded_http.BoundedHTTP11DownloadHandler"}
# A response's status line and headers, in bytes: past this the page fails (a server sending header
# lines without end would fill memory until the timeout; crawler/bounded_http.py)
ZHNEWS_MAX_HEADER_BYTES = 256 * 1024
# No proxy from the environment (http_proxy, https_proxy): a proxy looks the site's name up itself,
# out of the guard's reach, so a name pointing at a private or cloud-metadata address would pass.
# An operator who must crawl through one sets HTTPPROXY_ENABLED, trusting it to refuse those.
HTTPPROXY_ENABLED = False
# Redirects of listings, sitemaps and feeds (Scrapy follows them); article redirects are ours,
# bounded by ZHNEWS_MAX_REDIRECTS
REDIRECT_MAX_TIMES = 5

# Scrapy 2.19's RemoteControl extension opens a local server that runs code, the telnet console
# another: never on. Both are switched off twice, so that a profile's own EXTENSIONS cannot bring
# them back. RunSetup makes every crawl a run of its own (lock, profile snapshot, recovery).
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
EXTENSIONS = {
    "scrapy.extensions.remote_control.RemoteControl": None,
    "scrapy.extensions.telnet.TelnetConsole": None,
    "crawler.run_setup.RunSetup": 0,
    "crawler.politeness.CrawlDelay": 900,  # after AutoThrottle (0), so its floor wins
    "crawler.shared_archive.SharedArchive": 1000,  # only with ZHNEWS_ARCHIVE_URL
}

# Archive every response as it comes off the wire: after HttpCompression (590) and Redirect (600)
# in the response path, so the WARC holds the bytes as sent, redirects and errors included.
# The guard (50) runs first on every request, robots.txt and redirects included; robots.txt is ours
# (fails closed) in place of Scrapy's (fails open).
DOWNLOADER_MIDDLEWARES = {
    "crawler.guard.GuardMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.StrictRobotsTxtMiddleware": 100,
    "crawler.archive.WarcArchiveMiddleware": 950,
}
# a request queue on a full disk ends the site's crawl instead of failing in the engine's loop forever
SCHEDULER = "crawler.scheduler.QueueFailureScheduler"
HTTPERROR_ALLOW_ALL = True  # the spider sees 4xx/5xx and counts them instead of dropping silently
# No cookies: news pages need none, and a site that sets thousands made every later request too large
# to answer (431). A profile whose site needs them sets COOKIES_ENABLED: true in its `settings`.
COOKIES_ENABLED = False

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# --- zhnews ---------------------------------------------------------------------------------
# The data folder (layout: corpus/layout.py): WARCs go to raw/<run>/, the crawl state beside it.
ZHNEWS_DATA_DIR = str(layout.DEFAULT_ROOT)
# The run this crawl writes; None starts a new one, named by the UTC start time.
ZHNEWS_RUN_ID = None
# A WARC file is closed and a new one started past this size (a shard of `zhnews process`).
ZHNEWS_WARC_MAX_BYTES = 256 * 1024 * 1024
# Where a finished run's files are copied for a fleet (a folder or an fsspec URL; crawler/shared_archive.py);
# None keeps them in the data folder only.
ZHNEWS_ARCHIVE_URL = None
# Where the crawl remembers what it fetched (a `crawler.state.StateStore`, loaded by name).
ZHNEWS_STATE_STORE = "crawler.state.SqliteStateStore"

# Limits: a hostile or broken site cannot keep a crawl busy forever.
ZHNEWS_MAX_REDIRECTS = 5  # hops of one article redirect chain
ZHNEWS_MAX_ARTICLE_PAGES = 20  # pages of one paginated article, the first included (crawler/pagination.py)
ZHNEWS_MAX_SITEMAPS = 1000  # sitemap files fetched per site and run
ZHNEWS_MAX_SITEMAP_DEPTH = 3  # sitemap indexes nested in sitemap indexes
# article fetches per site and run (0: no limit; `zhnews check-site` sets a small one): a sitemap that lists
# millions of URLs, or the first crawl of a large site, is spread over nights, each run going on where the
# last stopped; 20,000 is a night at a polite second a page
ZHNEWS_MAX_ARTICLES = 20_000
ZHNEWS_ROBOTS_MAX_BYTES = 500 * 1024  # a larger robots.txt counts as unreachable (RFC 9309 allows 500 KiB)
ZHNEWS_MAX_CRAWL_DELAY = 30.0  # seconds: the most a robots.txt Crawl-delay slows one host down
# Addresses: hosts that resolve to private, loopback, link-local, multicast or reserved addresses are
# refused unless allowed here (the bundled sample sites and the tests run on 127.0.0.1).
ZHNEWS_ALLOW_PRIVATE_ADDRESSES = False
# withdrawals (corpus/withdrawn.py) as JSON, beside DATA_DIR/withdrawn.json: how a fleet's controller
# hands its blocklist to nodes that have none
ZHNEWS_WITHDRAWN = ""
# Every connection resolves its host through the guard, so the address checked is the one contacted.
TWISTED_DNS_RESOLVER = "crawler.guard.GuardedResolver"
