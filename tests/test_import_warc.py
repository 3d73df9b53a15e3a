"""`zhnews import-warc`: archives crawled by others become a raw run that `process` reads like a crawl.

Two writers: warcio (the records written here, with the faults of real archives) and wget, an
independent crawler, run against the sample sites; its archive must give the documents our crawl gives.
"""

from __future__ import annotations

import gzip
import http.server
import io
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import REPO, Crawl, sample_profiles
from corpus.layout import DataLayout
from corpus.warc_format import KIND_FIELD, SITE_FIELD
from crawler.sample_site import SampleSites, gold
from crawler.sample_site.generate import build_site
from crawler.warc import warc_record


def zhnews(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corpus.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def documents(layout: DataLayout, run: str) -> dict[str, dict]:
    return {row["url"]: row for path in layout.run_docs(run) for row in pq.read_table(path).to_pylist()}


def response(writer: WARCWriter, url: str, body: bytes, headers: list[tuple[str, str]] | None = None) -> None:
    http = StatusAndHeaders("200 OK", headers or [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                  http_headers=http))


def test_an_archive_written_by_warcio_is_imported_and_processed(tmp_path: Path):
    """Plain and gzipped WARC files; other hosts, request records and a compressed bomb are counted and
    skipped; a file that is not a WARC is named, and the other inputs are imported all the same."""
    site = build_site("a", "http://127.0.0.1:8000")
    paths = [path for path in gold("a") if path in site.resources][:3]
    gz, plain = tmp_path / "a.warc.gz", tmp_path / "b.warc"
    with open(gz, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for path in paths[:2]:
            response(writer, f"http://127.0.0.1:8000{path}#comments", site.resources[path].body,
                     [("Content-Type", site.resources[path].content_type)])
        response(writer, "http://elsewhere.example.cn/news/202610/t20261014_1.html", b"<p>other</p>")
        bomb = gzip.compress(b"\0" * (20 << 20))
        response(writer, "http://127.0.0.1:8000/news/202610/t20261014_9999.html", bomb,
                 [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
        writer.write_record(writer.create_warc_record("http://127.0.0.1:8000/", "request", payload=io.BytesIO(b""),
                                                      length=0))
    with open(plain, "wb") as out:
        response(WARCWriter(out, gzip=False), f"http://127.0.0.1:8000{paths[2]}", site.resources[paths[2]].body,
                 [("Content-Type", site.resources[paths[2]].content_type)])
    junk = tmp_path / "notes.txt"
    junk.write_text("这不是WARC文件\n" * 50, encoding="utf-8")
    profile = tmp_path / "sample-a.yaml"
    profile.write_text((REPO / "crawler/sites/sample-a.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    data = tmp_path / "data"
    imported = zhnews("import-warc", str(gz), str(junk), str(plain), "--site", str(profile),
                      "--var", "base_url=http://127.0.0.1:8000", "--data-dir", str(data), "--run-id", "imp")
    assert imported.returncode == 1, imported.stdout + imported.stderr
    assert "notes.txt is not a WARC file" in imported.stdout
    assert "1 of other hosts skipped" in imported.stdout and "1 too large" in imported.stdout
    processed = zhnews("process", "--data-dir", str(data), "--no-progress")
    assert processed.returncode == 0, processed.stdout + processed.stderr
    rows = documents(DataLayout(data), "imp")
    assert sorted(rows) == sorted(f"http://127.0.0.1:8000{path}" for path in paths)  # canonical: no #fragment
    assert all(row["site"] == "sample-a" and row["title"] == gold("a")[row["url"][21:]]["title"]
               for row in rows.values())
    # the card said every page was fetched politely by our crawler: these were fetched by someone else's
    for stage in ("dedup", "build"):
        done = zhnews(stage, "--data-dir", str(data), "--no-progress")
        assert done.returncode == 0, done.stdout + done.stderr
    card = (data / "dataset" / "README.md").read_text(encoding="utf-8")
    assert "1 of the 1 published run(s) was not crawled by zhnews-corpus" in " ".join(card.split()), card


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed (Debian package wget; "
                    "`make setup` installs it where apt-get can)")
def test_a_wget_archive_of_the_sample_sites_gives_the_crawls_documents(
        processed: Crawl, sample_sites: SampleSites, tmp_path: Path):
    archives = []
    for key, base_url in (("a", sample_sites.base_url_a), ("b", sample_sites.base_url_b)):
        archive = tmp_path / f"sample-{key}"
        subprocess.run(["wget", "--recursive", "--level=inf", "--no-verbose", "--delete-after", "--no-directories",
                        f"--warc-file={archive}", "--no-warc-keep-log", "-e", "robots=on", f"{base_url}/"],
                       cwd=tmp_path, capture_output=True, timeout=180)
        archives.append(f"{archive}.warc.gz")
    data = tmp_path / "data"
    imported = zhnews("import-warc", *archives, *sample_profiles(sample_sites, tmp_path), "--data-dir", str(data),
                      "--run-id", "imp")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert zhnews("process", "--data-dir", str(data), "--no-progress").returncode == 0
    ours, crawled = documents(DataLayout(data), "imp"), documents(DataLayout(processed.data_dir), processed.run_id)
    assert sorted(ours) == sorted(crawled)
    fields = ("title", "text", "author", "published_at", "pages", "pages_missing", "site")
    assert [url for url in ours if [ours[url][f] for f in fields] != [crawled[url][f] for f in fields]] == []


def test_an_undecodable_body_is_kept_as_archived_and_a_missing_input_is_named(tmp_path: Path):
    warc = tmp_path / "a.warc.gz"
    with open(warc, "wb") as out:
        response(WARCWriter(out, gzip=True), "http://127.0.0.1:8000/news/202610/t20261014_1.html",
                 b"not gzip at all", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    profile = tmp_path / "sample-a.yaml"
    profile.write_text((REPO / "crawler/sites/sample-a.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    data = tmp_path / "data"
    result = zhnews("import-warc", str(warc), str(tmp_path / "missing.warc.gz"), "--site", str(profile),
                    "--var", "base_url=http://127.0.0.1:8000", "--data-dir", str(data), "--run-id", "imp")
    assert result.returncode == 1 and "missing.warc.gz: cannot be read" in result.stdout
    assert "Traceback" not in result.stderr
    from warcio.archiveiterator import ArchiveIterator

    (stored,) = DataLayout(data).shards("imp")
    with open(stored, "rb") as stream:
        bodies = [r.raw_stream.read() for r in ArchiveIterator(stream) if r.rec_type == "response"]
    assert bodies == [b"not gzip at all"]  # as archived, its coding named: process says why it drops it


def test_an_archive_cut_inside_a_record_is_named_and_the_records_before_the_cut_are_imported(tmp_path: Path):
    """A copy cut short, gzipped or plain: warcio reads the torn record as if whole and says nothing."""
    site = build_site("a", "http://127.0.0.1:8000")
    paths = [path for path in gold("a") if path in site.resources][:6]
    inputs = {}
    for name, compressed, archived in (("cut.warc.gz", True, paths[:3]), ("cut.warc", False, paths[3:])):
        whole = io.BytesIO()
        writer = WARCWriter(whole, gzip=compressed)
        for path in archived:
            inputs[name] = whole.tell()  # where the last record starts
            response(writer, f"http://127.0.0.1:8000{path}", site.resources[path].body,
                     [("Content-Type", site.resources[path].content_type)])
        (tmp_path / name).write_bytes(whole.getvalue()[: (inputs[name] + whole.tell()) // 2])
    profile = tmp_path / "sample-a.yaml"
    profile.write_text((REPO / "crawler/sites/sample-a.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    data = tmp_path / "data"
    imported = zhnews("import-warc", *(str(tmp_path / name) for name in inputs), "--site", str(profile),
                      "--var", "base_url=http://127.0.0.1:8000", "--data-dir", str(data), "--run-id", "imp")
    assert imported.returncode == 1 and "Traceback" not in imported.stderr, imported.stdout + imported.stderr
    for name, torn in inputs.items():
        assert f"{name} breaks off at byte {torn} (the file ends inside a record)" in imported.stdout
    assert ", 4 kept," in imported.stdout
    assert zhnews("process", "--data-dir", str(data), "--no-progress").returncode == 0
    assert sorted(documents(DataLayout(data), "imp")) == sorted(f"http://127.0.0.1:8000{path}"
                                                                for path in paths[:2] + paths[3:5])


def foreign_record(writer: WARCWriter, url: str, body: bytes, statusline: str = "200 OK",
                   warc_headers: dict[str, str] | None = None) -> None:
    http = StatusAndHeaders(statusline, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                  http_headers=http, warc_headers_dict=warc_headers or {}))


def profiles_of(*entries: tuple[str, str, str]) -> list:
    from crawler.profile import parse_profile

    return [parse_profile({"name": name, "start_urls": [f"http://www.{domain}/"], "allowed_domains": [domain],
                           "article_url": pattern}, name) for name, domain, pattern in entries]


def imported_urls(layout: DataLayout, run: str) -> dict[str, tuple[str, str]]:
    """URL → (site, kind) of every response record the import wrote."""
    from warcio.archiveiterator import ArchiveIterator

    found = {}
    for shard in layout.shards(run):
        with open(shard, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    headers = record.rec_headers
                    found[headers.get_header("WARC-Target-URI")] = (headers.get_header(SITE_FIELD),
                                                                    headers.get_header(KIND_FIELD))
    return found


@pytest.mark.parametrize("order", [1, -1])
def test_a_record_goes_to_the_profile_that_knows_it_whatever_their_order(tmp_path: Path, order: int):
    """people-local allows people.com.cn, people-tech tech.people.com.cn: the narrower site's articles
    were filed under the wider one as 'other' pages, which processing never reads."""
    from crawler.warc_import import import_warcs

    warc = tmp_path / "cc.warc.gz"
    with open(warc, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        foreign_record(writer, "http://tech.example.cn/n1/2024/0105/c1007-40386565.html", b"<p>tech</p>")
        foreign_record(writer, "http://www.example.cn/local/2024/0105/a.html", b"<p>local</p>")
    profiles = profiles_of(("wide", "example.cn", r"/local/"), ("narrow", "tech.example.cn", r"/n1/"))[::order]
    layout = DataLayout(tmp_path / "data")
    import_warcs([str(warc)], profiles, layout, "imp", 1 << 20)
    assert imported_urls(layout, "imp") == {
        "http://tech.example.cn/n1/2024/0105/c1007-40386565.html": ("narrow", "article"),
        "http://www.example.cn/local/2024/0105/a.html": ("wide", "article")}


def test_a_record_that_cannot_be_read_is_skipped_and_the_file_read_on(tmp_path: Path):
    """One odd record (a broken URL of another site, a status line without a code) ended the whole
    input as 'breaks off'; a non-ASCII URL wrote a response without its request; a record its archiver
    truncated (WARC-Truncated) was kept as a whole article."""
    from crawler.warc_import import import_warcs

    warc = tmp_path / "cc.warc.gz"
    with open(warc, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        foreign_record(writer, "http://[2001:db8::1/x.html", b"<p>broken</p>")
        foreign_record(writer, "http://www.example.cn/news/no-status.html", b"<p>x</p>", statusline="OK")
        foreign_record(writer, "http://www.example.cn/news/新闻.html", b"<p>unicode</p>")
        foreign_record(writer, "http://www.example.cn/news/cut.html", b"<p>half of it", 
                       warc_headers={"WARC-Truncated": "length"})
        foreign_record(writer, "http://www.example.cn/news/last.html",  # its pager holds a link no parser reads
                       b'<p>last</p><a href="last_2.html">2</a><a href="http://[broken/">3</a>')
    layout = DataLayout(tmp_path / "data")
    summary = import_warcs([str(warc)], profiles_of(("site", "example.cn", r"/news/")), layout, "imp", 1 << 20)
    assert sorted(imported_urls(layout, "imp")) == [
        "http://www.example.cn/news/%E6%96%B0%E9%97%BB.html", "http://www.example.cn/news/last.html"]
    assert summary.counts["unreadable"] == 2 and summary.counts["truncated"] == 1 and summary.counts["kept"] == 2
    assert not [problem for problem in summary.problems if "breaks off" in problem], summary.problems
    from warcio.archiveiterator import ArchiveIterator

    (shard,) = layout.shards("imp")
    with open(shard, "rb") as stream:
        kinds = [record.rec_type for record in ArchiveIterator(stream)]
    assert kinds.count("response") == kinds.count("request") == 2


def test_a_warc_gzipped_whole_is_named_for_what_it_is(tmp_path: Path):
    from crawler.warc_import import import_warcs

    plain = io.BytesIO()
    writer = WARCWriter(plain, gzip=False)
    for n in range(3):
        foreign_record(writer, f"http://www.example.cn/news/{n}.html", b"<p>x</p>" * 200)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.getvalue()))
    summary = import_warcs([str(whole)], profiles_of(("site", "example.cn", r"/news/")), DataLayout(tmp_path / "d"),
                           "imp", 1 << 20)
    (problem,) = summary.problems
    assert "compressed whole, not record by record" in problem and "warcio recompress" in problem


def test_imported_headers_read_back_as_the_archive_had_them(tmp_path: Path):
    """warcio reads a header line as UTF-8, else as latin-1, and the writer takes latin-1 text standing
    for bytes: the import hands it the bytes that read back as the same text. Mojibake stays mojibake
    ("Ã©" came back as "é"), a lone latin-1 byte and a Chinese name stay as they were."""
    site = build_site("a", "http://127.0.0.1:8000")
    path = next(path for path in gold("a") if path in site.resources)
    url = f"http://127.0.0.1:8000{path}"
    lines = [b"Content-Type: text/html; charset=utf-8", "X-Mojibake: Ã©".encode(), b"X-Latin: caf\xe9",
             "X-Name: 张三".encode()]
    block = b"HTTP/1.1 200 OK\r\n" + b"\r\n".join(lines) + b"\r\n\r\n" + site.resources[path].body
    source = tmp_path / "source.warc.gz"
    source.write_bytes(gzip.compress(warc_record("response", [("WARC-Target-URI", url)],
                                                 "application/http; msgtype=response", block)))
    profile = tmp_path / "sample-a.yaml"
    profile.write_text((REPO / "crawler/sites/sample-a.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    imported = zhnews("import-warc", str(source), "--site", str(profile), "--var", "base_url=http://127.0.0.1:8000",
                      "--data-dir", str(tmp_path / "data"), "--run-id", "imp")
    assert imported.returncode == 0, imported.stdout + imported.stderr

    def named(warc: Path) -> dict[str, str]:
        with warc.open("rb") as stream:
            (headers,) = [r.http_headers.headers for r in ArchiveIterator(stream) if r.rec_type == "response"]
        return {name: value for name, value in headers if name.startswith("X-")}

    (written,) = (tmp_path / "data" / "raw" / "imp").glob("*.warc.gz")
    assert named(written) == named(source) == {"X-Mojibake": "Ã©", "X-Latin": "café", "X-Name": "张三"}


def sample_archive(tmp_path: Path, count: int, compressed: bool = True) -> tuple[bytes, list[int], list[str]]:
    """A WARC of `count` sample-site article pages: its bytes, where each record starts, the URLs."""
    site = build_site("a", "http://127.0.0.1:8000")
    paths = [path for path in gold("a") if path in site.resources][:count]
    whole, starts = io.BytesIO(), []
    writer = WARCWriter(whole, gzip=compressed)
    for path in paths:
        starts.append(whole.tell())
        response(writer, f"http://127.0.0.1:8000{path}", site.resources[path].body,
                 [("Content-Type", site.resources[path].content_type)])
    return whole.getvalue(), starts, [f"http://127.0.0.1:8000{path}" for path in paths]


@contextmanager
def stalling_server(body: bytes, stall_at: int) -> Iterator[str]:
    """An http URL serving `body` whole, or, while `stall_at` > 0, its first `stall_at` bytes and then
    nothing more until the server stops: an import reading it is mid-archive for as long as we like."""
    release = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:stall_at] if stall_at else body)
            self.wfile.flush()
            if stall_at:
                release.wait(60)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/archive.warc.gz"
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def test_an_import_killed_midway_is_refused_by_process_and_started_over_by_the_same_command(tmp_path: Path):
    """A killed import left WARC files that read as a whole run: `process` published part of the archive
    (and the first page of each paginated article as the whole), and the same command again refused to
    run: "run … exists already"."""
    body, starts, urls = sample_archive(tmp_path, 6)
    profile = tmp_path / "sample-a.yaml"
    profile.write_text((REPO / "crawler/sites/sample-a.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    data = tmp_path / "data"
    local = tmp_path / "first.warc.gz"
    local.write_bytes(body[: starts[3]])  # three whole records, read before the stalling input
    with stalling_server(body, starts[5] + 10) as url:
        command = [sys.executable, "-m", "corpus.cli", "import-warc", str(local), url, "--site", str(profile),
                   "--var", "base_url=http://127.0.0.1:8000", "--data-dir", str(data), "--run-id", "imp"]
        importing = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        warcs = data / "raw" / "imp"
        deadline = time.monotonic() + 60
        while not list(warcs.glob("*.warc.gz.open")) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # in the stall: the records before it are written
        importing.kill()
        importing.wait(timeout=30)
    refused = zhnews("process", "--data-dir", str(data), "--no-progress")
    assert refused.returncode == 1 and "import-warc stopped before its end" in refused.stdout, refused.stdout
    assert DataLayout(data).run_docs("imp") == []
    with stalling_server(body, 0) as url:
        again = zhnews("import-warc", str(local), url, "--site", str(profile), "--var", "base_url=http://127.0.0.1:8000",
            "--data-dir", str(data), "--run-id", "imp")
    assert again.returncode == 0 and "started over" in again.stdout, again.stdout + again.stderr
    assert ", 6 kept, 0 of other hosts skipped, 3 repeated," in again.stdout  # the first three twice
    assert zhnews("process", "--data-dir", str(data), "--no-progress").returncode == 0
    assert sorted(documents(DataLayout(data), "imp")) == sorted(urls)


def test_an_import_that_keeps_nothing_leaves_no_run(tmp_path: Path):
    """A mistyped input made an empty run folder: `history` took it for the newest run, and the corrected
    command with the same --run-id was refused ("exists already")."""
    profile = tmp_path / "sample-a.yaml"
    profile.write_text((REPO / "crawler/sites/sample-a.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    data = tmp_path / "data"
    arguments = ["--site", str(profile), "--var", "base_url=http://127.0.0.1:8000", "--data-dir", str(data),
                 "--run-id", "imp"]
    typo = zhnews("import-warc", str(tmp_path / "archvie.warc.gz"), *arguments)
    assert typo.returncode == 1 and "nothing kept: no run was made" in typo.stdout, typo.stdout + typo.stderr
    assert not (data / "raw" / "imp").exists()
    body, _, urls = sample_archive(tmp_path, 2)
    (tmp_path / "archive.warc.gz").write_bytes(body)
    fixed = zhnews("import-warc", str(tmp_path / "archive.warc.gz"), *arguments)
    assert fixed.returncode == 0 and ", 2 kept," in fixed.stdout, fixed.stdout + fixed.stderr
    whole = sorted(path.name for path in (data / "raw" / "imp").rglob("*"))
    again = zhnews("import-warc", str(tmp_path / "archive.warc.gz"), *arguments)  # a whole run is never redone
    assert again.returncode == 1 and "exists already" in again.stderr, again.stdout + again.stderr
    assert sorted(path.name for path in (data / "raw" / "imp").rglob("*")) == whole


def test_without_site_the_e_paper_takes_its_records_though_its_issue_is_not_given(tmp_path: Path):
    """paper-ce's `${date}` fills only its start URL, which an import never reads: the profile was left out
    and its pages went to ce (which allows ce.cn) as pages of no kind, which processing never reads."""
    from crawler.profile import load_profile

    example = load_profile("paper-ce", {"date": "202506/04"}).examples[0].url
    warc = tmp_path / "paper.warc.gz"
    with open(warc, "wb") as out:
        foreign_record(WARCWriter(out, gzip=True), example, "<p>本报北京6月4日讯</p>".encode())
    imported = zhnews("import-warc", str(warc), "--data-dir", str(tmp_path / "data"), "--run-id", "imp")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert imported_urls(DataLayout(tmp_path / "data"), "imp") == {example: ("paper-ce", "article")}


@pytest.mark.parametrize(("name", "cut"), [("cut.warc.gz", 20), ("cut.warc.gz", 120), ("cut.warc.gz", 200),
                                           ("cut.warc", 60), ("cut.warc", 120)])
def test_an_archive_cut_inside_a_records_header_is_named_as_cut(tmp_path: Path, name: str, cut: int):
    """Cut inside a record's header (its gzip member unfinished), warcio fails as for a record without
    WARC-Target-URI, and the import said the archive held such a record, though the file was cut short."""
    body, starts, _ = sample_archive(tmp_path, 2, compressed=name.endswith(".gz"))
    (tmp_path / name).write_bytes(body[: starts[1] + cut])
    from crawler.profile import load_profile
    from crawler.warc_import import import_warcs

    profile = load_profile("sample-a", {"base_url": "http://127.0.0.1:8000"})
    summary = import_warcs([str(tmp_path / name)], [profile], DataLayout(tmp_path / "data"), "imp", 1 << 20)
    (problem,) = summary.problems
    assert f"breaks off at byte {starts[1]}" in problem and "WARC-Target-URI" not in problem, problem


def test_a_record_whose_warc_date_is_no_iso_time_is_skipped_and_named(tmp_path: Path):
    """The period of a document is its WARC-Date's month, and the period names a folder of the dataset:
    `2026/10/05T…` gave data/2026/10/, which no reader globs, and `/tmp/zzT…` a file outside the folder."""
    from crawler.warc_import import import_warcs

    warc = tmp_path / "cc.warc.gz"
    with open(warc, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for name, date in (("slashes", "2026/10/05T08:00:00Z"), ("path", "/tmp/zzT08:00:00Z"),
                           ("fraction", "2026-10-05T08:00:00.25Z"), ("plain", "2026-10-05T08:00:00Z")):
            foreign_record(writer, f"http://www.example.cn/news/{name}.html", b"<p>x</p>",
                           warc_headers={"WARC-Date": date})
    layout = DataLayout(tmp_path / "data")
    summary = import_warcs([str(warc)], profiles_of(("site", "example.cn", r"/news/")), layout, "imp", 1 << 20)
    assert sorted(imported_urls(layout, "imp")) == ["http://www.example.cn/news/fraction.html",
                                                    "http://www.example.cn/news/plain.html"]
    assert summary.counts["unreadable"] == 2, summary.counts
    assert all("WARC-Date" in problem for problem in summary.problems) and len(summary.problems) == 2
