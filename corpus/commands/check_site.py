"""A live canary for one site profile: crawl a few of its articles now, process them, say what was found.

Profiles for real sites are written from what their pages looked like when the profile was made;
sites change. This crawls the profile's entry points and at most --limit articles into a scratch
folder (politely: the profile's own delays, robots.txt obeyed), processes them, and reports robots.txt,
the article URLs each entry point yielded, how many articles were extracted or dropped (and why), and
their charsets. It also lists the links of the listing pages it read that look like articles (a dated
path, a long id) but that no pattern of the profile takes, grouped by URL shape, each with a pattern
to add: how a profile is mended after a redesign. It exits 1 when the profile looks broken: nothing
could be read, no article URL was found, none of the articles or fewer than half of those fetched gave a
text; or when the crawl skipped the site (robots.txt opts out, a publisher withdrew it). The contact the
User-Agent names and the withdrawals come from --data-dir, as for a crawl; nothing is written there.

`--url URL` fetches that one page instead (the same guard, robots.txt and delays) and shows how the
profile classifies it and what extraction gives.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.commands.options import add_data_dir, positive_int

if TYPE_CHECKING:
    from corpus.layout import DataLayout
    from crawler.profile import SiteProfile
    from crawler.run import CrawlSummary

HELP = "crawl a few pages of one site profile live and report whether the profile still works"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", metavar="PROFILE", help="a bundled profile name or a path to a YAML profile")
    parser.add_argument("--limit", type=positive_int, default=10, help="articles to fetch at most")
    parser.add_argument("--var", action="append", metavar="NAME=VALUE", help="value for ${NAME} in the profile")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="crawl into DIR and keep it (default: scratch)")
    parser.add_argument("--url", help="fetch this one page of the site and show how the profile takes it")
    add_data_dir(parser, "whose dataset.yaml names the contact and whose withdrawals hold (nothing is written there)")


def run(args: argparse.Namespace) -> int:
    from corpus.commands.options import data_folder_settings, name_value_pairs
    from corpus.layout import DataLayout
    from crawler.politeness import MissingContact
    from crawler.profile import ProfileError, load_profile
    from crawler.run import run_crawl

    try:
        profile = load_profile(args.site, name_value_pairs(args.var, "--var"))
    except ProfileError as error:
        sys.exit(f"zhnews check-site: {error}")
    overrides: dict[str, object] = {**data_folder_settings(args.data_dir), "ZHNEWS_MAX_ARTICLES": args.limit}
    try:
        if args.url:
            return _check_url(profile, args.url, args.keep, overrides)
        with tempfile.TemporaryDirectory(prefix="zhnews-check-") as scratch:
            layout = DataLayout(args.keep or Path(scratch))
            crawl = run_crawl([profile], layout, overrides=overrides, progress=False)
            return _report(profile, layout, crawl, args.limit)
    except MissingContact:  # its message names the scratch folder's dataset.yaml
        sys.exit(f"zhnews check-site: no contact for the User-Agent: set `contact` in "
                 f"{DataLayout(args.data_dir).dataset_config} (or pass --data-dir) to a page or address where "
                 "site operators can reach you")


def _report(profile: SiteProfile, layout: DataLayout, crawl: CrawlSummary, limit: int) -> int:
    """Process what the crawl fetched and print the verdict; 1 when the profile looks broken."""
    from cleaning.config import ProcessConfig
    from cleaning.run.run import process_run
    from crawler.profile_check import rejected_article_shapes

    stats = crawl.stats.get(profile.name, {})
    processed = process_run(layout, crawl.run_id, ProcessConfig(), progress=False) if layout.shards(
        crawl.run_id) else None
    lengths = _lengths(layout, crawl.run_id)
    shapes = rejected_article_shapes(profile, _listing_links(layout, crawl.run_id))
    totals = processed.totals if processed else {}
    # a site the crawl skipped (robots.txt opts out, a publisher withdrew it) cannot be checked either
    problems = [outcome.detail for outcome in crawl.outcomes().values() if outcome.outcome in ("failed", "skipped")]
    discovered = {k.rsplit("/", 1)[1]: v for k, v in sorted(stats.items()) if k.startswith("zhnews/discovered/")}
    fetched = stats.get("zhnews/articles/fetched", 0)
    kept = totals.get("kept", 0)
    if not problems and not discovered:
        problems.append("no article URL found: check article_url, sitemaps, feeds and listing_url")
    elif not problems and not kept and not stats.get("zhnews/articles/skipped_known"):
        # the crawl fails a site only from three error answers on: a canary of two must say it too
        problems.append("article URLs were found, but none gave a text: see the answers and robots.txt above")
    elif fetched and kept < fetched / 2:
        problems.append(f"only {kept} of {fetched} fetched articles gave a text: check prune_xpath and the pages")
    dropped = {key.replace("/dropped/", ": "): value for key, value in sorted(totals.items()) if "/dropped/" in key}
    charsets = {key.rsplit("/", 1)[1]: value for key, value in sorted(totals.items())
                if key.startswith("decode/charset/")}
    robots = {key.split("/", 2)[2]: value for key, value in sorted(stats.items())
              if key.startswith(("robotstxt/response_status_count/", "robotstxt/unreachable/"))}
    lines = [f"check-site {profile.name}: {'BROKEN' if problems else 'OK'}",
             f"  robots.txt: {robots or 'not fetched'}; forbidden by it: {stats.get('robotstxt/forbidden', 0)}",
             f"  article URLs found, by where: {discovered or 'none'}",
             f"  articles fetched {fetched} (limit {limit}), texts kept {kept}, dropped {dropped or 'none'}",
             f"  charsets: {charsets or 'none'}; median text {int(statistics.median(lengths)) if lengths else 0} chars",
             *(f"  problem: {problem}" for problem in problems)]
    if shapes:
        lines.append("  links on listing pages that look like articles but match no pattern (add to article_url?):")
        lines += [f"    {shape.count:>4} like {shape.example}\n         article_url: '{shape.pattern}'"
                  for shape in shapes[:10]]
    print("\n".join(lines))
    return 1 if problems else 0


def _lengths(layout: DataLayout, run: str) -> list[int]:
    import pyarrow.parquet as pq

    return [n for path in layout.run_docs(run) for n in pq.read_table(path, columns=["char_count"])[0].to_pylist()]


def _responses(layout: DataLayout, run: str, kind: str) -> Iterator[tuple[str, int, bytes, str | None]]:
    """(URL, status, body, Content-Type) of the run's archived responses of one page kind."""
    from warcio.archiveiterator import ArchiveIterator

    from cleaning.config import ProcessConfig
    from cleaning.io.warc_reader import response_body
    from corpus.warc_format import KIND_FIELD

    limit = ProcessConfig.max_page_bytes  # the class's default: no thresholds file read per record
    for path in layout.shards(run):
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response" and record.rec_headers.get_header(KIND_FIELD) == kind:
                    status = int(record.http_headers.get_statuscode() or 0)
                    headers, body = response_body(record, limit)
                    yield record.rec_headers.get_header("WARC-Target-URI"), status, body, headers.get("content-type")


