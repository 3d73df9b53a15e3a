"""Crawl news sites into data/raw/<run-id>/*.warc.gz (every response archived) and data/state.sqlite.

Sites are given as bundled profile names (crawler/sites/NAME.yaml) or paths to YAML profiles.
`--sample` serves the bundled offline sample sites on 127.0.0.1 and crawls them: no network needed.
Re-running is incremental: articles already archived are skipped unless the sitemap says they changed.

With `--scrapyd URL[,URL…]` the sites are crawled by a Scrapyd fleet instead (`crawler/fleet.py`):
the project is deployed where needed, each site is given to one node by a stable assignment (so its
crawl state stays there) and crawled as a run of its own, `<run>.<site>`, whose files the node
copies to `--archive` when done. `--wait` waits for the jobs; `zhnews status` shows them.
"""

from __future__ import annotations

import argparse
import signal
import sys

from corpus.commands.options import (
    SAMPLE_PORTS,
    add_data_dir,
    add_sites,
    data_folder_settings,
    name_value_pairs,
    run_id,
    scrapyd_nodes,
    show_progress,
    sites_of,
    usage_error,
    warn_of_run_order,
)

HELP = "crawl site profiles (or --sample) into WARC files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_sites(parser)
    parser.add_argument("--sample", action="store_true", help="serve the bundled sample sites (on ports "
                        f"{SAMPLE_PORTS[0]} and {SAMPLE_PORTS[1]}, free ones when taken) and crawl them")
    parser.add_argument("--var", action="append", metavar="NAME=VALUE",
                        help="value for ${NAME} in the profiles (repeatable)")
    add_data_dir(parser, "raw/ and state.sqlite go here")
    parser.add_argument("--run-id", type=run_id, help="name of this run (default: the UTC start time, which keeps "
                        "runs in name order, the order every stage takes them in; e.g. 20250101T000000Z-test)")
    parser.add_argument("--set", action="append", metavar="SETTING=VALUE", dest="settings",
                        help="override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=2 (repeatable)")
    parser.add_argument("--revalidate", action="store_true",
                        help="re-check every known article with a conditional request (ETag / Last-Modified)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    fleet = parser.add_argument_group("crawling on a Scrapyd fleet")
    fleet.add_argument("--scrapyd", type=scrapyd_nodes, metavar="URL[,URL...]",
                       help="Scrapyd nodes (http://[user:password@]host:port) to crawl on, one job per site")
    fleet.add_argument("--archive", metavar="FOLDER_OR_URL",
                       help="where each node copies a finished run: a shared folder or an fsspec URL (s3://...)")
    fleet.add_argument("--node-data-dir", default="data",
                       help="each node's data folder (crawl state, its copy of the runs), on the node")
    fleet.add_argument("--wait", action="store_true", help="wait until every job has finished, and check its run "
                       "arrived in --archive (exit 1 if one did not)")


def _typed(overrides: dict[str, str]) -> dict[str, object]:
    """--set values take the type of the setting's default (a number, a flag): a value that does not
    fit is an error now, not a crawl that dies later inside Scrapy."""
    from crawler.profile import setting_defaults

    defaults = setting_defaults()
    typed: dict[str, object] = {}
    for name, value in overrides.items():
        default = defaults.get(name)
        if name not in defaults:  # an extension's own setting, or a misspelt one that would change nothing
            print(f"zhnews crawl: --set {name}: not a setting Scrapy or zhnews defines; check its spelling",
                  file=sys.stderr)
        try:
            if isinstance(default, bool):
                typed[name] = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}[
                    value.strip().lower()]
            elif isinstance(default, float):
                typed[name] = float(value)
            elif isinstance(default, int):
                typed[name] = int(value)
            else:
                typed[name] = value
        except (KeyError, ValueError):
            kind = {bool: "true or false", int: "a whole number"}.get(type(default), "a number")
            usage_error(f"zhnews crawl: --set {name}={value!r}: {name} takes {kind} (default {default!r})")
    return typed


