"""Revisions and withdrawals as consumers meet them: after nights of revised articles and a publisher's
withdrawal, every reader of the published files (datasets with and without its own filters, streaming,
duckdb, polars, pyarrow, HfFileSystem) sees one row per id, the newest, through the stock clients
against the test Hub (tests/hub_server.py)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from articles import ARTICLE, page
from hub_server import HubServer
from test_publish import REPO_ID, TOKEN, client_env, zhnews

from cleaning.config import ProcessConfig
from cleaning.dedup.stage import dedup_runs
from cleaning.run.run import process_run
from conftest import DEDUP, REPO
from corpus.build import build_dataset
from corpus.layout import DataLayout
from corpus.withdrawn import Blocklist
from crawler.warc import RotatingWarcWriter


def night(layout: DataLayout, run: str, day: str, articles: dict[str, str], build: bool = True) -> None:
    """A run archived on `day`: `articles` maps each URL to the version of its text (a salt; `=URL vN`:
    the text another URL has in version N, a reprint), processed, deduplicated and built, for the repo
    the tests publish to."""
    if not layout.dataset_config.exists():
        layout.root.mkdir(parents=True, exist_ok=True)
        layout.dataset_config.write_text(f"repo_id: {REPO_ID}\n", encoding="utf-8")
    writer = RotatingWarcWriter(layout.run_dir(run), f"{run}-s", 1 << 30)
    for url, version in articles.items():
        writer.write(url=url, status=200, reason="OK", response_headers=[("Content-Type", "text/html; charset=utf-8")],
                     body=page(0, version[1:] if version.startswith("=") else f"{url} {version}"),
                     request_method="GET", request_headers=[],
                     extra_fields={**ARTICLE, "WARC-Date": f"{day}T08:00:00Z"})
    writer.close()
    process_run(layout, run, ProcessConfig(), progress=False)
    dedup_runs(layout, [run], DEDUP, progress=False)
    if build:
        build_dataset(layout, progress=False)


def a(n: int) -> str:
    return f"http://a.example.cn/2026/t{n}.html"


def b(n: int) -> str:
    return f"http://news.b.example.cn/2026/t{n}.html"


READERS = """
import json, sys
from pathlib import Path
repo, folder = sys.argv[1], Path(sys.argv[2])
import datasets, duckdb, polars, pyarrow.parquet as pq
from huggingface_hub import HfFileSystem, snapshot_download

def rows(records):
    return sorted([r["id"], r["crawl_run"]] for r in records)

