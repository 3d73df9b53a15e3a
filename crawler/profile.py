"""Site profiles: one YAML file per news site says where to start and which URLs are articles.

```yaml
name: jinghua                      # short id; becomes the `site` column
start_urls: ["https://news.example.cn/"]   # listing pages (home, sections)
sitemaps: ["https://news.example.cn/sitemap.xml"]   # sitemap, sitemap index or news sitemap
feeds: ["https://news.example.cn/rss.xml"]           # RSS or Atom
article_url: '/\\d{6}/t\\d{8}_\\d+\\.html$'            # regex searched in the URL, or a list of them
listing_url: ['/index(_\\d+)?\\.html$', '/node_\\d+\\.htm$']  # pages whose links are followed (one or a list)
listing_areas: ['//div[@class="list"]']  # optional: only extract links inside these (cheaper)
prune_xpath: ['//div[@class="editor-picks"]']  # optional: containers to delete before extraction
max_listing_pages: 200             # bound on listing pages followed per run
strip_index: false                 # optional: /x/index.html and /x/ are one page (crawler/urls.py)
allowed_domains: ["example.cn"]    # optional: hosts (and their subdomains) the crawl may visit
settings: {DOWNLOAD_DELAY: 1.0}    # per-site Scrapy setting overrides
examples:                          # real URLs and where each was seen; `zhnews check-profile` runs them
  - {url: "https://news.example.cn/202506/t20250604_1.html", kind: article, source: "owner/repo:path@commit"}
  - {url: "https://news.example.cn/index_2.html", kind: listing, source: "..."}
```
A URL is matched as it is found in a page: canonicalised first (`crawler/urls.py`: fragment, tracking
parameters and default port dropped), so a pattern may end in `$`. One pattern per URL form reads
better than one long alternation, and lets `zhnews check-profile` name a form no example shows.
URLs must be http(s). The crawl visits only the allowed hosts (by default those of the entry points),
on the ports of the entry points (80 and 443 go together). A name is a short id: lower-case letters,
digits, `-` and `_`; `allowed_domains` may not name a public suffix (cn, com.cn). `settings` may not
switch on a console (`TELNETCONSOLE_*`, `REMOTE_CONTROL_*`), set download handlers or a proxy, or
change the project's own entries of a component setting (`EXTENSIONS`, `DOWNLOADER_MIDDLEWARES`, …),
into which its own entries are merged; any other setting with a default must be of its kind.
`${VAR}` in any string is replaced from the `variables` given to `load_profile` (the sample site
uses `${base_url}` because its port is chosen at run time).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

import yaml
from scrapy.settings import BaseSettings, Settings

from corpus.withdrawn import is_public_suffix
from crawler.pagination import page_of
from crawler.urls import ascii_host, canonical, without_credentials

SITES_DIR = Path(__file__).parent / "sites"
DEFAULT_MAX_LISTING_PAGES = 200
SCHEMES = {"http": 80, "https": 443}
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_FORBIDDEN_SETTINGS = ("TELNETCONSOLE_", "REMOTE_CONTROL_")


class ProfileError(ValueError):
    """A site profile that cannot drive a crawl; the message names the file and the field."""


EXAMPLE_KINDS = ("article", "listing", "feed", "sitemap", "other")  # other: neither an article nor a listing


@dataclass(frozen=True)
class Example:
    """A real URL of the site, what the profile must take it for, and where it was seen (a repository
    file, a saved page): the evidence a profile is written from, re-checked by `zhnews check-profile`."""
    url: str
    kind: str
    source: str


@dataclass(frozen=True)
class SiteProfile:
    name: str
    article_url: tuple[re.Pattern[str], ...]
    listing_url: tuple[re.Pattern[str], ...] = ()
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    allowed_ports: tuple[int, ...] = ()
    listing_areas: tuple[str, ...] = ()
    max_listing_pages: int = DEFAULT_MAX_LISTING_PAGES
    strip_index: bool = False
    prune_xpath: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()

    def kind_of(self, url: str) -> str | None:
        """`article`, `listing` or None for a URL as found in a page: matched after canonicalisation
        (a `#fragment`, `?utm_…` or `:80` must not hide an article from an `$`-anchored pattern)."""
        url = canonical(url, self.strip_index)
        if self._matches_article(url):
            return "article"
        if (page := page_of(url)) and self._matches_article(canonical(page.first, self.strip_index)):
            return "article"  # a later page of an article (`…_2.html`): it leads to its article
        if _matches(self.listing_url, url):
            return "listing"
        return None

    def _matches_article(self, url: str) -> bool:
        return _matches(self.article_url, url)

    def is_article(self, url: str) -> bool:
        return self.kind_of(url) == "article"

    def is_listing(self, url: str) -> bool:
        """A listing is a page whose links are followed; an article URL is never one."""
        return self.kind_of(url) == "listing"

    def domain_of(self, host: str) -> str | None:
        """The longest of the allowed domains that `host` is, or is a subdomain of; None when none is."""
        host = ascii_host(host.lower())
        covering = [domain for domain in self.allowed_domains if host == domain or host.endswith("." + domain)]
        return max(covering, key=len, default=None)

    def refuses(self, url: str) -> str | None:
        """Why the crawl may not fetch `url` (`scheme`, `host`, `port`), or None when it may."""
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            return "scheme"
        if self.domain_of(parts.hostname or "") is None:
            return "host"
        try:
            port = parts.port or SCHEMES[parts.scheme]
        except ValueError:  # a port that is not a number
            return "port"
        return None if port in self.allowed_ports else "port"


def _matches(patterns: tuple[re.Pattern[str], ...], url: str) -> bool:
    """Does a pattern match the URL, escaped as requested (canonical) or as a person writes it: a
    profile's pattern may spell a path's Chinese as it shows ("/新闻/")?"""
    return any(pattern.search(url) for pattern in patterns) or (
        "%" in url and any(pattern.search(unquote(url)) for pattern in patterns))


_VARIABLE = re.compile(r"\$\{(\w+)\}")


def variables_of(text: str) -> list[str]:
    """The `${NAME}` variables a profile's text uses."""
    return _VARIABLE.findall(text)


