"""The raw archive: byte-exact records, recovery of files a killed crawl left open, broken input."""

import gzip
import io
import random
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaning.config import ProcessConfig
from cleaning.io.warc_reader import iter_articles
from conftest import REPO
from corpus.article_pages import ArticlePages, PagePart
from corpus.warc_format import KIND_FIELD, SITE_FIELD, recover_open_files, warc_records
from crawler.warc import RotatingWarcWriter

ONE_FILE = 1 << 30  # no rotation
LIMIT = ProcessConfig().max_page_bytes
GBK_PAGE = "<html><head><meta charset=gb2312></head><body><p>朱镕基</p></body></html>".encode("gbk")


def write_fetches(writer: RotatingWarcWriter, n: int, kind: str = "article") -> None:
    for i in range(n):
        writer.write(url=f"http://127.0.0.1/{i}.html", status=200, reason="OK",
                     response_headers=[("Content-Type", "text/html")], body=GBK_PAGE,
                     request_method="GET", request_headers=[("User-Agent", "t")],
                     extra_fields={SITE_FIELD: "s", KIND_FIELD: kind})


def test_records_round_trip_byte_exact(tmp_path: Path):
    writer = RotatingWarcWriter(tmp_path, "run-s", ONE_FILE)
    write_fetches(writer, 3)
    write_fetches(writer, 1, kind="listing")
    writer.close()
    (path,) = tmp_path.glob("*.warc.gz")
    counters: Counter[str] = Counter()
    docs = list(iter_articles(path, "run", counters, LIMIT))
    assert [d.body for d in docs] == [GBK_PAGE] * 3
    assert counters["records/article"] == 3 and counters["records/listing"] == 1
    assert {d.site for d in docs} == {"s"} and all(d.warc_file == path.name for d in docs)


def test_each_response_reads_alone_from_its_recorded_offset(tmp_path: Path):
    """The crawl state keeps (file, offset) per page: a reader seeks there and inflates one record,
    so every record must be its own gzip member whose digests warcio accepts."""
    writer = RotatingWarcWriter(tmp_path, "run-s", ONE_FILE)
    bodies = [GBK_PAGE + str(i).encode() * 5000 for i in range(3)]
    offsets = [writer.write(url=f"http://127.0.0.1/{i}.html", status=200, reason="OK",
                            response_headers=[("Content-Type", "text/html")], body=body, request_method="GET",
                            request_headers=[], extra_fields={})[1] for i, body in enumerate(bodies)]
    writer.close()
    (path,) = tmp_path.glob("*.warc.gz")
    for i, (offset, body) in enumerate(zip(offsets, bodies, strict=True)):
        with path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream, check_digests="raise")))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == f"http://127.0.0.1/{i}.html"
            assert record.content_stream().read() == body


def test_rotation_never_reuses_a_name(tmp_path: Path):
    writer = RotatingWarcWriter(tmp_path, "run-s", max_bytes=1)  # every fetch closes its file
    write_fetches(writer, 3)
    writer.close()
    again = RotatingWarcWriter(tmp_path, "run-s", max_bytes=1)
    write_fetches(again, 1)
    again.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"run-s-0000{i}.warc.gz" for i in range(4)]


def test_recovery_keeps_every_complete_record_of_a_killed_writer(tmp_path: Path):
    writer = RotatingWarcWriter(tmp_path, "run-s", ONE_FILE)
    write_fetches(writer, 5)
    open_file = Path(str(writer.current_path) + ".open")
    open_file.write_bytes(open_file.read_bytes()[:-40])  # the kill tore the last record
    recovered = recover_open_files(tmp_path)
    assert [(p.name, kept) for p, kept in recovered] == [("run-s-00000.warc.gz", 10)]  # warcinfo + 4½ fetches
    with open(tmp_path / "run-s-00000.warc.gz", "rb") as stream:
        types = [record.rec_type for record in ArchiveIterator(stream)]
    assert types.count("response") == 5 and types[-1] == "response"
    assert recover_open_files(tmp_path) == []  # idempotent


def test_recovery_keeps_nothing_of_junk_that_warcio_would_read_as_an_arc_record(tmp_path: Path):
    """warcio reads a file that starts with an ARC-like line as an old ARC archive, not as damage."""
    open_file = tmp_path / "run-s-00000.warc.gz.open"
    open_file.write_bytes(gzip.compress(b"http://127.0.0.1/x.html 127.0.0.1 20261201000000 text/html 5\nhello\n"))
    (recovered,) = recover_open_files(tmp_path)
    assert recovered[1] == 0 and recovered[0].read_bytes() == b""


