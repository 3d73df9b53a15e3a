"""Copy a finished crawl's files to a shared archive: where a fleet's nodes put what they fetched.

With `ZHNEWS_ARCHIVE_URL` set (a folder, or any fsspec URL: `s3://bucket/prefix`, …), the run's
files for the site (its WARC files, its site profile and crawl settings, `corpus/layout.py`) are
copied to `<archive>/raw/<run>/` once the crawl has stopped and every file is closed, however it
ended: what a failed crawl fetched is archived too (its `crawl.json` and its Scrapyd log say why it
failed), and a crawl killed outright is archived by the node's next crawl. The node keeps
its own copy and its crawl state; credentials come from the node's environment (`AWS_*`,
`FSSPEC_S3_ENDPOINT_URL`, …), never from a setting.

A reader must never see half a run, so a run arrives whole:
- in a folder: the files are copied to `<archive>/incoming/<run>/`, which is then renamed to
  `<archive>/raw/<run>/` (a rename within one file system is atomic);
- in an object store, which has no rename: each object appears whole, and the site profile
  (`raw/<run>/sites/<site>.json`) is written last: a run without it is still arriving.

`zhnews pull` (`pull_runs`) brings whole runs from an archive into a data folder for processing; a
folder archive can also be processed in place (`--data-dir` the archive: it has the same `raw/`).

Until its run is copied, a crawl leaves `archive.pending` in it. A copy that fails is logged and counted
(`zhnews/archive/failed`), and a crawl killed outright never copies: either way the files stay on the
node, marked, and the node's next crawl copies them (once a claim has made a killed crawl's files whole).
"""

from __future__ import annotations

import logging
import os
import shutil
from contextlib import suppress
from pathlib import Path
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from corpus.crawl_report import CrawlReport, SiteOutcome
from corpus.files import Busy, atomic_path, exclusive
from corpus.layout import WARC_SUFFIX, DataLayout, archive_run

logger = logging.getLogger(__name__)
_archived_sites: dict[str, str] = {}  # run → the one site this process crawls into it, with an archive


def run_files(layout: DataLayout, run: str, site: str) -> list[Path]:
    """The files of `run` that a crawl of `site` wrote, in the order they are copied: marker last."""
    warcs = sorted(path for path in layout.run_dir(run).glob(f"{run}-{site}-*{WARC_SUFFIX}"))
    return [*warcs, layout.article_pages(run, site), layout.crawl_config(run, site), layout.crawl_report(run),
            layout.site_snapshot(run, site)]


def copy_run(layout: DataLayout, run: str, site: str, archive_url: str) -> int:
    """Copy the run's files for `site` under `<archive_url>/raw/<run>/`; returns the bytes copied."""
    import fsspec
    from fsspec.implementations.local import LocalFileSystem

    fs, root = fsspec.core.url_to_fs(archive_url)
    files = [path for path in run_files(layout, run, site) if path.exists()]
    final = archive_run(root, run)
    if fs.exists(final):
        raise FileExistsError(f"{archive_url}: {final} exists already (runs are written once)")
    target = archive_run(root, run, arriving=True) if isinstance(fs, LocalFileSystem) else final
    if target != final and fs.exists(target):  # what a killed copy of this run left
        fs.rm(target, recursive=True)
    for path in files:
        relative = path.relative_to(layout.run_dir(run)).as_posix()
        fs.makedirs(f"{target}/{Path(relative).parent.as_posix()}", exist_ok=True)
        fs.put_file(str(path), f"{target}/{relative}")
    if target != final:
        fs.makedirs(final.rpartition("/")[0], exist_ok=True)
        fs.mv(target, final, recursive=True)
    return sum(path.stat().st_size for path in files)


