"""The withdrawal blocklist (`data/withdrawn.json`): what a publisher asked to have taken out.

`zhnews withdraw` appends to it; every stage honours it: the crawl refuses a withdrawn URL or host
(`crawler/guard.py`), processing and dedup drop a withdrawn document with the reason `withdrawn`, and
the build removes withdrawn rows from the published files (`corpus/build.py`). One entry per request:

```json
[{"scope": "domain", "value": "news.example.cn", "reason": "publisher's request of 2026-12-01",
  "at": "2026-12-06T10:00:00Z"}]
```

`scope` is `url` (that URL exactly; `zhnews withdraw` puts a URL as shared in the crawl's canonical
form), `id` (the row id, `corpus/record.document_id` of the URL) or `domain` (that host and its
subdomains, any port). Of ours, this module imports only `corpus.files`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from corpus.files import DamagedFile, read_json, utc_stamp

SCOPES = ("url", "id", "domain")
# second-level labels under which a name is still a public suffix (com.cn, gov.cn, co.uk, com.hk, …)
_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "co", "mil", "int"})
_SUFFIXES = frozenset({"com.cn", "net.cn", "org.cn", "gov.cn", "edu.cn", "ac.cn", "com.hk", "com.tw", "org.tw",
                       "co.uk", "com.sg", "com.mo", "idv.tw", "gov.tw"})


def is_public_suffix(host: str) -> bool:
    """Is `host` (lower case, no trailing dot) a name under which anyone may register a site (cn, com.cn,
    co.uk), rather than a site? A short list of the suffixes Chinese news lives under, not the whole
    Public Suffix List: what a withdrawal or a profile's allowed domains must never name."""
    labels = host.split(".")
    return len(labels) < 2 or (len(labels) == 2 and labels[0] in _SECOND_LEVEL) or (
        not labels[-1].isdigit() and host in _SUFFIXES)


class BadWithdrawal(ValueError):
    """A withdrawal that names nothing a row can match (an empty value, a URL without a host)."""


@dataclass(frozen=True)
class Withdrawal:
    scope: str
    value: str
    reason: str
    at: str  # when it was requested, UTC, ISO 8601 with Z

    @classmethod
    def new(cls, scope: str, value: str, reason: str) -> Withdrawal:
        """A request as the operator typed it, checked and put in the form rows are matched in."""
        value = value.strip()
        if scope not in SCOPES:
            raise BadWithdrawal(f"scope {scope!r} is not one of {', '.join(SCOPES)}")
        if scope == "domain":
            value = value.lower().strip(".")
            if not value or "/" in value or ":" in value:
                raise BadWithdrawal(f"{value!r} is not a host name (give it without scheme, port or path)")
            if is_public_suffix(value):
                raise BadWithdrawal(f"{value!r} is a public suffix, not a site: it would withdraw every site "
                                    "under it (give the site's host, e.g. news.example.cn)")
        elif scope == "url":
            parts = urlsplit(value)
            if not parts.hostname:
                raise BadWithdrawal(f"{value!r} is not a URL with a host")
            # the scheme and host as the crawl records them (lower case); the path is the site's
            value = parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()
        elif scope == "id":
            value = value.lower()
            if not (len(value) == 16 and all(c in "0123456789abcdef" for c in value)):
                raise BadWithdrawal(f"{value!r} is not a row id (16 hexadecimal digits)")
        if not reason.strip():
            raise BadWithdrawal("a withdrawal needs a reason (it is published in the changelog)")
        return cls(scope, value, reason.strip(), utc_stamp())

    @property
    def key(self) -> str:
        """What names this request in the changelog (a request repeated is the same request)."""
        return f"{self.scope}:{self.value}"

    def matches(self, url: str, row_id: str | None = None) -> bool:
        if self.scope == "url":
            return url == self.value
        if self.scope == "id":  # a page not yet a row: its id as corpus.record.document_id makes it (that
            # module is not imported here: it would bring pyarrow into every crawl; a test holds them equal)
            return (row_id or hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]) == self.value
        host = (urlsplit(url).hostname or "").lower()
        return host == self.value or host.endswith("." + self.value)


_WAY_OUT = ("restore it from a backup (the dataset's changelog names every withdrawal): it lists what every "
            "stage must keep out")


@dataclass(frozen=True)
class Blocklist:
    entries: tuple[Withdrawal, ...] = ()

    @classmethod
    def load(cls, path: Path) -> Blocklist:
        """The blocklist at `path`; empty when there is none. A damaged one is an error (DamagedFile
        naming the file): ignoring it would publish what a publisher asked to withdraw."""
        if not path.exists():
            return cls()
        raw = read_json(path, _WAY_OUT)
        try:
            return cls.from_list(raw)
        except (TypeError, AttributeError) as error:
            raise DamagedFile(path, f"an entry that is not a withdrawal: {error}", _WAY_OUT) from None

    @classmethod
    def from_list(cls, entries: list[dict[str, str]]) -> Blocklist:
        return cls(tuple(Withdrawal(**entry) for entry in entries))

    def merged(self, other: Blocklist) -> Blocklist:
        merged = self
        for entry in other.entries:
            merged = merged.with_entry(entry)
        return merged

    def with_entry(self, entry: Withdrawal) -> Blocklist:
        return self if any(known.key == entry.key for known in self.entries) else Blocklist((*self.entries, entry))

    def to_list(self) -> list[dict[str, str]]:
        return [asdict(entry) for entry in self.entries]

    def match(self, url: str, row_id: str | None = None) -> Withdrawal | None:
        """The first withdrawal that covers this URL (or row id), or None."""
        return next((entry for entry in self.entries if entry.matches(url, row_id)), None)

    def __bool__(self) -> bool:
        return bool(self.entries)