seen = {}
seen["datasets"] = rows(datasets.load_dataset(repo, split="train"))
seen["datasets streaming"] = rows(datasets.load_dataset(repo, split="train", streaming=True))
own = [("char_count", ">", 0)]  # a consumer's own filter replaces any filter a card could carry
seen["datasets own filters"] = rows(datasets.load_dataset(repo, split="train", filters=own))
seen["datasets own filters, streaming"] = rows(datasets.load_dataset(repo, split="train", filters=own, streaming=True))
periods = sorted({p.split("/")[-2] for p in HfFileSystem().glob(f"datasets/{repo}/data/*/*.parquet")})
seen["datasets per period"] = sorted(r for p in periods for r in rows(datasets.load_dataset(repo, p, split="train")))
fs = HfFileSystem()
paths = fs.glob(f"datasets/{repo}/data/*/*.parquet")
seen["pyarrow over HfFileSystem"] = rows(pq.read_table(paths, filesystem=fs, columns=["id", "crawl_run"]).to_pylist())
local = Path(snapshot_download(repo, repo_type="dataset", local_dir=folder))
pattern = str(local / "data" / "*" / "*.parquet")
seen["duckdb"] = sorted(list(r) for r in duckdb.sql(f"select id, crawl_run from read_parquet('{pattern}')").fetchall())
seen["polars"] = sorted(list(r) for r in polars.read_parquet(pattern).select("id", "crawl_run").iter_rows())
print(json.dumps(seen))
"""


def readers(env: dict[str, str], folder: Path) -> dict[str, list[list[str]]]:
    result = subprocess.run([sys.executable, "-c", READERS, REPO_ID, str(folder)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def publish(env: dict[str, str], layout: DataLayout) -> subprocess.CompletedProcess[str]:
    result = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def card_header(layout: DataLayout) -> dict:
    return yaml.safe_load((layout.dataset / "README.md").read_text(encoding="utf-8").split("---\n")[1])


def test_revised_articles_leave_one_row_per_id_for_every_reader(hub: HubServer, tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    env = client_env(hub, tmp_path / "hf-home")
    night(layout, "run-a", "2026-10-05", {**{a(n): "v1" for n in range(5)}, **{b(n): "v1" for n in range(3)}})
    publish(env, layout)
    header_before = card_header(layout)
    # a night later in the month: two articles revised, one re-fetched unchanged, one new
    night(layout, "run-b", "2026-10-20", {a(0): "v2", a(1): "v2", a(2): "v1", a(9): "v1"})
    publish(env, layout)
    # next month: one of them revised again, an article of the first night revised, one new
    night(layout, "run-c", "2026-11-03", {a(0): "v3", b(1): "v2", b(7): "v1"})
    published = publish(env, layout)
    assert "rewrite" in published.stdout and "  - data/" in published.stdout

    newest = {a(0): "run-c", a(1): "run-b", a(2): "run-a", a(3): "run-a", a(4): "run-a", a(9): "run-b",
              b(0): "run-a", b(1): "run-c", b(2): "run-a", b(7): "run-c"}
    from corpus.record import document_id

    expected = sorted([document_id(url), run] for url, run in newest.items())
    seen = readers(env, tmp_path / "download")
    assert len(seen) == 8
    for reader, rows in seen.items():
        assert rows == expected, reader
    # the published files themselves hold one row per id, and nothing filters them
    hub_data = {path: data for path, data in hub.files(REPO_ID).items() if path.startswith("data/")}
    assert sorted(hub_data) == ["data/2026-10/run-a~2.parquet", "data/2026-10/run-b~1.parquet",
                                "data/2026-11/run-c.parquet"]
    header = card_header(layout)
    assert "filters" not in json.dumps(header)
    assert [c["data_files"] for c in header["configs"][:1]] == [c["data_files"] for c in header_before["configs"][:1]]
    assert (layout.dataset / "superseded.json").exists() is False
    # the ledger says what happened to each file
    changelog = json.loads((layout.dataset / "changelog.json").read_text(encoding="utf-8"))
    rewrites = [(e["replaced"], e["by"], e["removed"]["revised"]) for e in changelog if e.get("kind") == "rewrite"]
    assert rewrites == [("data/2026-10/run-a.parquet", "data/2026-10/run-a~1.parquet", 2),
                        ("data/2026-10/run-a~1.parquet", "data/2026-10/run-a~2.parquet", 1),
                        ("data/2026-10/run-b.parquet", "data/2026-10/run-b~1.parquet", 1)]


def test_a_build_killed_after_writing_files_leaves_nothing_a_reader_or_publish_sees(tmp_path: Path):
    """A build writes new files, then the ledger, then deletes the old files: killed before the ledger,
    its new files are strays that the next build deletes and writes again."""
    layout = DataLayout(tmp_path / "data")
    night(layout, "run-a", "2026-10-05", {a(n): "v1" for n in range(4)})
    stray = layout.dataset / "data" / "2026-10" / "run-a~1.parquet"
    stray.write_bytes((layout.dataset / "data" / "2026-10" / "run-a.parquet").read_bytes())  # a killed build's
    night(layout, "run-b", "2026-10-20", {a(0): "v2"})
    ids = pq.read_table(sorted(layout.dataset.glob("data/*/*.parquet")), columns=["id"])["id"].to_pylist()
    assert len(ids) == len(set(ids)) == 4


def test_withdrawing_a_domain_removes_its_rows_everywhere_and_keeps_it_out(hub: HubServer, tmp_path: Path):
    layout = DataLayout(tmp_path / "data")
    env = client_env(hub, tmp_path / "hf-home")
    night(layout, "run-a", "2026-10-05", {a(n): "v1" for n in range(4)})
    night(layout, "run-b", "2026-11-03", {**{a(n): "v1" for n in range(4, 7)}, **{b(n): "v1" for n in range(3)}})
    publish(env, layout)
    before = {path: hashlib.sha256(data).hexdigest() for path, data in hub.files(REPO_ID).items()}

    dry = zhnews(env, "withdraw", "--domain", "b.example.cn", "--reason", "publisher's request",
                 "--data-dir", str(layout.root), "--dry-run")
    assert dry.returncode == 0 and "would remove 3 row(s) from 1 file(s)" in dry.stdout, dry.stdout + dry.stderr
    assert not layout.withdrawn.exists()
    done = zhnews(env, "withdraw", "--domain", "b.example.cn", "--reason", "publisher's request",
                  "--data-dir", str(layout.root))
    assert done.returncode == 0 and "removed 3 row(s)" in done.stdout, done.stdout + done.stderr
    assert done.stderr == "", done.stderr  # no progress bar into a pipe: cron's mail, a log file
    result = publish(env, layout)
    assert "- data/2026-11/run-b.parquet" in result.stdout

    after = {path: hashlib.sha256(data).hexdigest() for path, data in hub.files(REPO_ID).items()}
    assert after["data/2026-10/run-a.parquet"] == before["data/2026-10/run-a.parquet"]  # other periods untouched
    urls = [url for path, data in hub.files(REPO_ID).items() if path.startswith("data/")
            for url in pq.read_table(pa.BufferReader(data), columns=["url"])["url"].to_pylist()]
    assert urls and not [url for url in urls if "b.example.cn" in url]
    changelog = (layout.dataset / "README.md").read_text(encoding="utf-8")
    assert "withdrawal of domain `b.example.cn`" in changelog and "3 row(s) removed" in changelog

    # later runs honour it: dedup and build drop a withdrawn page processed or fetched again, and a copy
    # of a withdrawn story elsewhere is no duplicate of a row nobody can read: the index forgot it
    night(layout, "run-c", "2026-11-20", {b(5): "v1", a(8): "v1", a(9): f"={b(0)} v1"})
    urls = pq.read_table(sorted(layout.dataset.glob("data/*/*.parquet")), columns=["url"])["url"].to_pylist()
    assert a(8) in urls and a(9) in urls and not [url for url in urls if "b.example.cn" in url]
    summary = json.loads(layout.run_summary("run-c").read_text(encoding="utf-8"))
    assert summary["counters"]["withdrawn/dropped/withdrawn"] == 1



def _withdraw_b(layout: DataLayout) -> list[str]:
    return ["withdraw", "--domain", "b.example.cn", "--reason", "publisher's request", "--data-dir", str(layout.root)]


def _indexed_ids(layout: DataLayout) -> set[str]:
    import sqlite3

    index = sqlite3.connect(layout.dedup_index)
    try:
        return {row_id for (row_id,) in index.execute("SELECT id FROM docs")}
    finally:
        index.close()


def _ids_of_b(layout: DataLayout, run: str) -> set[str]:
    table = pq.read_table(layout.dedup_docs(run), columns=["id", "url"])
    return {row_id for row_id, url in zip(table["id"].to_pylist(), table["url"].to_pylist()) if "b.example.cn" in url}


def _reprint_of_b0_is_kept(layout: DataLayout, run: str) -> bool:
    """A later night on another site prints b(0)'s story word for word: no duplicate of a withdrawn row."""
    night(layout, run, "2026-11-20", {a(9): f"={b(0)} v1"})
    return a(9) in pq.read_table(sorted(layout.dataset.glob("data/*/*.parquet")), columns=["url"])["url"].to_pylist()