def _substitute(value: Any, variables: dict[str, str]) -> Any:
    """Replace `${name}` only: a bare `$` is a regex anchor in the URL patterns."""
    if isinstance(value, str):
        return _VARIABLE.sub(lambda m: variables[m.group(1)], value)
    if isinstance(value, list):
        return [_substitute(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, variables) for k, v in value.items()}
    return value


def _patterns(source: str, data: dict[str, Any], key: str) -> tuple[re.Pattern[str], ...]:
    """One regular expression or a list of them (one per URL form)."""
    value = data.get(key) or []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise ProfileError(f"{source}: `{key}` must be a regular expression or a list of them")
    patterns = []
    for value in values:
        try:
            patterns.append(re.compile(value))
        except (re.error, OverflowError, RecursionError) as error:  # a{99999999999}, or thousands of nested groups
            raise ProfileError(f"{source}: `{key}` {value!r} is not a valid regular expression: {error}") from None
    return tuple(patterns)


def _examples(source: str, data: dict[str, Any]) -> tuple[Example, ...]:
    value = data.get("examples", [])
    if not isinstance(value, list):
        raise ProfileError(f"{source}: `examples` must be a list of {{url, kind, source}} mappings")
    examples = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"url", "kind", "source"} or not all(
                isinstance(v, str) and v for v in item.values()):
            raise ProfileError(f"{source}: each of `examples` is a mapping of url, kind and source, got {item!r}")
        _http_url(source, item["url"])
        if item["kind"] not in EXAMPLE_KINDS:
            raise ProfileError(f"{source}: example {item['url']!r}: kind must be one of {', '.join(EXAMPLE_KINDS)}")
        examples.append(Example(item["url"], item["kind"], item["source"]))
    return tuple(examples)


_LISTS = ("start_urls", "sitemaps", "feeds", "allowed_domains", "listing_areas", "prune_xpath")


def _http_url(source: str, url: str) -> SplitResult:
    """`url`'s parts, or the profile error that it is not an http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host
        parts = None
    if parts is None or parts.scheme not in SCHEMES or not parts.hostname:
        raise ProfileError(f"{source}: {url!r} is not an http(s) URL with a host")
    return parts


def _entry_ports(source: str, urls: tuple[str, ...]) -> tuple[int, ...]:
    """The ports of the entry points, each checked to be an http(s) URL; 80 and 443 go together
    (sites move between http and https)."""
    ports: set[int] = set()
    for url in urls:
        parts = _http_url(source, url)
        try:
            ports.add(parts.port or SCHEMES[parts.scheme])
        except ValueError:
            raise ProfileError(f"{source}: {url!r} has a port that is not a number") from None
    if ports & set(SCHEMES.values()):
        ports |= set(SCHEMES.values())
    return tuple(sorted(ports))


def _settings(source: str, data: dict[str, Any]) -> dict[str, Any]:
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ProfileError(f"{source}: `settings` must be a mapping of Scrapy setting names to values")
    consoles = [name for name in settings if str(name).startswith(_FORBIDDEN_SETTINGS)]
    if consoles:
        raise ProfileError(f"{source}: `settings` may not touch the consoles ({', '.join(consoles)}): "
                           "they stay off in every crawl")
    for name, value in settings.items():
        _check_known(source, str(name))
        _check_guarded(source, str(name), value)
        _check_setting_type(source, str(name), value)
    return dict(settings)


def _check_known(source: str, name: str) -> None:
    """A misspelt setting would do nothing, silently. A name Scrapy and the project do not know may be a
    component's own; it is refused only when it is lower case or one letter off a known one."""
    known = list(setting_defaults())
    if name in known:
        return
    close = difflib.get_close_matches(name.upper(), known, n=1, cutoff=0.85)
    if close or not name.isupper():
        hint = f" ({close[0]}?)" if close else " (setting names are upper case)"
        raise ProfileError(f"{source}: settings.{name} is not a setting Scrapy or zhnews knows{hint}")


