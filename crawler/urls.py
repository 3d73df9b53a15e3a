"""URL canonicalisation, before the "seen it?" check: one article, one URL, one document id; and
the passwords URLs may carry, hidden wherever a URL is logged or stored.

- scheme and host lower-cased, the default port dropped, the fragment dropped;
- tracking parameters dropped (`utm_*` and the click ids below), and session ids (`PHPSESSID`,
  `jsessionid`, also as `;jsessionid=` in the path, …), the other parameters kept in order;
- with the profile's `strip_index: true`, a trailing `index.html` / `index.htm` / `index.shtml`
  dropped (`/news/index.html` and `/news/` are one page on most Chinese CMSs; not on all, so a
  profile says so);
- escaped as Scrapy escapes a request's URL (Chinese in a path or query, a space, an IDN host), so that
  the URL looked up in the crawl state is the one a fetch records there (its response's URL).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

_DEFAULT_PORTS = {"http": 80, "https": 443}
# tracking parameters, and session ids (new on every visit: one article would be archived once per visit)
_TRACKING = re.compile(r"utm_\w+|spm|fbclid|gclid|yclid|mc_cid|mc_eid|_hsenc|_hsmi"
                       r"|phpsessid|jsessionid|aspsessionid\w*|sessionid|session_id", re.IGNORECASE)
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)  # Java servers put theirs in the path
_INDEX = re.compile(r"(?<=/)index\.s?html?$")
# what Scrapy's escaping (w3lib's safe_url_string) may change: a URL without any of it is left as it is,
# and most are (its escaping costs 3 µs a URL, and the crawl canonicalises every link it finds)
_ESCAPED_BY_SCRAPY = re.compile(r"[^A-Za-z0-9\-._~:/?&=+,;!$()*%]|%(?![0-9A-Fa-f]{2})|\?$|\?.*[:/?]")


def canonical(url: str, strip_index: bool = False) -> str:
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # not a number: leave the URL to the guard, which refuses it
        return url
    host = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = f"{parts.netloc.rsplit('@', 1)[0]}@{netloc}"
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(_TRACKING.fullmatch(name) for name, _ in pairs):  # rebuilt only then: otherwise left as sent
        query = urlencode([(name, value) for name, value in pairs if not _TRACKING.fullmatch(name)])
    path = _PATH_SESSION.sub("", parts.path) if ";" in parts.path else parts.path
    path = _INDEX.sub("", path) if strip_index else path
    url = urlunsplit((scheme, netloc, path or "/", query, ""))
    return safe_url_string(url) if _ESCAPED_BY_SCRAPY.search(url) else url


def found_url(link: str, base: str | None = None, strip_index: bool = False) -> str | None:
    """A link found on a page (joined to the page's URL `base`) or in a sitemap, canonical; None when no
    parser takes it (`http://[::1/…`: an unbalanced bracket), which a hostile or broken page may hold."""
    try:
        return canonical(urljoin(base, link) if base else link, strip_index)
    except ValueError:
        return None


def http_url_problem(url: str) -> str | None:
    """What keeps `url` from being an http(s) URL with a host (a Scrapyd node's, a Hub endpoint), if
    anything; said without urlsplit's words, which quote a password holding "/", "?" or "#" as the port."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is no number, or out of range)
    except ValueError:
        return "is no URL (a port that is no number from 0 to 65535, a torn IPv6 address?)"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is no http(s) URL with a host"
    return None


def ascii_host(host: str) -> str:
    """A host as a request's URL spells it: an IDN host ("新闻.example.cn") in its punycode form."""
    return host if host.isascii() else urlsplit(safe_url_string(f"http://{host}/")).hostname or host


# `user:password@` in a URL or a bare netloc ("invalid hostname: user:password@host" in a traceback),
# wherever it is written (a log line, a summary, a stored setting)
_CREDENTIALS = re.compile(r"(?:(?<=://)|(?<![^\s'\"(\[]))([^/\s:@'\"]+):([^/\s@'\"]+)@(?=[\w.\[-])")
# setting names whose values are secrets
_SECRET_NAME = re.compile(r"PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|AUTH|CREDENTIAL", re.IGNORECASE)


# a URL's authority (what follows "://" up to its path, query or end): its user information is what
# comes before its last "@" (a password may hold one unencoded)
_AUTHORITY = re.compile(r"(?<=://)[^/\s'\"?#]+")
# a query parameter, and the words of a name that says it holds a secret (?token=, X-Amz-Signature=,
# api_key=), as whole words: author= and oauth_state= are no secrets
_PARAMETER = re.compile(r"([?&]([^=&\s'\"#]*)=)([^&\s'\"#]*)")
_SECRET_WORD = re.compile(r"(?:^|[_.-])(?:token|secret|passw(?:or)?d|api_?key|signature|credentials?|auth|sig)"
                          r"(?:$|[_.-])", re.IGNORECASE)


def _masked_authority(match: re.Match[str]) -> str:
    userinfo, at, host = match.group().rpartition("@")
    if not at:
        return match.group()
    user, colon, _ = userinfo.partition(":")
    return f"{user}:***@{host}" if colon and user else f"***@{host}"  # a token alone as the user: all of it


def without_credentials(text: str) -> str:
    """`text` with every secret a URL in it carries replaced by ***: the password (or a user that is a
    token), and the values of query parameters named as secrets (a presigned URL's signature)."""
    text = _CREDENTIALS.sub(r"\1:***@", _AUTHORITY.sub(_masked_authority, text))
    return _PARAMETER.sub(lambda found: found[1] + "***" if _SECRET_WORD.search(found[2]) else found[0], text)


def redacted_settings(settings: dict[str, object]) -> dict[str, object]:
    """Settings as they may be stored or printed: secrets by name hidden, URL passwords hidden."""
    return {name: "***" if _SECRET_NAME.search(name) else
            without_credentials(value) if isinstance(value, str) else value for name, value in settings.items()}
