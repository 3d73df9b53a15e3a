"""A hostile news site on 127.0.0.1, for the tests: every way a server can hurt an unattended crawl.

One `FaultSite` is one host:port. Its robots.txt behaves as `robots` says (ok, 5xx, timeout, huge,
disallow, delay: a Crawl-delay of one second); its paths are traps and faults:

- `/` (a listing linking to every article below) and `/sitemap.xml`;
- `/news/ok-N.html`: good articles; `/news/flaky.html`: 503 twice, then the article;
- `/news/chain-N.html` → 302 to chain-(N+1), forever; `/news/loop-a.html` ↔ `/news/loop-b.html`;
- `/news/offport.html` → 302 to the same article on `other_port`; `/news/offhost.html` → 302 to an
  unknown host; `/news/to-login.html` → 302 to `/login`;
- `/sitemaps/N.xml`: sitemap indexes nested forever; `/calendar/N.html`: listings linking to the next
  "month", forever;
- `/news/bomb.html`: a gzip bomb (`BOMB_BYTES` of zeros, a thousandth of that on the wire);
- `/news/huge.html`: a body over any sane size limit; `/news/binary.html`: a PNG at an article URL;
- `/news/latin1-lie.html`: UTF-8 bytes served as `charset=iso-8859-1`, with `<meta charset=utf-8>`;
- `/news/epaper.pdf`: an e-paper page as a PDF (made by tests/test_pdf.py);
- `/news/slow.html`: answers after `slow_seconds`; `/news/truncated.html`: promises more than it sends;
- `/coded/`: articles sent with `Content-Encoding` br, zstd, x-gzip, deflate and stacked (`gzip, br`),
  and a compression bomb in each coding (`/coded/bomb-<coding>.html`), linked only from there;
- `/cookies/`: a listing that sets 3,000 cookies, and articles that answer 431 to a request carrying
  more than 8 KB of them (as real servers do to oversized headers);
- `/long/`: a listing with a link 100 KB long; `/headers/flood.html`: response headers that never end,
  `/headers/one-write.html`: a response sent in one write, `/headers/raw-bytes.html`: header values in
  UTF-8 and in GBK bytes (all linked from nowhere);
- `/paged/`: paginated articles, linked only from there: `loop101.html` (3 pages whose pagers link each
  other and themselves), `endless101.html` (every page links one more), `gap101.html` (page 2 answers 404).
- `/bad-urls/`: URLs no parser accepts (`http://[::1/…`, an unbalanced bracket) among good ones: a listing
  (linking `/news/bad-location.html`, which redirects to one, and `/paged/badlink101.html`, whose pager
  holds one), `sitemap.xml` and `feed.xml` (the bad URL between good articles; `/news/ok-feed.html` is
  listed only in the feed, `/news/ok-relative.html` only in the sitemap, as a relative URL); two gzipped
  feeds, a bomb and one whose deflate data is damaged; `refused-sitemap.xml`: twelve article URLs the crawl
  must refuse (another host, another port, robots.txt's /private/), then three good ones; `moved/`: a
  start page redirecting to another domain; `missing/`: a listing of two articles that answer 404;
  `listings/`: a listing linking eight listings the crawl must refuse, then the calendar.

It logs every request before answering, so a test can assert what a crawler fetched.
"""

from __future__ import annotations

import gzip
import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from serving import served

ARTICLE = ("<html><head><meta charset='utf-8'><title>{title}</title></head><body><div class='nav'>首页</div>"
           "<article><h1>{title}</h1>"
           "<p>本报讯 记者从市有关部门获悉，{title}相关工作已全面完成，各项指标均达到预期目标。</p>"
           "<p>据介绍，{title}项目今年共投入资金三亿元，惠及群众超过两万人，有关负责人表示将继续推进。</p>"
           "</article></body></html>")
OK_ARTICLES = 3
# content codings the crawl accepts, and stacks of them (the header lists them in the order applied)
CODINGS = {"br": "用brotli压缩的文章", "zstd": "用zstd压缩的文章", "x-gzip": "标为x-gzip的文章",
           "deflate": "用deflate压缩的文章", "gzip-br": "先gzip后brotli压缩的文章"}
COOKIE_FLOOD = 3000
CODED_BOMB_BYTES = 64 << 20  # past the crawl's and the processing's size limits, a few KB on the wire
PAGED = {"loop": "翻页互链的文章", "endless": "无限翻页的文章", "gap": "缺页的文章"}
BAD_LINK_PAGED = {"badlink": "翻页里有坏链接的文章"}  # linked from /bad-urls/ only
UNPARSEABLE_URL = "http://[::1/news/typo.html"  # an unbalanced bracket: urlsplit raises ValueError
BOMB_BYTES = 256 << 20  # 256 MiB of zeros, about 250 KB gzipped
HUGE_BYTES = 40 << 20
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def article(title: str) -> bytes:
    return ARTICLE.format(title=title).encode("utf-8")