# settings that list components by order, merged into the project's (a profile's own dict settings,
# DEFAULT_REQUEST_HEADERS say, are its own business); their _BASE forms would replace Scrapy's whole list
_COMPONENTS = ("EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES")
_COMPONENT_BASES = tuple(f"{name}_BASE" for name in _COMPONENTS)


def _check_guarded(source: str, name: str, value: Any) -> None:
    """What keeps a crawl on its site stays as the project sets it: a profile may add components of its
    own, but not switch one of the project's off or back on (the guard, our robots.txt in place of
    Scrapy's, the consoles), fetch through other download handlers (file://, a bounded one replaced),
    or take a proxy, which would look names up past the guard's address check."""
    if name.startswith(("DOWNLOAD_HANDLERS", "HTTPPROXY_")) or name in _COMPONENT_BASES:
        raise ProfileError(f"{source}: `settings` may not set {name}: it decides where requests go, for every "
                           "site of the crawl (set it for the whole crawl with --set, if at all)")
    project = setting_defaults().get(name)
    if name in _COMPONENTS and not isinstance(value, dict):  # as text or a list, it would replace the project's
        raise ProfileError(f"{source}: settings.{name} must be a mapping of component to order, like "
                           f"{{{name}: {{myproject.Component: 700}}}}, got {value!r}")
    if name in _COMPONENTS and isinstance(project, BaseSettings):
        changed = [key for key, order in value.items() if key in project and project[key] != order]
        if changed:
            raise ProfileError(f"{source}: settings.{name} may not change the project's own entries {changed}: "
                               "they keep the crawl on its site (add components of your own instead)")


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


@lru_cache(maxsize=1)
def setting_defaults() -> Settings:
    """Scrapy's defaults with the project's (`crawler/settings.py`): what a profile's settings and a
    `--set` value are judged against."""
    defaults = Settings()
    defaults.setmodule("crawler.settings")
    return defaults


def _check_setting_type(source: str, name: str, value: Any) -> None:
    """A setting of the kind of its default (a number, a whole number, a flag, text, a list): a value
    that does not fit is a profile error when it loads, not a traceback inside Scrapy once the site's
    crawl starts (reported as a site that never started, not as its profile). Settings without a
    default, and component settings (merged key by key), are Scrapy's and the extensions' to read."""
    default = setting_defaults().get(name)
    if isinstance(default, bool):  # what Scrapy's getbool reads
        ok, kind = value in (True, False, 0, 1, "0", "1", "true", "false", "True", "False"), "true or false"
    elif isinstance(default, (int, float)):  # Scrapy reads either kind of number, or one written as text
        ok, kind = not isinstance(value, bool) and _is_number(value), "a number"
    elif isinstance(default, str):
        ok, kind = isinstance(value, str), "text"
    elif isinstance(default, (list, tuple)):  # getlist splits text at commas
        ok, kind = isinstance(value, (list, str)), "a list"
    else:
        return
    if not ok:
        raise ProfileError(f"{source}: settings.{name} must be {kind} like its default ({default!r}), got {value!r}")


