"""Serve the two sample sites on 127.0.0.1, one ThreadingHTTPServer per site on an OS-chosen port.

The server behaves like a real portal where a crawler can tell: validators (ETag, Last-Modified)
with 304 answers, gzip on request, a 301 for a legacy URL, 404 for a withdrawn article, charset
headers that match (or contradict) the bytes. It counts every request so tests can assert what a
crawler fetched.
"""

from __future__ import annotations

import gzip
import socket
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import templates
from .generate import Resource, Site, build_site


class SampleServer(ThreadingHTTPServer):
    """One sample site. `requests` and `request_log` are snapshots taken under a lock."""

    daemon_threads = True
    # connections waiting to be accepted: socketserver's 5 overflowed when a dozen crawlers connected at
    # once while the accepting thread waited for the GIL, and the kernel's dropped SYN was retried only
    # after a second (1.0 s responses in the bench's crawls, a third of a crawl's time)
    request_queue_size = 128

    def __init__(self, key: str, host: str = "127.0.0.1", port: int = 0) -> None:
        # before binding: a taken port closes the server at once, and `server_close` needs these
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._counts: Counter[str] = Counter()
        self._log: list[tuple[str, str, int]] = []
        super().__init__((host, port), _Handler)
        self.key = key
        self.base_url = f"http://{host}:{self.server_address[1]}"
        self.site: Site = build_site(key, self.base_url)  # absolute URLs need the real port

    @property
    def paths(self) -> list[str]:
        """Every path answered with 200 (file paths; a directory "X/" also serves "X/index.html")."""
        return sorted(self.site.resources)

    @property
    def requests(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    @property
    def request_log(self) -> list[tuple[str, str, int]]:
        """(method, path as requested, status) in arrival order."""
        with self._lock:
            return list(self._log)

    def reset_stats(self) -> None:
        """Forget the counts, e.g. between a first crawl and an incremental re-crawl."""
        with self._lock:
            self._counts.clear()
            self._log.clear()

    def process_request(self, request: socket.socket, client_address: tuple[str, int]) -> None:
        with self._lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:
        with self._lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        """Also hang up idle keep-alive connections: a stopped site must not keep answering."""
        super().server_close()
        with self._lock:
            open_connections = list(self._connections)
        for connection in open_connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self._counts[path] += 1
            self._log.append((method, path, status))


def _http_date(resource: Resource) -> str:
    return format_datetime(resource.modified.astimezone(timezone.utc), usegmt=True)


class _Handler(BaseHTTPRequestHandler):
    server: SampleServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log lives in `server.request_log`, not on stderr."""

    def _respond(self, send_body: bool) -> None:
        site = self.server.site
        path = urlsplit(self.path).path
        if path.endswith("/"):
            path += "index.html"
        if path in site.redirects:
            location = site.base_url + site.redirects[path]
            self._send(301, templates.MOVED.format(location=location).encode(),
                       "text/html; charset=utf-8", send_body, {"Location": location})
        elif (resource := site.resources.get(path)) is None:
            self._send(404, templates.NOT_FOUND.encode(), "text/html; charset=utf-8", send_body)
        else:
            self._send_resource(resource, send_body)

    def _send_resource(self, resource: Resource, send_body: bool) -> None:
        body, headers = resource.body, {"Last-Modified": _http_date(resource)}
        html = resource.content_type.startswith("text/html")
        zipped = html and self._accepts_gzip()
        headers["ETag"] = f'W/"{resource.etag}"' if zipped else f'"{resource.etag}"'
        if html:
            headers["Vary"] = "Accept-Encoding"
        if self._not_modified(resource):
            self._send(304, b"", None, False, headers)
            return
        if zipped:
            body, headers["Content-Encoding"] = gzip.compress(body, mtime=0), "gzip"
        self._send(200, body, resource.content_type, send_body, headers)

    def _accepts_gzip(self) -> bool:
        for coding in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = coding.strip().partition(";")
            if name.strip().lower() in ("gzip", "*"):
                return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
        return False

    def _not_modified(self, resource: Resource) -> bool:
        """If-None-Match wins over If-Modified-Since (RFC 9110); weak comparison for tags."""
        if (tags := self.headers.get("If-None-Match")) is not None:
            wanted = {tag.strip().removeprefix("W/") for tag in tags.split(",")}
            return "*" in wanted or f'"{resource.etag}"' in wanted
        if since := self.headers.get("If-Modified-Since"):
            try:
                moment = parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return resource.modified.replace(microsecond=0) <= moment
        return False

    def _send(self, status: int, body: bytes, content_type: str | None, send_body: bool,
              headers: dict[str, str] | None = None) -> None:
        self.server.record(self.command, self.path, status)  # before the client can see the answer
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)


@dataclass(frozen=True)
class SampleSites:
    """The two running sites: `a` (the main portal) and `b` (the small reprint portal)."""

    a: SampleServer
    b: SampleServer

    @property
    def base_url_a(self) -> str:
        return self.a.base_url

    @property
    def base_url_b(self) -> str:
        return self.b.base_url

    @property
    def servers(self) -> dict[str, SampleServer]:
        return {"a": self.a, "b": self.b}


@contextmanager
def serve_sample_sites(host: str = "127.0.0.1", port_a: int = 0, port_b: int = 0) -> Iterator[SampleSites]:
    """Start both sites in daemon threads (port 0 = any free port); stop them on exit."""
    started: list[tuple[SampleServer, threading.Thread]] = []
    try:
        for key, port in (("a", port_a), ("b", port_b)):
            server = SampleServer(key, host, port)
            thread = threading.Thread(target=server.serve_forever, name=f"sample-site-{key}", daemon=True)
            started.append((server, thread))
            thread.start()
        yield SampleSites(started[0][0], started[1][0])
    finally:
        for server, thread in started:
            server.shutdown()
            server.server_close()
            thread.join()


@contextmanager
def serve_sample_sites_at(port_a: int, port_b: int) -> Iterator[SampleSites]:
    """Both sites on the ports asked for, so that a second crawl meets the same URLs (finds nothing new,
    takes no page for a copy of itself under another URL); on free ports, saying so, when one is taken."""
    with ExitStack() as stack:
        try:
            sites = stack.enter_context(serve_sample_sites(port_a=port_a, port_b=port_b))
        except OSError as error:
            print(f"sample sites: port {port_a} or {port_b} is taken ({error.strerror}): serving on free ports, "
                  "so this crawl fetches every page again under new URLs", file=sys.stderr)
            sites = stack.enter_context(serve_sample_sites())
        yield sites


def serve_until_interrupted(host: str = "127.0.0.1", port_a: int = 0, port_b: int = 0) -> int:
    """Serve both sites in the foreground, printing their base URLs, until Ctrl-C."""
    with serve_sample_sites(host, port_a, port_b) as sites:
        for key, server in sites.servers.items():
            print(f"site {key} ({server.site.config.name}): {server.base_url}/", flush=True)
        print("Ctrl-C to stop", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0