_encoded_cache: dict[tuple[int, str], bytes] = {}


def encode(body: bytes, codings: str) -> bytes:
    """`body` with each coding of `codings` ("gzip-br": gzip, then brotli) applied; cached, as bombs
    take seconds to compress."""
    import zlib

    import brotli
    from backports import zstd

    key = (hash(body), codings)
    if key not in _encoded_cache:
        for coding in codings.split("-") if codings != "x-gzip" else ["x-gzip"]:
            body = {"br": lambda b: brotli.compress(b, quality=5), "zstd": zstd.compress,
                    "gzip": lambda b: gzip.compress(b, mtime=0), "x-gzip": lambda b: gzip.compress(b, mtime=0),
                    "deflate": zlib.compress}[coding](body)
        _encoded_cache[key] = body
    return _encoded_cache[key]


_bomb_cache: list[bytes] = []


def gzip_bomb() -> bytes:
    """Built once per process (compressing takes a second), streamed: never held inflated."""
    if not _bomb_cache:
        buffer = io.BytesIO()
        chunk = b"\x00" * (1 << 20)
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as out:
            for _ in range(BOMB_BYTES // len(chunk)):
                out.write(chunk)
        _bomb_cache.append(buffer.getvalue())
    return _bomb_cache[0]


class FaultSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, robots: str = "ok", other_port: int = 9, slow_seconds: float = 5.0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.robots, self.other_port, self.slow_seconds = robots, other_port, slow_seconds
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"
        self._lock = threading.Lock()
        self._log: list[tuple[float, str]] = []
        self._flaky_left = 2
        self.cookies_seen: list[int] = []  # length of the Cookie header of each /cookies/ article request

    @property
    def paths(self) -> list[str]:
        """Every path requested, in arrival order."""
        with self._lock:
            return [path for _, path in self._log]

    @property
    def arrivals(self) -> list[tuple[float, str]]:
        """(monotonic time, path) of every request."""
        with self._lock:
            return list(self._log)

    def forget(self) -> None:
        """Start the request log afresh (for the next run of a test)."""
        with self._lock:
            self._log.clear()

    def record(self, path: str) -> None:
        with self._lock:
            self._log.append((time.monotonic(), path))

    def flaky_failure(self) -> bool:
        with self._lock:
            self._flaky_left -= 1
            return self._flaky_left >= 0


class _Handler(BaseHTTPRequestHandler):
    server: FaultSite
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        self.server.record(path)
        site = self.server
        if path == "/robots.txt":
            return self._robots()
        if path == "/":
            links = "".join(f"<a href='/news/ok-{i}.html'>ok {i}</a>" for i in range(OK_ARTICLES))
            links += "".join(f"<a href='/news/{name}.html'>{name}</a>" for name in (
                "flaky", "chain-0", "loop-a", "offport", "offhost", "to-login", "bomb", "huge", "binary",
                "latin1-lie", "slow", "truncated"))
            links += "<a href='/news/epaper.pdf'>本期电子版</a>"
            return self._send(200, f"<html><body>{links}<a href='/calendar/0.html'>往期</a></body></html>".encode())
        if path == "/sitemap.xml" or path.startswith("/sitemaps/"):
            depth = int(path.rsplit("/", 1)[1].split(".")[0].rstrip("b")) if path.startswith("/sitemaps/") else 0
            body = ("<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/"
                    f"sitemap/0.9'><sitemap><loc>{site.base_url}/sitemaps/{depth + 1}.xml</loc></sitemap>"
                    f"<sitemap><loc>{site.base_url}/sitemaps/{depth + 1}b.xml</loc></sitemap></sitemapindex>")
            return self._send(200, body.encode(), "application/xml")
        if path.startswith("/paged/"):
            return self._paged(path)
        if path.startswith("/bad-urls/"):
            return self._bad_urls(path)
        if path == "/news/bad-location.html":
            return self._redirect(UNPARSEABLE_URL)
        if path.startswith("/coded/"):
            return self._coded(path)
        if path.startswith("/cookies/"):
            return self._cookies(path)
        if path == "/long/":  # a link 100 KB long, beside a normal one
            return self._send(200, (f"<html><body><a href='/news/ok-0.html'>ok</a>"
                                    f"<a href='/news/{'x' * 100_000}.html'>long</a></body></html>").encode())
        if path.startswith("/calendar/"):
            month = int(path.rsplit("/", 1)[1].split(".")[0])
            return self._send(200, f"<html><body><a href='/calendar/{month + 1}.html'>下月</a></body></html>".encode())
        if path.startswith("/news/ok-"):
            return self._send(200, article(f"正常文章{path}"))
        if path == "/news/flaky.html":
            if site.flaky_failure():
                return self._send(503, b"busy")
            return self._send(200, article("暂时不可用后恢复的文章"))
        if path.startswith("/news/chain-"):
            hop = int(path.rsplit("-", 1)[1].split(".")[0])
            return self._redirect(f"/news/chain-{hop + 1}.html")
        if path == "/news/loop-a.html":
            return self._redirect("/news/loop-b.html")
        if path == "/news/loop-b.html":
            return self._redirect("/news/loop-a.html")
        if path == "/news/offport.html":
            return self._redirect(f"http://127.0.0.1:{site.other_port}/news/ok-0.html")
        if path == "/news/offhost.html":
            return self._redirect("http://elsewhere.invalid/news/ok-0.html")
        if path == "/news/to-login.html":
            return self._redirect("/login")
        if path == "/login":
            return self._send(200, "<html><body><form>请登录后阅读全文。用户名 密码</form></body></html>".encode())
        if path == "/news/bomb.html":
            return self._send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})
        if path == "/news/huge.html":
            return self._send(200, b"<p>" + b"x" * HUGE_BYTES + b"</p>")
        if path == "/news/binary.html":
            return self._send(200, PNG, "text/html")  # mislabelled, as broken CMSs do
        if path == "/news/latin1-lie.html":
            return self._send(200, article("服务器声明了错误字符集的文章"), "text/html; charset=iso-8859-1")
        if path == "/news/epaper.pdf":
            from test_pdf import e_paper_pdf

            return self._send(200, e_paper_pdf(), "application/pdf")
        if path == "/news/slow.html":
            time.sleep(site.slow_seconds)
            return self._send(200, article("很慢的文章"))
        if path == "/news/truncated.html":
            body = article("被截断的文章")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) * 2))
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
            return None
        if path == "/headers/flood.html":
            return self._header_flood()
        if path == "/headers/one-write.html":  # status line, headers and a 3 KB body in one write
            return self._send_raw(b"", article("一次写出的文章") + b"<!--" + b"x" * 3000 + b"-->")
        if path == "/headers/raw-bytes.html":
            return self._send_raw("X-Author: 张三\r\n".encode("utf-8")
                                  + "Content-Disposition: attachment; filename=新闻.html\r\n".encode("gbk"),
                                  article("头部有非ASCII字节的文章"))
        return self._send(404, b"not found")

    def _send_raw(self, headers: bytes, body: bytes) -> None:
        """A 200 HTML page written as bytes, in one write, `headers` (lines ending in CRLF) among its own."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + headers
                         + b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        self.close_connection = True

    def _header_flood(self) -> None:
        """A status line, then header lines for as long as the client reads them."""
        self.send_response_only(200)
        self.flush_headers()
        line = b"X-Filler: " + b"x" * 4000 + b"\r\n"
        with suppress(OSError):  # until the crawler hangs up
            while True:
                self.wfile.write(line)
        self.close_connection = True

    def _cookies(self, path: str) -> None:
        if path == "/cookies/":
            links = "".join(f"<a href='/cookies/{i}.html'>{i}</a>" for i in range(3))
            self.send_response(200)
            for i in range(COOKIE_FLOOD):
                self.send_header("Set-Cookie", f"c{i}={'x' * 20}; Path=/")
            body = f"<html><body>{links}</body></html>".encode()
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        self.server.cookies_seen.append(len(self.headers.get("Cookie", "")))
        if len(self.headers.get("Cookie", "")) > 8192:
            return self._send(431, b"Request Header Fields Too Large")
        return self._send(200, article(f"饼干之后的文章{path}"))

    def _coded(self, path: str) -> None:
        if path == "/coded/":
            links = "".join(f"<a href='/coded/{name}.html'>{name}</a><a href='/coded/bomb-{name}.html'>bomb</a>"
                            for name in CODINGS)
            return self._send(200, f"<html><body>{links}</body></html>".encode())
        name = path.removeprefix("/coded/").removesuffix(".html")
        bomb = name.startswith("bomb-")
        name = name.removeprefix("bomb-")
        if name not in CODINGS:
            return self._send(404, b"not found")
        body = b"<p>" + b"\x00" * CODED_BOMB_BYTES + b"</p>" if bomb else article(CODINGS[name])
        header = name if name == "x-gzip" else name.replace("-", ", ")
        return self._send(200, encode(body, name), headers={"Content-Encoding": header})

    def _bad_urls(self, path: str) -> None:
        base = self.server.base_url
        if path == "/bad-urls/":
            return self._send(200, (f"<html><body><a href='{UNPARSEABLE_URL}'>坏</a>"
                                    "<a href='/news/bad-location.html'>转</a>"
                                    "<a href='/paged/badlink101.html'>页</a></body></html>").encode())
        if path == "/bad-urls/sitemap.xml":
            locs = [f"{base}/news/ok-0.html", UNPARSEABLE_URL, f"{base}/news/ok-1.html", f"{base}/news/ok-2.html",
                    "/news/ok-relative.html"]  # relative, as the protocol forbids and broken CMSs write
            body = ("<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                    + "".join(f"<url><loc>{loc}</loc></url>" for loc in locs) + "</urlset>")
            return self._send(200, body.encode(), "application/xml")
        if path == "/bad-urls/feed.xml":
            links = [UNPARSEABLE_URL, f"{base}/news/ok-feed.html"]
            body = ("<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>t</title>"
                    + "".join(f"<item><title>x</title><link>{link}</link></item>" for link in links)
                    + "</channel></rss>")
            return self._send(200, body.encode(), "application/rss+xml")
        if path == "/bad-urls/refused-sitemap.xml":
            locs = [*(f"http://elsewhere.invalid/news/{i}.html" for i in range(4)),
                    *(f"http://127.0.0.1:{self.server.other_port}/news/{i}.html" for i in range(4)),
                    *(f"{base}/private/news/{i}.html" for i in range(4)),
                    *(f"{base}/news/ok-after-refused-{i}.html" for i in range(3))]
            body = ("<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                    + "".join(f"<url><loc>{loc}</loc></url>" for loc in locs) + "</urlset>")
            return self._send(200, body.encode(), "application/xml")
        if path == "/bad-urls/listings/":  # listing links elsewhere and under /private/ before its own
            links = [*(f"http://elsewhere.invalid/calendar/{i}.html" for i in range(4)),
                     *(f"/private/calendar/{i}.html" for i in range(4)), "/calendar/0.html"]
            return self._send(200, ("<html><body>" + "".join(f"<a href='{link}'>{i}</a>" for i, link in
                                                             enumerate(links)) + "</body></html>").encode())
        if path == "/bad-urls/missing/":  # a listing whose articles are all gone
            return self._send(200, b"<html><body><a href='/news/gone-1.html'>1</a><a href='/news/gone-2.html'>2</a>"
                                   b"</body></html>")
        if path == "/bad-urls/moved/":  # a site that moved: its start page redirects to the new domain
            return self._redirect("http://www.new-domain.example/")
        if path == "/bad-urls/bomb-feed.xml.gz":  # a .gz file, so no Content-Encoding: the spider inflates it
            return self._send(200, gzip_bomb(), "application/x-gzip")
        if path == "/bad-urls/broken-feed.xml.gz":
            return self._send(200, gzip.compress(b"<rss><channel>")[:10] + b"\xff" * 100, "application/x-gzip")
        return self._send(404, b"not found")

    def _paged(self, path: str) -> None:
        if path == "/paged/":
            links = "".join(f"<a href='/paged/{name}101.html'>{name}</a>" for name in PAGED)
            return self._send(200, f"<html><body>{links}</body></html>".encode())
        stem = path.removeprefix("/paged/").removesuffix(".html")
        story, _, number = stem.partition("_")
        name, page = story.removesuffix("101"), int(number) if number.isdigit() else 1
        titles = {**PAGED, **BAD_LINK_PAGED}
        if name not in titles or (name == "gap" and page == 2) or (name != "endless" and page > 3):
            return self._send(404, b"not found")
        pager = range(1, page + 2) if name == "endless" else (1, 2, 3, page)
        links = " ".join(f"<a href='/paged/{story}{'' if n == 1 else f'_{n}'}.html'>{n}</a>" for n in pager)
        if name == "badlink":
            links += f" <a href='{UNPARSEABLE_URL}'>全文</a>"
        body = article(f"{titles[name]}第{page}页").replace(b"</article>", f"<div>{links}</div></article>".encode())
        return self._send(200, body)

    def _robots(self) -> None:
        mode = self.server.robots
        if mode == "5xx":
            return self._send(503, b"unavailable", "text/plain")
        if mode == "timeout":
            time.sleep(self.server.slow_seconds)
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if mode == "huge":
            return self._send(200, b"User-agent: *\nAllow: /\n" + b"#" * HUGE_BYTES, "text/plain")
        if mode == "disallow":
            return self._send(200, b"User-agent: *\nDisallow: /\n", "text/plain")
        if mode == "delay":
            return self._send(200, b"User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n", "text/plain")
        return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")

    def _redirect(self, location: str) -> None:
        self._send(302, b"", headers={"Location": location})

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the crawler gave up (a timeout, a size limit): fine
            self.close_connection = True


@contextmanager
def serve_fault_site(**options: object) -> Iterator[FaultSite]:
    with served(FaultSite(**options), "fault-site") as site:  # type: ignore[arg-type]
        yield site