def _strings(source: str, data: dict[str, Any], key: str) -> tuple[str, ...]:
    """A list-of-strings field; a bare string is a mistake that would be read letter by letter."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ProfileError(f"{source}: `{key}` must be a list of strings, e.g. {key}: [\"...\"]")
    return tuple(value)


# a last step that selects attributes or text, not elements: what prune_xpath removes and listing_areas
# reads links in must be elements
_NOT_ELEMENTS = re.compile(r"(/@[\w:*.-]+|/(text|comment|processing-instruction)\(\))\s*$")


def _xpaths(source: str, data: dict[str, Any], key: str) -> tuple[str, ...]:
    """XPath expressions that select elements, tried once on a small page: one that compiles but fails
    on a page (an unknown function) or gives a number or text would fail every page of the crawl."""
    from lxml import etree, html

    values = _strings(source, data, key)
    page = html.fromstring("<html><head><title>t</title></head><body><div><p>t</p></div></body></html>")
    for value in values:
        try:
            found = etree.XPath(value)(page)
        except etree.XPathSyntaxError as error:
            raise ProfileError(f"{source}: `{key}` entry {value!r} is not valid XPath: {error}") from None
        except etree.XPathError as error:
            raise ProfileError(f"{source}: `{key}` entry {value!r} cannot be evaluated: {error}") from None
        if not isinstance(found, list) or _NOT_ELEMENTS.search(value):
            raise ProfileError(f"{source}: `{key}` entry {value!r} selects no elements (a number, text or "
                               "attributes): write a path to the elements, like //div[@class='share']")
    return values


def snapshot(profile: SiteProfile) -> dict[str, Any]:
    """The profile as plain data, as the crawl stores it beside the run (`corpus/layout.py`)."""
    data = {name: getattr(profile, name) for name in SiteProfile.__dataclass_fields__}
    data["article_url"] = [pattern.pattern for pattern in profile.article_url]
    data["listing_url"] = [pattern.pattern for pattern in profile.listing_url]
    data["examples"] = [dataclasses.asdict(example) for example in profile.examples]
    for key in ("start_urls", "sitemaps", "feeds"):  # a password in an entry point is not stored
        data[key] = [without_credentials(url) for url in data[key]]
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def parse_profile(data: dict[str, Any], source: str, variables: dict[str, str] | None = None) -> SiteProfile:
    """Validate a profile mapping; every problem is reported with the file it came from."""
    try:
        data = _substitute(data, variables or {})
    except KeyError as error:
        raise ProfileError(f"{source}: no value for ${{{error.args[0]}}} (pass it with --var NAME=VALUE)") from None
    known = set(SiteProfile.__dataclass_fields__) - {"allowed_ports"}  # derived from the entry points
    unknown = set(data) - known
    if unknown:
        raise ProfileError(f"{source}: unknown keys {sorted(unknown)}; known keys: {sorted(known)}")
    for key in ("name", "article_url"):
        if not data.get(key):
            raise ProfileError(f"{source}: `{key}` is required")
    if not isinstance(data["name"], str) or not _NAME.fullmatch(data["name"]):
        raise ProfileError(f"{source}: `name` {data['name']!r} must be lower-case letters, digits, - and _ "
                           "(it names files and the `site` column)")
    lists = {key: _strings(source, data, key) for key in _LISTS}
    entry_points = lists["start_urls"] + lists["sitemaps"] + lists["feeds"]
    if not entry_points:
        raise ProfileError(f"{source}: give at least one of start_urls, sitemaps, feeds")
    ports = _entry_ports(source, entry_points)
    suffixes = [domain for domain in lists["allowed_domains"] if is_public_suffix(domain.lower().strip("."))]
    if suffixes:
        raise ProfileError(f"{source}: `allowed_domains` {suffixes} name a public suffix, not a site: the crawl "
                           "could go to any site under it (give the site's own domain, e.g. example.cn)")
    hosts = lists["allowed_domains"] or tuple(sorted({urlsplit(u).hostname or "" for u in entry_points}))
    max_listing_pages = data.get("max_listing_pages", DEFAULT_MAX_LISTING_PAGES)
    if not isinstance(max_listing_pages, int) or max_listing_pages < 0:
        raise ProfileError(f"{source}: `max_listing_pages` must be a whole number ≥ 0")
    if not isinstance(data.get("strip_index", False), bool):
        raise ProfileError(f"{source}: `strip_index` must be true or false")
    return SiteProfile(
        name=str(data["name"]),
        article_url=_patterns(source, data, "article_url"),
        listing_url=_patterns(source, data, "listing_url"),
        start_urls=lists["start_urls"],
        sitemaps=lists["sitemaps"],
        feeds=lists["feeds"],
        allowed_domains=tuple(ascii_host(host.lower()) for host in hosts),
        allowed_ports=ports,
        listing_areas=_xpaths(source, data, "listing_areas"),
        max_listing_pages=max_listing_pages,
        strip_index=data.get("strip_index", False),
        prune_xpath=_xpaths(source, data, "prune_xpath"),
        settings=_settings(source, data),
        examples=_examples(source, data),
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping: PyYAML keeps the last one, so a
    second `article_url:` would replace the first without a word."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"`{key}` appears twice", key_node.start_mark)
            if isinstance(key, Hashable):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def resolve_profile_path(name_or_path: str) -> Path:
    """Accept a path to a YAML file or the name of a bundled profile in crawler/sites/."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return SITES_DIR / f"{name_or_path}.yaml"


def load_profile(name_or_path: str, variables: dict[str, str] | None = None) -> SiteProfile:
    path = resolve_profile_path(name_or_path)
    if not path.is_file():
        bundled = sorted(p.stem for p in SITES_DIR.glob("*.yaml"))
        raise ProfileError(f"no site profile {name_or_path!r} (bundled profiles: {', '.join(bundled)})")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # a SafeLoader: no objects
    except UnicodeDecodeError as error:
        raise ProfileError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8") from None
    except yaml.YAMLError as error:
        raise ProfileError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile is a YAML mapping")
    return parse_profile(data, str(path), variables)