def _listing_links(layout: DataLayout, run: str) -> list[str]:
    import lxml.html

    from crawler.urls import found_url

    links: list[str] = []
    for url, status, body, _ in _responses(layout, run, "listing"):
        if status == 200 and body.strip():
            try:
                root = lxml.html.fromstring(body)
            except (ValueError, lxml.etree.ParserError):
                continue
            found = (found_url(a.get("href", "").strip(), url) for a in root.iter("a") if a.get("href"))
            links += [link for link in found if link]  # not a link no parser takes (http://[::1/…)
    return links


def _check_url(profile: SiteProfile, url: str, keep: Path | None, overrides: dict[str, object]) -> int:
    """Fetch one page as the crawl would (guard, robots.txt, delays; no link followed) and say how the
    profile takes it and what extraction gives."""
    import dataclasses
    import re

    from cleaning.extraction.extractor import extract_html
    from cleaning.steps.decode import decode_html
    from corpus.layout import DataLayout
    from crawler.run import run_crawl

    kind = profile.kind_of(url) or "neither an article nor a listing"
    refused = profile.refuses(url)
    print(f"check-site {profile.name} --url {url}\n  the profile takes it for: {kind}"
          + (f"; the crawl would refuse it ({refused})" if refused else ""))
    if refused:
        return 1
    one_page = dataclasses.replace(profile, start_urls=(url,), sitemaps=(), feeds=(), max_listing_pages=1,
                                   article_url=(re.compile(r"(?!)"),), listing_url=())  # follow nothing
    with tempfile.TemporaryDirectory(prefix="zhnews-check-") as scratch:
        layout = DataLayout(keep or Path(scratch))
        crawl = run_crawl([one_page], layout, overrides=overrides, progress=False)
        fetched = list(_responses(layout, crawl.run_id, "listing"))
    if not fetched:
        outcome = crawl.outcomes().get(profile.name)
        print(f"  not fetched: {outcome.detail if outcome and outcome.detail else 'no response'}")
        return 1
    # a redirect (http → https, a trailing slash) is archived too: the page is where it led
    answered = [response for response in fetched if not 300 <= response[1] < 400] or fetched
    url, status, body, content_type = answered[-1]
    print(f"  HTTP status {status}, {len(body)} bytes" + (f" (at {url})" if len(fetched) > 1 else ""))
    if status != 200:
        return 1
    html, charset = decode_html(body, content_type)
    got = extract_html(html, url, profile.prune_xpath)
    print(f"  charset {charset}; title {got.title!r}; author {got.author!r}; published {got.published_at!r}")
    print(f"  text: {len(got.text)} characters" + (f" ({got.reason})" if got.reason else ""))
    for line in got.text.splitlines()[:5]:
        print(f"    {line[:100]}")
    return 0 if got.text else 1
