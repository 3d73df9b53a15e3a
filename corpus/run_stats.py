"""The JSON side-files a run's crawl, processing and dedup leave for later stages, as typed records.

`raw/<run>/sites/<site>.json` (`SiteSnapshot`, the profile the crawl used), `stats/<run>/<shard>.json`
and each phase's marker (`ShardStats`), `stats/<run>/summary.json` (`RunSummary`, written by `zhnews
process`), `stats/<run>/dedup.json`
(`DedupStats`, written last by `zhnews dedup`: the run is deduplicated), `dedup/<run>/superseded.json`
(`Supersession` rows) and `dedup/<run>/reprints.json` (`Reprint` rows). Every reader and writer goes
through these records (a test pins it), so a field renamed here is renamed everywhere, and a
damaged file is one clear error (`DamagedFile`, saying how to get it back) wherever it is read.

Counters follow one grammar, `<step>/<key>`, a drop being `<step>/dropped/<reason>` (cleaning/steps/
base.py); `dropped_by_step` reads it. This module imports nothing of ours but the files helpers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from corpus.files import DamagedFile, read_json, write_json

T = TypeVar("T")


def _record(cls: type[T], data: Any, path: Path, way_out: str) -> T:
    """`cls` from a JSON object, keeping the fields it knows; DamagedFile when it lacks one it needs."""
    if not isinstance(data, dict):
        raise DamagedFile(path, "not a JSON object", way_out)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    try:
        return cls(**{key: value for key, value in data.items() if key in known})
    except TypeError as error:
        raise DamagedFile(path, f"a field is missing ({error})", way_out) from None


@dataclass
class SiteSnapshot:
    """A site's profile as the crawl used it, as plain data (`crawler/profile.py: snapshot`). Processing
    takes the site's extraction settings from here, not from the profile file, which may have changed
    since the crawl."""

    name: str
    prune_xpath: list[str]
    settings: dict[str, Any]  # the whole profile

    WAY_OUT = "copy the site's profile into it as `zhnews crawl` writes it (crawler/profile.py: snapshot)"

    @classmethod
    def of(cls, settings: dict[str, Any]) -> SiteSnapshot:
        return cls(settings["name"], list(settings.get("prune_xpath") or []), settings)

    @classmethod
    def read(cls, path: Path) -> SiteSnapshot:
        data = read_json(path, cls.WAY_OUT)
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise DamagedFile(path, "not a site profile with a name", cls.WAY_OUT)
        if not isinstance(data.get("prune_xpath") or [], list):
            raise DamagedFile(path, "prune_xpath is not a list", cls.WAY_OUT)
        return cls.of(data)

    def write(self, path: Path) -> None:
        write_json(path, self.settings)


@dataclass
class ShardStats:
    """What processing counted on one shard (a WARC file). The last phase writes it to
    `stats/<run>/<shard>.json`, last, marking the shard done; each earlier phase writes it as its marker,
    with the observations the next phase's opening step merges (cleaning/run/shard.py)."""

    shard: str
    seconds: float
    reader: dict[str, int]  # what reading the WARC counted: records, damaged, too large...
    steps: dict[str, dict[str, int]]  # step → its counters (`<key>`, a drop `dropped/<reason>`)
    kept: int | None = None  # the last phase's documents written
    observations: Any = None  # an earlier phase's, for the next phase's opening step

    WAY_OUT = "delete it and run `zhnews process --run {run}`, which processes that shard again"

    @classmethod
    def read(cls, path: Path, run: str) -> ShardStats:
        return _record(cls, read_json(path, cls.WAY_OUT.format(run=run)), path, cls.WAY_OUT.format(run=run))

    def write(self, path: Path) -> None:
        """The fields as they are (no deep copy: they are JSON data already); a phase's marker, which
        holds the observations handed to the next phase, compact."""
        values = {item.name: value for item in fields(self) if (value := getattr(self, item.name)) is not None}
        write_json(path, values, readable=self.observations is None)

    def counters(self) -> Counter[str]:
        """The shard's counters in the run's grammar: `kept`, `reader/<key>`, `<step>/<key>`."""
        found: Counter[str] = Counter(kept=self.kept or 0)
        for key, value in self.reader.items():
            found[f"reader/{key}"] += value
        for step, counters in self.steps.items():
            for key, value in counters.items():
                found[f"{step}/{key}"] += value
        return found


@dataclass
class RunSummary:
    """What processing did to a run: its pipeline, counters and the configuration it used."""

    run: str
    pipeline: list[dict[str, str]]  # {"step": name, "does": one line}
    counters: dict[str, int]
    config: dict[str, Any] = field(default_factory=dict)
    extractor: str | None = None
    versions: dict[str, str] = field(default_factory=dict)

    WAY_OUT = ("delete it and run `zhnews process --run {run}`, which sums it anew from the shards; nothing was "
               "written")

    @classmethod
    def read(cls, path: Path, run: str) -> RunSummary:
        return _record(cls, read_json(path, cls.WAY_OUT.format(run=run)), path, cls.WAY_OUT.format(run=run))

    def write(self, path: Path) -> None:
        write_json(path, asdict(self))


@dataclass
class DedupStats:
    """What dedup did to a run; written last, it marks the run deduplicated."""

    run: str
    documents: int
    kept: int
    counters: dict[str, int]
    dropped: int = 0
    seconds: float = 0.0
    thresholds: dict[str, Any] = field(default_factory=dict)

    WAY_OUT = ("delete it and {run}'s dedup.json, then run `zhnews dedup`, which writes both anew from its "
               "index; nothing was written")

    @classmethod
    def read(cls, path: Path, run: str) -> DedupStats:
        return cls.of(read_json(path, cls.WAY_OUT.format(run=run)), path, run)

    @classmethod
    def of(cls, data: Any, path: Path, run: str) -> DedupStats:
        return _record(cls, data, path, cls.WAY_OUT.format(run=run))

    def write(self, path: Path) -> None:
        write_json(path, asdict(self))


@dataclass(frozen=True)
class Supersession:
    """An earlier row (id, crawl_run) that a revision in `by_run` replaces."""

    id: str
    crawl_run: str
    by_run: str


@dataclass(frozen=True)
class Reprint:
    """A cluster of an earlier run that this run's copies grew: its row's run and its new size."""

    dup_cluster_id: str
    run: str
    dup_cluster_size: int


def read_rows(cls: type[T], path: Path, run: str) -> list[T]:
    """The rows of a `superseded.json` or `reprints.json`; none when the file is missing (a run
    deduplicated before the file existed)."""
    if not path.exists():
        return []
    data = read_json(path, DedupStats.WAY_OUT.format(run=run))
    if not isinstance(data, list):
        raise DamagedFile(path, "not a JSON list", DedupStats.WAY_OUT.format(run=run))
    return [_record(cls, row, path, DedupStats.WAY_OUT.format(run=run)) for row in data]


def write_rows(path: Path, rows: list[Any]) -> None:
    write_json(path, [asdict(row) for row in rows])


def dropped_by_step(counters: dict[str, int]) -> Counter[tuple[str, str]]:
    """(step, reason) → documents, from a run's counters (`<step>/dropped/<reason>`)."""
    found: Counter[tuple[str, str]] = Counter()
    for key, n in counters.items():
        step, _, rest = key.partition("/")
        if rest.startswith("dropped/"):
            found[(step, rest.removeprefix("dropped/"))] += n
    return found
