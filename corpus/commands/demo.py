"""Run the whole pipeline on the bundled offline sample sites: serve → crawl → process → dedup → build → load.

Everything happens on 127.0.0.1; the result is a dataset folder that `datasets.load_dataset` opens.
The sites are served on fixed ports (--port-a, --port-b), so their URLs stay the same: running it again
is safe, its crawl finds nothing new and the dataset keeps its files. When a port is taken the sites
go to free ports, and the crawl fetches everything again under the new URLs (saying so).
"""

from __future__ import annotations

import argparse
import sys

from corpus.commands.options import SAMPLE_PORTS, add_data_dir, add_workers, port, show_progress

HELP = "crawl, process, dedup and build the bundled sample sites end to end (offline)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_dir(parser, "everything goes here")
    add_workers(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--port-a", type=port, default=SAMPLE_PORTS[0], help="port of sample site A")
    parser.add_argument("--port-b", type=port, default=SAMPLE_PORTS[1], help="port of sample site B")


def run(args: argparse.Namespace) -> int:
    from datasets import load_dataset

    from cleaning.config import ProcessConfig
    from cleaning.dedup.stage import dedup_runs
    from cleaning.run.executor import LocalExecutor
    from cleaning.run.run import process_run
    from corpus.build import build_dataset
    from corpus.layout import DataLayout
    from crawler.profile import load_profile
    from crawler.run import run_crawl
    from crawler.sample_site.server import serve_sample_sites_at

    progress = show_progress(args)
    layout = DataLayout(args.data_dir)
    with serve_sample_sites_at(args.port_a, args.port_b) as servers:
        profiles = [load_profile("sample-a", {"base_url": servers.base_url_a}),
                    load_profile("sample-b", {"base_url": servers.base_url_b})]
        crawl = run_crawl(profiles, layout, progress=progress)
    print(crawl.render())
    config = ProcessConfig()
    executor = LocalExecutor(args.workers)
    try:
        print(process_run(layout, crawl.run_id, config, executor, progress=progress).render())
    finally:
        executor.close()
    for summary in dedup_runs(layout, [crawl.run_id], dict(config.thresholds["dedup"]), progress=progress):
        print(summary.render())
    build = build_dataset(layout, progress=progress)
    print(build.render())
    dataset = load_dataset(str(build.out_dir), split="train")
    print(f"\nload_dataset({str(build.out_dir)!r}, split='train') →\n{dataset}")
    if dataset.num_rows:
        first = dataset[0]
        print(f"first row: {first['title']!r} ({first['site']}, {first['published_at']}) {first['text'][:60]!r}…")
    print(f"\ncard ({build.out_dir / 'README.md'}): {build.card_summary}")
    loader = f"datasets.load_dataset({str(build.out_dir)!r}, split='train')"
    print(f'load it: {sys.executable} -c "import datasets; print({loader})"')
    return 0
