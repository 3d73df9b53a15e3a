"""Score the quality filters on a labelled sample: how often each drops an article (it must not) and
how many non-articles it catches.

The sample: the bundled sample sites' articles and listing pages as the pipeline extracts them, and,
when the shared gold sets are there, their Chinese articles (kept), link lists built from their pages
and English articles (both dropped). See cleaning/eval/filters.py. --show lists the articles a filter
dropped: what to read before changing a threshold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.commands.eval_extract import DEFAULT_EVAL_DIR

if TYPE_CHECKING:
    from cleaning.eval.filters import Page

HELP = "precision and recall of each quality filter on a labelled sample of articles and non-articles"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=DEFAULT_EVAL_DIR, help="folder holding the gold sets")
    parser.add_argument("--thresholds", type=Path, metavar="FILE", help="YAML overriding cleaning/thresholds.yaml")
    parser.add_argument("--show", action="store_true", help="list the articles each filter dropped")


def sample_site_pages() -> list[Page]:
    """Every HTML page of the bundled sample sites, marked article or not (`gold()` knows); the later
    pages and one-page views of a paginated article are parts of it, not pages of their own."""
    from cleaning.eval.filters import Page
    from crawler.sample_site import gold, load_articles
    from crawler.sample_site.generate import build_site

    articles, pages = gold(), []
    parts = {a.page_path(n) for a in load_articles() if a.pages > 1 for n in [0, *range(2, a.pages + 1)]}
    for key in ("a", "b"):
        site = build_site(key, "http://127.0.0.1:8000")
        pages += [Page(site.base_url + path, resource.body, path in articles, f"sample-{key}")
                  for path, resource in sorted(site.resources.items())
                  if resource.content_type.startswith("text/html") and path not in parts]
    return pages


def run(args: argparse.Namespace) -> int:
    from cleaning.config import load_thresholds
    from cleaning.eval.filters import GOLD_SETS, filter_table, labelled_sample, score_filters
    from cleaning.eval.harness import BadGoldSet

    try:
        thresholds = load_thresholds(args.thresholds)
    except (OSError, ValueError) as error:
        sys.exit(f"zhnews eval-filters: bad --thresholds: {error}")
    if not any((args.data / name / "items.jsonl").is_file() for name in GOLD_SETS):
        print(f"eval-filters: none of the gold sets {', '.join(GOLD_SETS)} at {args.data}: scoring on the sample "
              "sites alone", file=sys.stderr)
    try:
        sample = labelled_sample(sample_site_pages(), args.data)
    except BadGoldSet as error:
        sys.exit(f"zhnews eval-filters: {error}")
    scores = score_filters(sample, thresholds)
    print(filter_table(sample, scores), end="")
    if args.show:
        for score in scores:
            for example in score.examples:
                print(f"  {score.name} dropped article {example}")
    return 0