def run(args: argparse.Namespace) -> int:
    from contextlib import ExitStack
    from pathlib import Path

    from corpus.layout import DataLayout
    from crawler.profile import ProfileError, load_profile
    from crawler.run import run_crawl
    from crawler.run_setup import RunExists, new_run_id
    from crawler.urls import without_credentials

    if not sites_of(args) and not args.sample:
        usage_error("zhnews crawl: name at least one --site PROFILE (or a --sites FILE), or --sample")
    variables = name_value_pairs(args.var, "--var")
    overrides = _typed(name_value_pairs(args.settings, "--set"))
    if args.scrapyd:
        return _crawl_on_fleet(args, variables, overrides)
    if args.archive or args.wait:  # a local crawl would run, and archive nothing, unsaid
        usage_error("zhnews crawl: --archive and --wait go with --scrapyd (a local crawl archives its run with "
                    "--set ZHNEWS_ARCHIVE_URL=FOLDER_OR_URL)")
    with ExitStack() as stack:
        profiles, broken = [], {}
        for site in sites_of(args):  # a broken profile fails its site, not the night's other sites
            try:
                profiles.append(load_profile(site, variables))
            except ProfileError as error:
                broken[Path(site).stem] = str(error)
                print(f"zhnews crawl: {error}", file=sys.stderr)
        try:
            if args.sample:
                from crawler.sample_site.server import serve_sample_sites_at

                servers = stack.enter_context(serve_sample_sites_at(*SAMPLE_PORTS))
                profiles += [
                    load_profile("sample-a", {**variables, "base_url": servers.base_url_a}),
                    load_profile("sample-b", {**variables, "base_url": servers.base_url_b}),
                ]
        except ProfileError as error:
            sys.exit(f"zhnews crawl: {error}")
        layout, run = DataLayout(args.data_dir), args.run_id or new_run_id()
        warn_of_run_order(layout, run, "crawl")
        try:
            summary = run_crawl(profiles, layout, run, overrides, args.revalidate, progress=show_progress(args),
                                broken_profiles=broken)
        except (RunExists, ValueError) as error:
            sys.exit(f"zhnews crawl: {error}")
    print(without_credentials(summary.render()))
    if summary.interrupted:  # SIGTERM or Ctrl-C: every site stopped cleanly, the next crawl resumes
        return 128 + signal.SIGTERM
    return 1 if summary.failures() else 0


def _crawl_on_fleet(args: argparse.Namespace, variables: dict[str, str], overrides: dict[str, object]) -> int:
    from pathlib import Path

    from crawler.fleet import FleetError, archived_outcome, arrived, schedule_fleet, wait_for
    from crawler.profile import SITES_DIR, ProfileError, load_profile, resolve_profile_path
    from crawler.run_setup import new_run_id

    if args.sample:
        sys.exit("zhnews crawl: --sample serves the sample sites from this process, which a fleet cannot reach; "
                 "serve them (`zhnews serve-sample`) and pass their profiles with --site")
    if not args.archive:
        sys.exit("zhnews crawl: --scrapyd needs --archive (where the nodes put the runs they crawl)")
    sites: dict[str, dict[str, str]] = {}
    for site in sites_of(args):
        try:
            profile = load_profile(site, variables)
        except ProfileError as error:
            sys.exit(f"zhnews crawl: {error}")
        path = resolve_profile_path(site)  # a path must be readable on the node; bundled ones travel in the egg
        sites[profile.name] = {"profile": site if path.parent == SITES_DIR else str(path.absolute()), **variables,
                               **({"revalidate": "1"} if args.revalidate else {})}
    archive = args.archive if "://" in args.archive else str(Path(args.archive).absolute())
    settings = {"ZHNEWS_DATA_DIR": args.node_data_dir, "ZHNEWS_ARCHIVE_URL": archive,
                **{name: str(value) for name, value in overrides.items()}}
    # the nodes have neither dataset.yaml nor the blocklist: both travel (a contact set with --set wins)
    travelling = data_folder_settings(args.data_dir)
    if settings.get("ZHNEWS_CONTACT"):
        travelling.pop("ZHNEWS_CONTACT", None)
    settings.update(travelling)
    nodes = args.scrapyd
    run_id = args.run_id or new_run_id()
    print(f"crawl {run_id} on {len(nodes)} Scrapyd node(s):")
    try:
        jobs, deployed = schedule_fleet(nodes, sites, run_id, settings, lambda job: print(
            f"  {job.site:<16} → {job.node}   run {job.run}", flush=True))
        print(f"  deployed to: {', '.join(deployed) or 'none needed (every node has this version)'}")
        if not args.wait:
            print(f"  follow them with: zhnews status --scrapyd {','.join(node.name for node in nodes)}"
                  f" --archive {archive}")
            return 0
        states = wait_for(nodes, jobs)
    except FleetError as error:
        sys.exit(f"zhnews crawl: {error}")
    missing = [job for job in jobs if not arrived(archive, job.run, job.site)]
    failed = 0
    for job in jobs:
        if job in missing:
            print(f"  {job.run}: {states[job.run]}, NOT in the archive: see the node's log")
            continue
        outcome = archived_outcome(archive, job.run, job.site)
        ended = "" if outcome is None or outcome.outcome == "ok" else \
            f"; {outcome.outcome.upper()} ({outcome.reason}): {outcome.detail}"
        failed += outcome is not None and outcome.outcome == "failed"
        print(f"  {job.run}: {states[job.run]}, archived in {archive}{ended}")
    return 1 if missing or failed else 0
