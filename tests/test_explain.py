"""`zhnews explain`: a user can see why a document was dropped or what cleaning did to it."""

from __future__ import annotations

from conftest import Crawl
from corpus.cli import main
from corpus.record import document_id
from crawler.sample_site import SampleSites, load_articles


def test_explains_a_dropped_page(processed: Crawl, sample_sites: SampleSites, capsys):
    missing = sample_sites.base_url_a + "/society/202610/t20261010_1098.html"
    assert main(["explain", missing, "--data-dir", str(processed.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "DROPPED by `decode`: http_status_404" in out and missing in out
    assert out.rstrip().splitlines()[-1].startswith("verdict: NOT PUBLISHED: dropped by `decode`")


def test_explains_what_cleaning_changed_by_id(processed: Crawl, sample_sites: SampleSites, capsys):
    url = sample_sites.base_url_a + "/finance/202610/t20261010_1025.html"  # "（记者 郭晓）": a layout space
    assert main(["explain", document_id(url), "--data-dir", str(processed.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "kept by processing" in out and "remove_layout_spaces" in out and "×1" in out
    assert out.rstrip().splitlines()[-1].startswith("verdict: PUBLISHED, the version of run run1, in ")


def test_a_copy_dedup_dropped_gets_one_verdict(processed: Crawl, sample_sites: SampleSites, capsys):
    """Processing kept the reprint, dedup dropped it: both records are shown, and one verdict."""
    reprint = next(article for article in load_articles() if article.reprint_of == "1035")
    assert main(["explain", sample_sites.base_url_b + reprint.path, "--data-dir", str(processed.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "kept by processing" in out and "DROPPED by `" in out
    assert out.count("verdict:") == 1 and "verdict: NOT PUBLISHED: dropped by `" in out and "_text`" in out


def test_unknown_document_is_a_clear_error(processed: Crawl, capsys):
    assert main(["explain", "http://127.0.0.1:9/none.html", "--data-dir", str(processed.data_dir)]) == 1
    assert "no processed document" in capsys.readouterr().out


def test_a_url_as_shared_or_an_id_in_capitals_finds_the_document(processed: Crawl, sample_sites: SampleSites,
                                                                  capsys):
    """The URL with a #fragment or a utm_ parameter (as links are shared), or the id in capitals, was
    "no processed document": the key was hashed as typed, not as the crawl canonicalises it."""
    url = sample_sites.base_url_a + "/finance/202610/t20261010_1025.html"
    for key in (url + "#comments", url + "?utm_source=wechat", document_id(url).upper()):
        assert main(["explain", key, "--data-dir", str(processed.data_dir)]) == 0, key
        assert "verdict: PUBLISHED" in capsys.readouterr().out, key