def test_a_withdrawal_killed_after_saving_its_ledger_is_finished_by_asking_again(tmp_path: Path):
    """Killed as it draws the card (the files rewritten, the ledger saved), the same command run again
    must still clear the dedup index, and the changelog must record the withdrawal once."""
    import signal

    layout = DataLayout(tmp_path / "data")
    night(layout, "run-a", "2026-10-05", {**{a(n): "v1" for n in range(3)}, **{b(n): "v1" for n in range(3)}})
    withdrawn = _ids_of_b(layout, "run-a")
    victim = ("import os, signal, sys\n"
              "import corpus.withdraw\n"
              "corpus.withdraw.draw_card = lambda *args: os.kill(os.getpid(), signal.SIGKILL)\n"
              f"sys.argv = ['zhnews', *{_withdraw_b(layout)!r}]\n"
              "from corpus.cli import main\n"
              "main()\n")
    assert subprocess.run([sys.executable, "-c", victim], cwd=REPO).returncode == -signal.SIGKILL
    again = subprocess.run([sys.executable, "-m", "corpus.cli", *_withdraw_b(layout)], cwd=REPO,
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert len(withdrawn) == 3 and not withdrawn & _indexed_ids(layout)
    changelog = json.loads(layout.dataset.joinpath("changelog.json").read_text(encoding="utf-8"))
    assert [entry["rows"] for entry in changelog if entry.get("kind") == "withdrawal"] == [3]
    assert _reprint_of_b0_is_kept(layout, "run-b")


def test_a_withdrawal_the_busy_dataset_turns_away_changes_nothing(tmp_path: Path):
    """While a build or publish holds the dataset the command exits 75: nothing blocklisted, nothing
    removed, and the index still holds the documents, as the rows are still published."""
    from corpus.files import exclusive
    from corpus.layout import DatasetLayout

    layout = DataLayout(tmp_path / "data")
    night(layout, "run-a", "2026-10-05", {**{a(n): "v1" for n in range(2)}, **{b(n): "v1" for n in range(2)}})
    indexed = _indexed_ids(layout)
    with exclusive(DatasetLayout(layout.dataset).lock, "dataset", "a build"):
        turned_away = subprocess.run([sys.executable, "-m", "corpus.cli", *_withdraw_b(layout)], cwd=REPO,
                                     capture_output=True, text=True)
    assert turned_away.returncode == 75, turned_away.stdout + turned_away.stderr
    assert _indexed_ids(layout) == indexed and not layout.withdrawn.exists()


def test_a_withdrawal_clears_the_index_of_runs_not_built_yet(tmp_path: Path):
    """Rows deduplicated but not yet built are in no published file, and in the index all the same."""
    layout = DataLayout(tmp_path / "data")
    night(layout, "run-a", "2026-10-05", {a(n): "v1" for n in range(3)})
    night(layout, "run-b", "2026-10-06", {b(n): "v1" for n in range(3)}, build=False)
    withdrawn = _ids_of_b(layout, "run-b")
    done = subprocess.run([sys.executable, "-m", "corpus.cli", *_withdraw_b(layout)], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0 and "the dedup index forgot 3 version(s)" in done.stdout, done.stdout + done.stderr
    assert len(withdrawn) == 3 and not withdrawn & _indexed_ids(layout)
    assert _reprint_of_b0_is_kept(layout, "run-c")


def test_a_withdrawn_host_or_url_is_never_fetched(sample_sites, tmp_path: Path):
    from conftest import crawl
    from corpus.withdrawn import Blocklist, Withdrawal
    from crawler.sample_site import load_articles

    data_dir = tmp_path / "data"
    layout = DataLayout(data_dir)
    withdrawn_path = next(article.path for article in load_articles() if article.site == "a" and article.pages == 1)
    url = sample_sites.base_url_a.rstrip("/") + withdrawn_path
    blocklist = Blocklist().with_entry(Withdrawal.new("url", url, "a publisher's request"))
    data_dir.mkdir(parents=True)
    layout.withdrawn.write_text(json.dumps(blocklist.to_list()), encoding="utf-8")
    one_less = crawl(sample_sites, data_dir, "run1")
    paths = [path for _, path, _ in one_less.requests["a"]]
    assert withdrawn_path not in paths and len(paths) > 3
    layout.withdrawn.write_text(json.dumps(blocklist.with_entry(
        Withdrawal.new("domain", "127.0.0.1", "the whole site")).to_list()), encoding="utf-8")
    nothing = crawl(sample_sites, data_dir, "run2")  # an exit status of 1 would raise here
    assert all(log == [] for log in nothing.requests.values()), nothing.requests
    report = json.loads(layout.crawl_report("run2").read_text(encoding="utf-8"))
    assert "withdrawn" in json.dumps(report), report


def test_a_night_that_keeps_nothing_is_published_as_nothing(tmp_path: Path):
    """Every article re-fetched unchanged: dedup keeps no row, and the build records the run with none."""
    layout = DataLayout(tmp_path / "data")
    night(layout, "run-a", "2026-10-05", {a(n): "v1" for n in range(3)})
    night(layout, "run-b", "2026-10-06", {a(n): "v1" for n in range(3)})
    changelog = json.loads(layout.dataset.joinpath("changelog.json").read_text(encoding="utf-8"))
    assert [(entry["run"], entry["rows"]) for entry in changelog] == [("run-a", {"2026-10": 3}), ("run-b", {})]


def test_a_cluster_grown_by_runs_deduplicated_out_of_order_is_published_at_its_size(tmp_path: Path):
    """A stalled run deduplicated after a later one reports the cluster as it found it, smaller than the
    later run did; built together in run order, the smaller size was published. A cluster only grows."""
    from corpus.record import document_id

    layout = DataLayout(tmp_path / "data")
    night(layout, "run-a", "2026-10-05", {a(0): "v1"})
    night(layout, "run-c", "2026-10-07", {b(1): f"={a(0)} v1"}, build=False)  # deduplicated first: size 2
    night(layout, "run-b", "2026-10-06", {b(2): f"={a(0)} v1"}, build=False)  # the stalled one: size 3
    build_dataset(layout, progress=False)
    clusters = pq.read_table(layout.dataset / "clusters" / "2026-10.parquet").to_pylist()
    assert clusters == [{"dup_cluster_id": document_id(a(0)), "dup_cluster_size": 3}]


def test_a_story_reprinted_on_later_nights_is_counted_for_the_published_row(hub: HubServer, tmp_path: Path):
    """The published row cannot change; its cluster's growth is published beside it, joinable on
    dup_cluster_id, in the table of the row's period only."""
    layout = DataLayout(tmp_path / "data")
    env = client_env(hub, tmp_path / "hf-home")
    night(layout, "run-a", "2026-10-05", {a(0): "v1", a(1): "v1", b(0): f"={a(0)} v1"})  # a reprint the same night
    night(layout, "run-b", "2026-11-03", {b(1): f"={a(0)} v1", a(2): "v1"})  # and another one a month later
    night(layout, "run-c", "2026-11-04", {b(2): f"={a(0)} v1", b(3): f"={a(2)} v1"})
    from corpus.record import document_id

    published = pq.read_table(sorted(layout.dataset.glob("data/*/*.parquet"))).to_pylist()
    row = next(row for row in published if row["url"] == a(0))
    assert row["dup_cluster_size"] == 2 and not [r for r in published if r["url"].startswith("http://news.b.")]
    october = pq.read_table(layout.dataset / "clusters" / "2026-10.parquet").to_pylist()
    november = pq.read_table(layout.dataset / "clusters" / "2026-11.parquet").to_pylist()
    assert october == [{"dup_cluster_id": document_id(a(0)), "dup_cluster_size": 4}]
    assert november == [{"dup_cluster_id": document_id(a(2)), "dup_cluster_size": 2}]
    publish(env, layout)
    assert {"clusters/2026-10.parquet", "clusters/2026-11.parquet"} <= set(hub.files(REPO_ID))
    card = (layout.dataset / "README.md").read_text(encoding="utf-8")
    assert "reprint_counts" in card and "join on `dup_cluster_id`" in card
    # the story revised in November: its row and its count move there, October's table goes, on the Hub too
    night(layout, "run-d", "2026-11-20", {a(0): "v2"})
    rows = pq.read_table(sorted(layout.dataset.glob("data/*/*.parquet"))).to_pylist()
    assert [row["dup_cluster_size"] for row in rows if row["url"] == a(0)] == [4]
    assert not (layout.dataset / "clusters" / "2026-10.parquet").exists()
    publish(env, layout)
    assert "clusters/2026-10.parquet" not in hub.files(REPO_ID)
    load = ("import datasets, sys; print(sorted((r['dup_cluster_id'], r['dup_cluster_size']) for r in "
            "datasets.load_dataset(sys.argv[1], 'reprint_counts', split='train')))")
    result = subprocess.run([sys.executable, "-c", load, REPO_ID], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"('{document_id(a(2))}', 2)" in result.stdout


def test_a_card_not_drawn_from_the_ledger_is_never_published(hub: HubServer, tmp_path: Path):
    """A build or withdrawal killed between the ledger and the card: publishing that card would state
    the old row count (datasets then refuses the split) and old files; publish says to build first."""
    layout = DataLayout(tmp_path / "data")
    env = client_env(hub, tmp_path / "hf-home")
    night(layout, "run-a", "2026-10-05", {a(n): "v1" for n in range(3)})
    (layout.dataset / ".card-inputs.json").unlink()  # as if killed before the card was drawn
    refused = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert refused.returncode == 1 and "run `zhnews build`, then publish" in refused.stderr
    assert REPO_ID not in hub.repos or not hub.files(REPO_ID).keys() - {".gitattributes"}
    build_dataset(layout, progress=False)
    publish(env, layout)


def test_withdrawals_name_a_site_not_a_public_suffix_and_travel_as_a_setting():
    from corpus.withdrawn import BadWithdrawal, Blocklist, Withdrawal

    for suffix in ("cn", "com.cn", "co.uk", "gov.cn"):
        with pytest.raises(BadWithdrawal, match="public suffix"):
            Withdrawal.new("domain", suffix, "a typo")
    entry = Withdrawal.new("url", "HTTPS://News.Example.CN/2026/t1.html", "a request")
    assert entry.value == "https://news.example.cn/2026/t1.html"
    domain = Withdrawal.new("domain", "Example.cn.", "a request")
    assert domain.matches("http://news.example.cn:8080/a.html") and not domain.matches("http://badexample.cn/")
    sent = Blocklist.from_list(json.loads(json.dumps(Blocklist((entry,)).to_list())))  # a fleet node's copy
    assert Blocklist((domain,)).merged(sent).match("https://news.example.cn/2026/t1.html") == domain
    assert sent.match(entry.value) == entry
    from corpus.record import document_id

    url = "https://news.example.cn/2026/t9.html"
    assert Withdrawal.new("id", document_id(url), "a request").matches(url)  # a page not yet a row: same id


def test_a_new_nights_build_reads_only_the_new_files(tmp_path: Path):
    """The card's counts and sample come from each file's counts, kept when the file was first met, and
    from the sample file itself: an old file is never read again (shown by one it would choke on)."""
    layout = DataLayout(tmp_path / "data")
    night(layout, "run-a", "2026-10-05", {a(n): "v1" for n in range(4)})
    (layout.dataset / "data" / "2026-10" / "run-a.parquet").write_bytes(b"not parquet")
    night(layout, "run-b", "2026-10-06", {a(n): "v1" for n in range(4, 9)})
    card = (layout.dataset / "README.md").read_text(encoding="utf-8")
    assert "9 documents from 1 site(s)" in card and "not crawled by zhnews-corpus" not in card  # none imported
    sample = pq.read_table(layout.dataset / "sample" / "sample.parquet", columns=["id"])["id"].to_pylist()
    from corpus.record import document_id

    assert sample == sorted(document_id(a(n)) for n in range(9))


AT_REVISIONS = """
import json, sys
import datasets, pyarrow.parquet as pq
from huggingface_hub import hf_hub_download
repo, checks = sys.argv[1], json.loads(sys.argv[2])

def urls(label, revision, target):
    try:
        if target.endswith(".parquet"):  # one file, as hf_hub_download fetches it
            path = hf_hub_download(repo, target, repo_type="dataset", revision=revision)
            return pq.read_table(path, columns=["url"])["url"].to_pylist()
        return [row["url"] for row in datasets.load_dataset(repo, target, split="train", revision=revision)]
    except Exception as error:  # a revision or file the Hub no longer serves
        return type(error).__name__

print(json.dumps({label: urls(label, revision, target) for label, (revision, target) in checks.items()}))
"""


def at_revisions(env: dict[str, str], home: Path, checks: dict[str, tuple[str, str]]) -> dict[str, list[str] | str]:
    """What a consumer who never downloaded the repo gets at each (revision, config or file): the URLs,
    or the name of the error the stock clients raise."""
    result = subprocess.run([sys.executable, "-c", AT_REVISIONS, REPO_ID, json.dumps(checks)], cwd=REPO,
                            env={**env, "HF_HOME": str(home)}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def hub_history_urls(hub: HubServer) -> dict[tuple[str, str], list[str]]:
    """Every parquet file in every commit the test Hub holds for the repo, as the URLs it serves (an
    object the Hub no longer has serves none: that is the point of a purge)."""
    held = {}
    for sha, _, files in hub.repos[REPO_ID].commits:
        for path, blob in files.items():
            if path.endswith(".parquet") and (hub.objects / blob.sha256).exists():
                held[(sha, path)] = pq.read_table(pa.BufferReader(hub.read(blob)), columns=["url"])["url"].to_pylist()
    return held


def published_then_withdrawn(hub: HubServer, tmp_path: Path) -> tuple[DataLayout, dict[str, str], str, str, str]:
    """October published, then November (a revision of an October article beside it, and the article a
    publisher asks to withdraw next), then a revision that rewrites November's file, then the withdrawal,
    which rewrites it again: the layout, the client's environment, the withdrawn URL and the commits
    before and after November arrived."""
    layout = DataLayout(tmp_path / "data")
    env = client_env(hub, tmp_path / "hf-home")
    night(layout, "run-a", "2026-10-05", {a(n): "v1" for n in range(3)})
    publish(env, layout)
    october = hub.repos[REPO_ID].commits[-1][0]
    night(layout, "run-b", "2026-11-03", {a(0): "v2", **{b(n): "v1" for n in range(3)}})
    publish(env, layout)
    november = hub.repos[REPO_ID].commits[-1][0]
    night(layout, "run-c", "2026-11-20", {b(0): "v2"})
    publish(env, layout)
    withdrawn = b(1)
    done = zhnews(env, "withdraw", "--url", withdrawn, "--reason", "publisher's request", "--data-dir",
                  str(layout.root))
    assert done.returncode == 0 and "removed 1 row(s)" in done.stdout, done.stdout + done.stderr
    build_dataset(layout, progress=False)
    return layout, env, withdrawn, october, november


def test_a_withdrawn_row_leaves_the_hubs_history_too(hub: HubServer, tmp_path: Path):
    """The Hub keeps every commit: a withdrawn row must not be served at a revision from before the
    withdrawal either (data file or sample), while revisions from before the row arrived, and the history
    of files that only revisions retired, stay as they were."""
    layout, env, withdrawn, october, november = published_then_withdrawn(hub, tmp_path)
    result = publish(env, layout)

    history = hub_history_urls(hub)
    assert not [key for key, urls in history.items() if withdrawn in urls]
    revised_only = [key for key in history if key[1] == "data/2026-10/run-a.parquet"]
    assert revised_only and all(a(0) in history[key] for key in revised_only)  # October's first file, kept
    seen = at_revisions(env, tmp_path / "consumer", {
        "november": (november, "default"), "november sample": (november, "sample"),
        "november file": (november, "data/2026-11/run-b.parquet"),
        "november sample file": (november, "sample/sample.parquet"),
        "october": (october, "default"), "october sample": (october, "sample"), "main": ("main", "default")})
    for label in ("november", "november sample", "november file", "november sample file"):
        assert isinstance(seen[label], str) or withdrawn not in seen[label], (label, seen[label])
    assert sorted(seen["october"]) == sorted(seen["october sample"]) == [a(n) for n in range(3)]
    assert sorted(seen["main"]) == sorted(url for url in [*map(a, range(3)), *map(b, range(3))] if url != withdrawn)
    assert "purged from the Hub's history" in result.stdout and TOKEN not in result.stdout + result.stderr

    purges = [entry for entry in hub.log if entry[0] == "POST" and entry[1].endswith("/lfs-files/batch")]
    again = publish(env, layout)
    assert again.stdout.startswith(f"publish {REPO_ID}: up to date"), again.stdout
    assert [entry for entry in hub.log if entry[0] == "POST" and entry[1].endswith("/lfs-files/batch")] == purges


UPLOAD_ONLY = """
import sys
from huggingface_hub import CommitOperationAdd, HfApi
HfApi().preupload_lfs_files(sys.argv[1], [CommitOperationAdd(sys.argv[2], sys.argv[3].encode())], repo_type="dataset")
"""


def test_a_publish_stopped_before_the_purge_is_completed_by_the_next(hub: HubServer, tmp_path: Path):
    """The commit is on the Hub, the purge of the history is refused: the publish fails saying so, and
    the next publish, with nothing left to commit, purges (from the Hub's state and the ledger alone).
    An upload no commit names (a killed publish's) is listed without a filename: it serves no revision
    and is left alone, and the listing does not stop at it."""
    layout, env, withdrawn, _, november = published_then_withdrawn(hub, tmp_path)
    subprocess.run([sys.executable, "-c", UPLOAD_ONLY, REPO_ID, "data/2026-12/never.parquet", "never committed"],
                   cwd=REPO, env=env, check=True, capture_output=True, timeout=120)
    orphan = hub.objects / hashlib.sha256(b"never committed").hexdigest()
    assert orphan.exists()
    dry = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root), "--dry-run")
    assert "to be purged from the Hub's history" in dry.stdout, dry.stdout + dry.stderr
    # November's first file (the withdrawal's file was rewritten from it) and the samples beside them both
    assert sorted(line.split()[1] for line in dry.stdout.splitlines() if line.startswith("  x ")) == [
        "data/2026-11/run-b.parquet", "data/2026-11/run-b~1.parquet", "sample/sample.parquet", "sample/sample.parquet"]
    assert "data/2026-11/run-b~1.parquet" in hub.files(REPO_ID)
    hub.fail("purge", 100, status=429, retry_after=3600)
    waited = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root), "--max-wait", "3")
    assert waited.returncode == 75 and "the commit stands" in waited.stderr, waited.stdout + waited.stderr
    assert "nothing was committed" not in waited.stderr
    hub.fail("purge", 0)
    hub.fail("purge", 1, status=403)
    stopped = zhnews(env, "publish", "--repo-id", REPO_ID, "--data-dir", str(layout.root))
    assert stopped.returncode == 1 and "run `zhnews publish` again" in stopped.stderr, stopped.stdout + stopped.stderr
    assert "Traceback" not in stopped.stderr and "data/2026-11/run-b~1.parquet" not in hub.files(REPO_ID)
    assert [key for key, urls in hub_history_urls(hub).items() if withdrawn in urls]
    completed = publish(env, layout)
    assert "purged from the Hub's history" in completed.stdout
    assert not [key for key, urls in hub_history_urls(hub).items() if withdrawn in urls] and orphan.exists()
    seen = at_revisions(env, tmp_path / "consumer", {"november": (november, "default")})
    assert isinstance(seen["november"], str) or withdrawn not in seen["november"]


