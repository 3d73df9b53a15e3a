"""The bundled offline sample: two fictional Chinese news portals, generated and served on 127.0.0.1.

Site A (澄州晨报网) is the main portal, site B (溪山资讯网) a small county portal that reprints one
of A's articles. All text is original and every name is invented. The demo and the tests crawl
these sites; `gold()` is what extraction is scored against.

    with serve_sample_sites() as sites:
        sites.base_url_a, sites.base_url_b, sites.a.requests, sites.a.request_log
"""

from .content import Article, gold, load_articles
from .server import SampleServer, SampleSites, serve_sample_sites

__all__ = ["Article", "SampleServer", "SampleSites", "gold", "load_articles", "serve_sample_sites"]
