"""Scrapy settings: the polite, offline-safe defaults every zhnews crawl starts from.

Per-site overrides come from the site profile (`crawler/sites/*.yaml`, key `settings`), run-level
overrides from `zhnews crawl --set NAME=VALUE`; both are applied on top of these in `crawler.run`.
"""

import os

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
EXTENSIONS = {
    "scrapy.extensions.remote_control.RemoteControl": None,
    "scrapy.extensions.telnet.TelnetConsole": None,
}

# Archive every response as it comes off the wire: after HttpCompression (590) and Redirect (600)
# in the response path, so the WARC holds the bytes as sent, redirects and errors included.
DOWNLOADER_MIDDLEWARES = {
    "crawler.archive.WarcArchiveMiddleware": 950,
}
HTTPERROR_ALLOW_ALL = True  # the spider sees 4xx/5xx and counts them instead of dropping silently

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