class SharedArchive:
    """Extension: when the crawl's engine has stopped (the WARC writer is closed by then), copy the
    run's files for this site to ZHNEWS_ARCHIVE_URL."""

    def __init__(self, crawler: Crawler, archive_url: str) -> None:
        self.crawler, self.archive_url = crawler, archive_url

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        archive_url = crawler.settings.get("ZHNEWS_ARCHIVE_URL")
        if not archive_url:
            raise NotConfigured()  # simply off: without a message Scrapy logs no "Disabled" warning
        run, site = crawler.settings["ZHNEWS_RUN_ID"], crawler.spider.profile.name  # RunSetup (0) settled the run
        if _archived_sites.setdefault(run, site) != site:  # `run_crawl` refuses it first; `scrapy crawl` here
            raise ValueError(f"ZHNEWS_ARCHIVE_URL archives runs of one site (a fleet's jobs); run {run} "
                             f"crawls {_archived_sites[run]} and {site}: crawl one site per run")
        extension = cls(crawler, archive_url)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        settings, stats = self.crawler.settings, self.crawler.stats
        run, site = settings["ZHNEWS_RUN_ID"], self.crawler.spider.profile.name
        layout = DataLayout(Path(settings["ZHNEWS_DATA_DIR"]))
        try:
            _write_report(layout, run, site, stats.get_stats())
            copied = copy_run(layout, run, site, self.archive_url)
        except Exception as error:  # the files stay on the node: say so loudly, lose nothing
            logger.error("could not copy run %s (%s) to the shared archive %s: %s; its files stay in %s, and the "
                         "node's next crawl copies them", run, site, self.archive_url, error, layout.root)
            stats.inc_value("zhnews/archive/failed")
        else:
            layout.archive_pending(run).unlink(missing_ok=True)
            stats.set_value("zhnews/archive/bytes", copied)
            logger.info("copied run %s (%s, %d bytes) to %s", run, site, copied, self.archive_url)
        for earlier in layout.runs_pending_archive():
            if earlier != run:
                self._archive_left_behind(layout, earlier)

    def _archive_left_behind(self, layout: DataLayout, run: str) -> None:
        """A run an earlier crawl of this node did not copy: it was killed (kill -9, OOM: `engine_stopped`
        never came; a claim has made its files whole since), or its copy failed. Its articles are in the
        node's crawl state as fetched, so no later crawl fetches them again: copied now, under its lock (a
        run still being crawled is left to its own crawl), with a report saying it was killed if it has none."""
        try:
            with exclusive(layout.run_lock(run), f"crawl run {run}", "archiving"):
                if layout.open_shards(run):  # not made whole yet: a later crawl's claim will
                    return
                for site in (path.stem for path in layout.site_snapshots(run)):
                    if not layout.crawl_report(run).exists():
                        report = CrawlReport(run, {site: SiteOutcome(
                            "failed", "unfinished", "the crawl was killed before it could copy its files")})
                        with atomic_path(layout.crawl_report(run)) as tmp:
                            tmp.write_text(report.to_json(), encoding="utf-8")
                    with suppress(FileExistsError):  # archived already
                        copied = copy_run(layout, run, site, self.archive_url)
                        logger.info("copied run %s (%s, %d bytes), which an earlier crawl left, to %s", run, site,
                                    copied, self.archive_url)
                layout.archive_pending(run).unlink(missing_ok=True)
        except Busy:
            return
        except Exception as error:  # it stays on the node, marked: the next crawl tries again
            logger.error("could not copy run %s, which an earlier crawl left, to the shared archive %s: %s; its "
                         "files stay in %s", run, self.archive_url, error, layout.root)


def _write_report(layout: DataLayout, run: str, site: str, stats: dict[str, object]) -> None:
    """How the site's crawl ended (`crawl.json`), as `zhnews crawl` writes it: a job Scrapyd runs has no
    other, and without it a site whose crawl failed arrived as a whole, silent run."""
    from crawler.run import CrawlSummary

    report = CrawlSummary(run, layout.run_dir(run), 0.0, {site: stats}).report()
    with atomic_path(layout.crawl_report(run)) as tmp:
        tmp.write_text(report.to_json(), encoding="utf-8")


def pull_runs(archive_url: str, layout: DataLayout) -> list[str]:
    """Copy every whole run of the archive that the data folder lacks into its `raw/`; the runs pulled.

    A run is downloaded next to `raw/` (`work/<run>/pull/`) and renamed into place when complete, so
    a killed pull leaves no half run for `process` to take; the next pull starts that run again.
    """
    import fsspec

    fs, root = fsspec.core.url_to_fs(archive_url)
    if not fs.exists(root):  # a mistyped URL or an unmounted share is no empty archive: it would pass every night
        raise FileNotFoundError(f"no shared archive at {archive_url} (check --archive)")
    raw = archive_run(root, "").rstrip("/")
    pulled = []
    for remote in sorted(fs.ls(raw, detail=False)) if fs.exists(raw) else []:
        run = remote.rstrip("/").rpartition("/")[2]
        if layout.run_dir(run).exists():
            continue
        prefix = remote.rstrip("/") + "/"
        files = {path[len(prefix):]: path for path in fs.find(remote)
                 if not path.rpartition("/")[2].startswith(".")}  # not its lock
        if not any(relative.startswith("sites/") for relative in files):  # its profile comes last: arriving
            continue
        staging = layout.pulled(run)
        shutil.rmtree(staging, ignore_errors=True)
        for relative, path in files.items():
            local = staging / relative
            local.parent.mkdir(parents=True, exist_ok=True)
            fs.get_file(path, str(local))
        layout.raw.mkdir(parents=True, exist_ok=True)
        os.rename(staging, layout.run_dir(run))
        pulled.append(run)
    return pulled
