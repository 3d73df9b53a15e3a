"""`zhnews explain`: a user can see why a document was dropped or what cleaning did to it."""

from __future__ import annotations

from conftest import Crawl
from corpus.cli import main
from corpus.record import document_id
from crawler.sample_site import SampleSites


def test_explains_a_dropped_page(processed: Crawl, sample_sites: SampleSites, capsys):
    missing = sample_sites.base_url_a + "/society/202610/t20261010_1098.html"
    assert main(["explain", missing, "--data-dir", str(processed.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "DROPPED by `decode`: http_status_404" in out and missing in out


def test_explains_what_cleaning_changed_by_id(processed: Crawl, sample_sites: SampleSites, capsys):
    url = sample_sites.base_url_a + "/finance/202610/t20261010_1025.html"  # "（记者 郭晓）": a layout space
    assert main(["explain", document_id(url), "--data-dir", str(processed.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "KEPT" in out and "remove_layout_spaces" in out and "×1" in out


def test_unknown_document_is_a_clear_error(processed: Crawl, capsys):
    assert main(["explain", "http://127.0.0.1:9/none.html", "--data-dir", str(processed.data_dir)]) == 1
    assert "no processed document" in capsys.readouterr().out