def test_a_broken_record_is_reported_and_earlier_ones_survive(tmp_path: Path, caplog):
    writer = RotatingWarcWriter(tmp_path, "run-s", ONE_FILE)
    write_fetches(writer, 2)
    writer.close()
    path = next(tmp_path.glob("*.warc.gz"))
    path.write_bytes(path.read_bytes() + b"\x1f\x8b\x08\x00garbage that is not a gzip member")
    counters: Counter[str] = Counter()
    assert len(list(iter_articles(path, "run", counters, LIMIT))) == 2
    assert counters["damaged"] == 1 and counters["damaged_bytes"] > 0
    assert f"{path.name}: bytes" in caplog.text and "not readable WARC records" in caplog.text


def test_a_site_whose_name_extends_another_gets_its_own_numbering(tmp_path: Path):
    for prefix in ("run-news-b", "run-news"):
        writer = RotatingWarcWriter(tmp_path, prefix, ONE_FILE)
        write_fetches(writer, 1)
        writer.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run-news-00000.warc.gz", "run-news-b-00000.warc.gz"]


def articles_warc(folder: Path, prefix: str, n: int) -> Path:
    writer = RotatingWarcWriter(folder, prefix, ONE_FILE)
    for i in range(n):
        body = f"<html><body><p>第{i}篇：记者从有关部门获悉，工作已经全面完成，各项指标均达到预期。</p></body></html>"
        writer.write(url=f"http://127.0.0.1/{i}.html", status=200, reason="OK",
                     response_headers=[("Content-Type", "text/html; charset=utf-8")], body=body.encode() * 20,
                     request_method="GET", request_headers=[], extra_fields={SITE_FIELD: "s", KIND_FIELD: "article"})
    writer.close()
    return writer.files_closed[0]


