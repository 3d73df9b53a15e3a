"""The machine-readable entrances of a sample site: robots.txt, sitemaps and the RSS feed.

They carry absolute URLs (the protocols require them), so they are built for one base URL.
"""

from __future__ import annotations

from email.utils import format_datetime
from xml.sax.saxutils import escape

from .content import Article, SiteConfig

NEWS_SITEMAP_SIZE = 10
RSS_SIZE = 20


def robots_txt(site: SiteConfig, base_url: str) -> str:
    disallow = "".join(f"Disallow: {path}\n" for path in site.robots_disallow)
    return f"User-agent: *\n{disallow}\nSitemap: {base_url}/sitemap.xml\n"


def sitemap_index(articles: list[Article], base_url: str) -> str:
    lastmod = articles[-1].published_at.isoformat()
    entries = "".join(
        f"<sitemap><loc>{base_url}/{name}</loc><lastmod>{lastmod}</lastmod></sitemap>\n"
        for name in ("sitemap-news.xml", "sitemap-articles.xml")
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</sitemapindex>\n")


def news_sitemap(site: SiteConfig, articles: list[Article], base_url: str) -> str:
    """Google News sitemap of the newest articles, as news portals publish for fresh stories."""
    entries = "".join(
        f"<url><loc>{base_url}{a.path}</loc><news:news><news:publication>"
        f"<news:name>{escape(site.name)}</news:name><news:language>zh</news:language>"
        f"</news:publication><news:publication_date>{a.published_at.isoformat()}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>\n"
        for a in reversed(articles[-NEWS_SITEMAP_SIZE:])
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{entries}</urlset>\n")


def articles_sitemap(articles: list[Article], base_url: str) -> str:
    entries = "".join(
        f"<url><loc>{base_url}{a.path}</loc><lastmod>{a.published_at.isoformat()}</lastmod></url>\n"
        for a in reversed(articles)
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n")


def rss(site: SiteConfig, articles: list[Article], summaries: dict[str, str], base_url: str) -> str:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{base_url}{a.path}</link>"
        f"<description>{escape(summaries[a.path])}</description>"
        f"<category>{escape(site.sections[a.section])}</category>"
        f"<pubDate>{format_datetime(a.published_at)}</pubDate>"
        f'<guid isPermaLink="true">{base_url}{a.path}</guid></item>\n'
        for a in reversed(articles[-RSS_SIZE:])
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
            f"<title>{escape(site.name)}</title><link>{base_url}/</link>"
            f"<description>{escape(site.description)}</description><language>zh-cn</language>"
            f"<lastBuildDate>{format_datetime(articles[-1].published_at)}</lastBuildDate>\n"
            f"{items}</channel></rss>\n")