def test_a_row_id_in_capitals_is_the_row_id(tmp_path: Path):
    """`explain` takes an id in any case; `withdraw --id` refused one in capitals as no row id."""
    from corpus.withdrawn import Withdrawal

    assert Withdrawal.new("id", "ABCDEF0123456789", "a request").value == "abcdef0123456789"


def test_a_dataset_folder_that_is_not_there_is_a_usage_error(tmp_path: Path):
    """A mistyped --dataset said "removed 0 row(s)", exit 0, and left a lock file beside the missing folder:
    the published rows stayed where they were."""
    data = tmp_path / "data"
    data.mkdir()
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "withdraw", "--domain", "news.example.cn", "--reason",
                             "asked", "--data-dir", str(data), "--dataset", str(tmp_path / "typo")], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "no dataset folder at" in result.stderr, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data"] and not list(data.iterdir())


def test_a_url_is_withdrawn_as_it_was_shared(tmp_path: Path):
    """A publisher pastes the URL as shared (`#…`, `utm_…`): it matched no row, and the blocklist held a
    form the crawl never requests, so the article stayed published and was fetched again."""
    layout = DataLayout(tmp_path / "data")
    night(layout, "run-a", "2026-10-05", {a(n): "v1" for n in range(2)})
    shared = a(1).replace("http://a.", "HTTP://A.") + "?utm_source=weibo&utm_medium=social#comments"
    result = subprocess.run([sys.executable, "-m", "corpus.cli", "withdraw", "--url", shared, "--reason", "asked",
                             "--data-dir", str(layout.root)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "removed 1 row(s)" in result.stdout, result.stdout + result.stderr
    assert f"withdraw url {a(1)}:" in result.stdout
    assert [entry.value for entry in Blocklist.load(layout.withdrawn).entries] == [a(1)]


def folder_state(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_wrong_dataset_yaml_stops_build_and_withdraw_before_they_write(tmp_path: Path):
    """The licence was checked when the card was drawn, after the new night's file and the ledger were
    written: the card described the dataset before them (a fresh `load_dataset` failed on the split sizes)."""
    from corpus.dataset_config import BadDatasetConfig
    from corpus.withdraw import withdraw
    from corpus.withdrawn import Withdrawal

    layout = DataLayout(tmp_path / "data")
    night(layout, "run-a", "2026-10-05", {a(n): "v1" for n in range(3)})
    night(layout, "run-b", "2026-10-06", {a(n): "v1" for n in range(3, 5)}, build=False)
    layout.dataset_config.write_text(f"repo_id: {REPO_ID}\nlicense: CC-BY-4.0\n", encoding="utf-8")
    before = folder_state(layout.dataset)
    with pytest.raises(BadDatasetConfig, match="CC-BY-4.0"):
        build_dataset(layout, progress=False)
    with pytest.raises(BadDatasetConfig, match="CC-BY-4.0"):
        withdraw(layout, Withdrawal.new("url", a(0), "asked"))
    assert folder_state(layout.dataset) == before