def test_flipped_bytes_cost_only_the_records_they_hit(tmp_path: Path, caplog):
    path = articles_warc(tmp_path, "run-s", 19)
    data = bytearray(path.read_bytes())
    for position in (len(data) // 3, len(data) // 2):
        data[position] ^= 0xFF
    path.write_bytes(bytes(data))
    counters: Counter[str] = Counter()
    urls = [doc.url for doc in iter_articles(path, "run", counters, LIMIT)]
    assert len(urls) >= 16, "two flipped bytes hit at most two records (and their request records)"
    assert counters["damaged"] == 2 and f"{path.name}: bytes" in caplog.text
    assert len(set(urls)) == len(urls)


def test_a_file_that_is_no_warc_at_all_is_reported_not_raised(tmp_path: Path, caplog):
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(bytes(range(256)) * 40)
    counters: Counter[str] = Counter()
    assert list(iter_articles(path, "run", counters, LIMIT)) == []
    assert counters["damaged"] == 1 and counters["damaged_bytes"] == 256 * 40
    assert "junk.warc.gz: bytes 0-10240 are not readable" in caplog.text


def test_a_gzip_bomb_is_cut_off_at_the_limit(tmp_path: Path):
    import gzip

    writer = RotatingWarcWriter(tmp_path, "run-s", ONE_FILE)
    bomb = gzip.compress(b"\0" * (64 << 20), compresslevel=9)
    writer.write(url="http://127.0.0.1/bomb.html", status=200, reason="OK",
                 response_headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body=bomb,
                 request_method="GET", request_headers=[], extra_fields={SITE_FIELD: "s", KIND_FIELD: "article"})
    writer.close()
    (doc,) = iter_articles(writer.files_closed[0], "run", Counter(), max_body_bytes=1000)
    assert len(doc.body) == 1001  # inflated only to one byte past the limit: `decode` drops it as too large


def test_recovery_walks_records_without_inflating_their_bodies(tmp_path: Path):
    """Brotli, zstd and bomb bodies are records like any other to recovery: it keeps every complete
    record after them, and never inflates a body (a 64 MiB gzip bomb costs nothing)."""
    import subprocess
    import sys

    import brotli
    from backports import zstd

    writer = RotatingWarcWriter(tmp_path, "run-s", ONE_FILE)
    bodies = [("br", brotli.compress(b"<p>br</p>")), ("zstd", zstd.compress(b"<p>zstd</p>")),
              ("gzip", gzip.compress(b"\0" * (64 << 20), compresslevel=9)), ("br", b"not brotli at all")]
    for i, (coding, body) in enumerate(bodies):
        writer.write(url=f"http://127.0.0.1/{i}.html", status=200, reason="OK",
                     response_headers=[("Content-Type", "text/html"), ("Content-Encoding", coding)], body=body,
                     request_method="GET", request_headers=[], extra_fields={SITE_FIELD: "s", KIND_FIELD: "article"})
    write_fetches(writer, 2)
    open_file = Path(str(writer.current_path) + ".open")
    open_file.write_bytes(open_file.read_bytes()[:-40])  # the kill tore the last record
    recovery = ("from pathlib import Path; from corpus.warc_format import recover_open_files; "
                f"print(recover_open_files(Path({str(tmp_path)!r}))[0][1])")
    # measured as a child of a fresh interpreter: a process forked from pytest starts with its peak
    probe = (f"import resource, subprocess, sys; subprocess.run([sys.executable, '-c', {recovery!r}], check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    kept, peak_kib = map(int, result.stdout.split())
    assert peak_kib < 150 * 1024, f"recovery peaked at {peak_kib // 1024} MiB: it inflated a body"
    assert kept == 1 + 2 * 6 - 1  # warcinfo, 6 fetches of two records, less the torn one
    counters: Counter[str] = Counter()
    docs = list(iter_articles(tmp_path / "run-s-00000.warc.gz", "run", counters, LIMIT))
    assert [len(doc.body) for doc in docs[:3]] == [len(b"<p>br</p>"), len(b"<p>zstd</p>"), LIMIT + 1]
    assert "content-encoding" in docs[3].headers and docs[3].body == b""  # undecodable: `decode` says so
    assert len(docs) == 6


def varied_articles_warc(folder: Path, n: int, prefix: str = "run-s") -> Path:
    """A crawl file whose bodies hardly compress, so that most of each record's member is its body."""
    rng = random.Random(7)
    writer = RotatingWarcWriter(folder, prefix, ONE_FILE)
    for i in range(n):
        text = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(3000))
        writer.write(url=f"http://127.0.0.1/{i}.html", status=200, reason="OK",
                     response_headers=[("Content-Type", "text/html; charset=utf-8")],
                     body=f"<html><body><p>{text}</p></body></html>".encode(), request_method="GET",
                     request_headers=[], extra_fields={SITE_FIELD: "s", KIND_FIELD: "article"})
    writer.close()
    return writer.files_closed[0]


def record_spans(path: Path) -> list[tuple[str, int, int]]:
    """(type, first byte, byte after the end) of each record of an intact file."""
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        spans = []
        for record in iterator:
            iterator.read_to_end(record)
            offset = iterator.get_record_offset()
            spans.append((record.rec_type, offset, offset + iterator.get_record_length()))
    return spans


@pytest.mark.parametrize("into", [5, 60, 0.5, -9, -1],
                         ids=["gzip-header", "warc-header", "body", "gzip-body-end", "gzip-trailer"])
def test_a_file_cut_inside_a_record_loses_that_record_counted_and_named(tmp_path: Path, caplog, into):
    """A disk that filled up, a copy cut short: warcio reads the torn last record as if whole, or
    stops before it without a word. The records before the cut are processed, the torn one is damage."""
    path = varied_articles_warc(tmp_path, 6)
    intact, spans = path.read_bytes(), record_spans(path)
    responses = [(start, end) for kind, start, end in spans if kind == "response"]
    start, end = responses[4]
    cut = start + (int((end - start) * into) if isinstance(into, float) else into % (end - start))
    path.write_bytes(intact[:cut])
    counters: Counter[str] = Counter()
    docs = list(iter_articles(path, "run", counters, LIMIT))
    assert [doc.url for doc in docs] == [f"http://127.0.0.1/{i}.html" for i in range(4)]
    assert (counters["damaged"], counters["damaged_bytes"]) == (1, cut - start)
    assert f"{path.name}: bytes {start}-{cut} are not readable" in caplog.text


def test_recovery_cuts_a_record_whose_gzip_member_lacks_its_last_byte(tmp_path: Path):
    """The kill can tear a record's last byte only: the member's check is gone, so the record is not whole."""
    writer = RotatingWarcWriter(tmp_path, "run-s", ONE_FILE)
    write_fetches(writer, 3)
    open_file = Path(str(writer.current_path) + ".open")
    open_file.write_bytes(open_file.read_bytes()[:-1])
    ((recovered, kept),) = recover_open_files(tmp_path)
    assert kept == 1 + 3 * 2 - 1  # warcinfo, 3 fetches of two records, less the torn request
    counters: Counter[str] = Counter()
    assert len(list(iter_articles(recovered, "run", counters, LIMIT))) == 3 and counters["damaged"] == 0


def test_a_later_page_that_its_file_ends_inside_of_is_missing_not_short(tmp_path: Path):
    first = articles_warc(tmp_path, "run-a", 1)
    pages = varied_articles_warc(tmp_path, 2, prefix="run-b")
    (_, start, end) = [span for span in record_spans(pages) if span[0] == "response"][1]
    pages.write_bytes(pages.read_bytes()[: (start + end) // 2])
    article = ArticlePages("http://127.0.0.1/0.html", "pages",
                           (PagePart("http://127.0.0.1/0_2.html", pages.name, start, 200),), True)
    (doc,) = iter_articles(first, "run", Counter(), LIMIT, {article.url: article})
    assert (doc.later_pages, doc.pages_missing) == ([], 1)


@pytest.mark.parametrize("padding", [gzip.compress(b""), gzip.compress(b"") * 2])
def test_a_file_ending_with_an_empty_gzip_member_is_whole(tmp_path: Path, padding: bytes):
    """Some writers close a file with an empty gzip member: no record is cut there."""
    whole = io.BytesIO()
    writer = WARCWriter(whole, gzip=True)
    for n in range(2):
        writer.write_record(writer.create_warc_record(
            f"http://news.example.cn/{n}.html", "response", payload=io.BytesIO(b"<p>x</p>"), length=8,
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")))
    path = tmp_path / "padded.warc.gz"
    path.write_bytes(whole.getvalue() + padding)
    with open(path, "rb") as stream:
        assert len(list(warc_records(ArchiveIterator(stream)))) == 2


def test_header_names_outside_ascii_and_line_breaks_are_written_as_received(tmp_path: Path):
    """An imported record may carry any header name (warcio would not write one outside ASCII: the record
    was lost), and a value holding a line break must not start a header line of its own."""
    name = "X-作者".encode().decode("latin-1")  # how the crawl and import-warc hand header bytes over
    writer = RotatingWarcWriter(tmp_path, "run-s", ONE_FILE)
    writer.write(url="http://127.0.0.1/a.html", status=200, reason="OK",
                 response_headers=[("Content-Type", "text/html"), (name, "v"), ("X-Note", "a\r\nSet-Cookie: x=1")],
                 body=GBK_PAGE, request_method="GET", request_headers=[], extra_fields={SITE_FIELD: "s\r\nX: y"})
    writer.close()
    (path,) = tmp_path.glob("*.warc.gz")
    with path.open("rb") as stream:
        ((headers, site, body),) = [
            (r.http_headers.headers, r.rec_headers.get_header(SITE_FIELD), r.content_stream().read())
            for r in ArchiveIterator(stream, check_digests="raise") if r.rec_type == "response"]
    assert ("X-作者", "v") in headers and ("X-Note", "a  Set-Cookie: x=1") in headers
    assert [n for n, _ in headers] == ["Content-Type", "X-作者", "X-Note"] and site == "s X: y" and body == GBK_PAGE


def test_an_extra_field_replaces_ours_whatever_its_case_and_cannot_reframe_the_record(tmp_path: Path):
    """A second WARC-Date under another case was written beside ours (a reader takes the first), and an
    extra Content-Length would have broken the record's framing."""
    writer = RotatingWarcWriter(tmp_path, "run-s", ONE_FILE)
    with pytest.raises(ValueError, match="Content-Length"):
        writer.write(url="http://127.0.0.1/a.html", status=200, reason="OK", response_headers=[], body=GBK_PAGE,
                     request_method="GET", request_headers=[], extra_fields={"Content-Length": "1"})
    writer.write(url="http://127.0.0.1/a.html", status=599, reason="", response_headers=[], body=GBK_PAGE,
                 request_method="GET", request_headers=[], extra_fields={"warc-date": "2020-01-02T03:04:05Z"})
    writer.close()
    (path,) = tmp_path.glob("*.warc.gz")
    with path.open("rb") as stream:
        records = [(r.rec_type, r.rec_headers.headers, r.http_headers) for r in ArchiveIterator(stream)]
    dates = {kind: [value for name, value in fields if name.lower() == "warc-date"] for kind, fields, _ in records}
    assert dates["response"] == dates["request"] == ["2020-01-02T03:04:05Z"]  # one each, the request's too
    (http,) = [http for kind, _, http in records if kind == "response"]
    assert http.get_statuscode() == "599"
