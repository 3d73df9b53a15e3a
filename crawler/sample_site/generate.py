"""Render one sample site for one base URL: every page as bytes, plus its redirects.

Links inside pages are root-relative so they work on any port; only what must be absolute
(canonical, og:url, sitemaps, RSS) uses `base_url`. Pages of the same site share their furniture
strings, and the widgets vary a little from page to page as on real portals.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from . import feeds
from . import templates as t
from .content import Article, SiteConfig, load_sites, parse_time, site_articles

# charset field -> (codec of the bytes, what the page declares, the Content-Type header sent)
_CHARSETS = {
    "utf-8": ("utf-8", '<meta charset="utf-8">', "text/html; charset=utf-8"),
    "gbk": ("gbk", '<meta http-equiv="Content-Type" content="text/html; charset=gbk">', "text/html"),
    # the realistic trap: GBK bytes (with GBK-only characters) declared as gb2312, in meta and header
    "gb2312-declared": ("gbk", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
                        "text/html; charset=gb2312"),
}
_WEEKDAYS = "一二三四五六日"
_BYLINE = re.compile(r"^[^（]{0,8}讯（[^）]*）")
RELATED, RECOMMENDED, HOT, ROLLING, DOWNLOADS, HOME_BLOCK = 5, 3, 5, 15, 5, 5


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    modified: datetime

    @property
    def etag(self) -> str:
        return hashlib.sha1(self.body).hexdigest()[:20]


@dataclass(frozen=True)
class Site:
    key: str
    config: SiteConfig
    base_url: str
    resources: dict[str, Resource]  # file path ("/news/index.html") -> content
    redirects: dict[str, str]  # legacy path -> current path (answered with 301)


def summary(article: Article, limit: int = 60) -> str:
    """The first sentence without the dateline, cut short: what listings and feeds show."""
    first = _BYLINE.sub("", article.paragraphs[0])
    sentence = first[: first.find("。") + 1] if "。" in first else first
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _section_url(section: str, page: int = 0) -> str:
    return f"/{section}/index.html" if page == 0 else f"/{section}/index_{page}.html"


class _Renderer:
    """Holds one site's articles and shared furniture so each page function stays short."""

    def __init__(self, site: SiteConfig, base_url: str) -> None:
        self.site, self.base_url, self.labels = site, base_url, site.labels
        self.articles = site_articles(site.key)
        self.newest = self.articles[-1].published_at
        self.summaries = {a.path: summary(a) for a in self.articles}
        # a stable stand-in for view counts: the same "hot" list on every page, like a real sidebar
        self.hot = sorted(self.articles, key=lambda a: int(a.slug) * 7919 % 97)[:HOT]

    def page(self, main: str, head_title: str, *, charset: str = "utf-8", section: str | None = None,
             description: str | None = None, head_extra: str = "", top_extra: str = "",
             modified: datetime | None = None) -> Resource:
        codec, meta, content_type = _CHARSETS[charset]
        lab, site = self.labels, self.site
        current = ' class="on"'
        nav = [f'<li><a href="/">{lab["home"]}</a></li>'] + [
            f'<li{current if key == section else ""}><a href="{_section_url(key)}">{escape(name)}</a></li>'
            for key, name in site.sections.items()
        ]
        top = " | ".join(escape(x) for x in lab["top_links"].split(" | "))
        html = t.PAGE.substitute(
            charset_meta=meta, head_title=escape(head_title), description=escape(description or site.description),
            keywords=escape(",".join([site.name, *site.sections.values()])), head_extra=head_extra,
            today=f"{self.newest:%Y年%m月%d日} 星期{_WEEKDAYS[self.newest.weekday()]}",
            top_links=f'{top} | <a href="/rss.xml">{escape(lab["rss"])}</a>{top_extra}',
            site_name=escape(site.name), search_hint=escape(lab["search_hint"]), search=escape(lab["search"]),
            nav="".join(nav), main=main, footer="\n".join(
                f'<p class="{"footer-links" if i == 0 else "footer-line"}">{escape(line)}</p>'
                for i, line in enumerate(site.footer)),
        )
        # xmlcharrefreplace: furniture such as © has no GBK code, so GBK pages carry it as &#169;
        return Resource(html.encode(codec, errors="xmlcharrefreplace"), content_type, modified or self.newest)

    def _links(self, articles: list[Article], with_summary: bool = False) -> str:
        return "\n".join(
            f'<li><a href="{a.path}">{escape(a.title)}</a>'
            + (f'<p class="summary">{escape(self.summaries[a.path])}</p>' if with_summary else "")
            + f'<span class="time">{_time(a.published_at)}</span></li>'
            for a in articles
        )

    def _related(self, i: int) -> list[Article]:
        """The nearest articles in time, same section first: what a CMS's related box picks."""
        me = self.articles[i]
        others = [(a.section != me.section, abs(j - i), a) for j, a in enumerate(self.articles) if j != i]
        return [a for *_, a in sorted(others, key=lambda x: x[:2])[:RELATED]]

    def article_pages(self, i: int) -> dict[str, Resource]:
        """An article's page, or its pages (paragraphs split in order, a pager on each) and its
        one-page view, as long articles come on real portals."""
        a = self.articles[i]
        if a.pages == 1:
            return {a.path: self.article(i)}
        size = -(-len(a.paragraphs) // a.pages)
        pages = {a.page_path(n + 1): self.article(i, a.paragraphs[n * size: (n + 1) * size],
                                                  self._article_pager(a, n + 1))
                 for n in range(a.pages)}
        if a.full_view:
            pages[a.page_path(0)] = self.article(i)
        return pages

    def _article_pager(self, a: Article, number: int) -> str:
        links = [f"<span>{n}</span>" if n == number else f'<a href="{a.page_path(n)}">{n}</a>'
                 for n in range(1, a.pages + 1)]
        if number < a.pages:
            links.append(f'<a href="{a.page_path(number + 1)}">{self.labels["next"]}</a>')
        if a.full_view:
            links.append(f'<a href="{a.page_path(0)}">{self.labels["full_view"]}</a>')
        return f'<div class="page_n" id="displaypagenum">{" ".join(links)}</div>'

    def article(self, i: int, paragraphs: tuple[str, ...] | None = None, pager: str = "") -> Resource:
        """Article `i` whole, or one page of it: `paragraphs`, with `pager` below them."""
        a, lab, site = self.articles[i], self.labels, self.site
        url = self.base_url + a.path
        first_page = paragraphs is None or paragraphs[:1] == a.paragraphs[:1]
        body = t.FIGURE.substitute(caption=escape(a.caption)) if a.caption and first_page else ""
        body += "\n".join(f"<p>{escape(p)}</p>" for p in (a.paragraphs if paragraphs is None else paragraphs))
        body += pager
        after = t.LINK_LIST.substitute(css="related", heading=lab["related"], items=self._links(self._related(i)))
        if i % 3 != 2:
            votes = "".join(f"<li><a href=\"javascript:;\">{m}</a><em>0</em></li>" for m in site.moods)
            after += t.MOOD.substitute(heading=escape(lab["mood"]), items=votes)
        after += self._comments(i)
        side = ""
        if i % 4 != 3:
            picks = [b for b in reversed(self.articles) if b.section != a.section][:RECOMMENDED]
            side += t.LINK_LIST.substitute(css="recommend", heading=lab["recommend"],
                                           items=self._links(picks, with_summary=True))
        if site.downloads and i % 3 == 0:
            side += self._downloads(i)
        side += t.LINK_LIST.substitute(css="hot", heading=lab["hot"], items=self._links(self.hot))
        main = t.ARTICLE.substitute(
            home=lab["home"], section_url=_section_url(a.section), section_name=escape(site.sections[a.section]),
            body_label=lab["body"], title=escape(a.title), published=_time(a.published_at),
            source_label=lab["source"], source=escape(a.source), author_label=lab["author"],
            author=escape(a.author), share_label=lab["share"],
            share_links="".join(f'<a href="javascript:;" class="share-{n}">{escape(x)}</a> '
                                for n, x in enumerate(site.share_targets)),
            wechat_tip=escape(lab["wechat_tip"]),
            fontsize=t.FONTSIZE.substitute(label=lab["fontsize"]) if i % 2 == 0 else "",
            body=body, editor_line=escape(site.editor_line.format(editor=a.editor)),
            print=lab["print"], close=lab["close"], after_body=after, side=side,
        )
        head = t.ARTICLE_HEAD.substitute(
            url=url, published=_time(a.published_at), published_iso=a.published_at.isoformat(),
            author=escape(a.author), source=escape(a.source), title=escape(a.title), site_name=escape(site.name))
        return self.page(main, f"{a.title}_{site.sections[a.section]}_{site.name}", charset=a.charset,
                         section=a.section, description=self.summaries[a.path], head_extra=head,
                         modified=a.published_at)

    def _comments(self, i: int) -> str:
        a, pool = self.articles[i], self.site.comments
        picks = [(k, *pool[(i + 3 * k) % len(pool)]) for k in range(2 + i % 2)]
        items = "\n".join(
            t.COMMENT.substitute(user=escape(user), text=escape(text), time=_time(
                a.published_at + timedelta(minutes=23 + 47 * k + i * 13 % 60)))
            for k, user, text in picks
        )
        more = self.labels["comments_more"] if i % 2 else self.labels["doc_comments"]
        return t.COMMENTS.substitute(heading=self.labels["comments"], items=items, more=escape(more))

    def _downloads(self, i: int) -> str:
        docs = self.site.downloads
        items = "\n".join(
            f'<li><a href="javascript:;" class="doc-name">{escape(name)}</a> <span class="doc-pages">{pages}</span> '
            f'<span class="doc-tag">{tag}</span></li>'
            for name, pages, tag in (docs[(i + k) % len(docs)] for k in range(DOWNLOADS))
        )
        return f'<div class="doc-list"><h3>{self.labels["downloads"]}</h3><ul>\n{items}\n</ul></div>\n'

    def listings(self, section: str) -> dict[str, Resource]:
        site, lab = self.site, self.labels
        newest_first = [a for a in reversed(self.articles) if a.section == section]
        size = site.page_size
        pages = [newest_first[n: n + size] for n in range(0, len(newest_first), size)]
        legacy = {slug: path for path, slug in site.redirects.items()}
        out = {}
        for n, chunk in enumerate(pages):
            items = [f'<li><a href="{legacy.get(a.slug, a.path)}">{escape(a.title)}</a>'
                     f'<span class="date">{_time(a.published_at)}</span></li>' for a in chunk]
            if n == 0:  # a withdrawn article's link stays on the first page: the server answers 404
                items[2:2] = [f'<li><a href="{d["path"]}">{escape(d["title"])}</a><span class="date">'
                              f'{_time(parse_time(d["published_at"]))}</span></li>'
                              for d in site.dead_links if d["section"] == section]
            main = t.LISTING.substitute(
                home=lab["home"], section_name=escape(site.sections[section]), items="\n".join(items),
                pager=self._pager(section, n, len(pages)),
                side=t.LINK_LIST.substitute(css="hot", heading=lab["hot"], items=self._links(self.hot)))
            title = site.sections[section] + (f"_第{n + 1}页" if n else "") + f"_{site.name}"
            out[_section_url(section, n)] = self.page(main, title, section=section, modified=chunk[0].published_at)
        return out

    def _pager(self, section: str, page: int, pages: int) -> str:
        lab = self.labels
        parts = [f'<a class="prev" href="{_section_url(section, page - 1)}">{lab["prev"]}</a>' if page
                 else f'<span class="disabled">{lab["prev"]}</span>']
        parts += [f'<span class="current">{n + 1}</span>' if n == page
                  else f'<a href="{_section_url(section, n)}">{n + 1}</a>' for n in range(pages)]
        parts.append(f'<a class="next" href="{_section_url(section, page + 1)}">{lab["next"]}</a>'
                     if page + 1 < pages else f'<span class="disabled">{lab["next"]}</span>')
        return " ".join(parts)

    def home(self) -> Resource:
        site, lab = self.site, self.labels
        lead = self.articles[-1]
        blocks = "".join(
            t.HOME_BLOCK.substitute(url=_section_url(key), name=escape(name), more=escape(lab["more"]),
                                    items=self._links([a for a in reversed(self.articles)
                                                       if a.section == key][:HOME_BLOCK]))
            for key, name in site.sections.items()
        )
        rolling = "\n".join(f'<li><span class="time">{a.published_at:%m-%d %H:%M}</span>'
                            f'<a href="{a.path}">{escape(a.title)}</a></li>'
                            for a in list(reversed(self.articles))[:ROLLING])
        side = (t.LINK_LIST.substitute(css="rolling", heading=lab["rolling"], items=rolling)
                + t.LINK_LIST.substitute(css="hot", heading=lab["hot"], items=self._links(self.hot)))
        main = t.HOME.substitute(lead_url=lead.path, lead_title=escape(lead.title),
                                 lead_summary=escape(self.summaries[lead.path]), blocks=blocks, side=side)
        private = site.private_page
        top_extra = f' | <a href="{private["path"]}">{escape(private["link"])}</a>' if private else ""
        canonical = f'<link rel="canonical" href="{self.base_url}/">\n'
        return self.page(main, site.name, top_extra=top_extra, head_extra=canonical)

    def private(self) -> Resource:
        private = self.site.private_page
        assert private is not None
        main = t.PRIVATE.substitute(title=escape(private["title"]), text=escape(private["text"]))
        return self.page(main, f'{private["title"]}_{self.site.name}')


def build_site(key: str, base_url: str) -> Site:
    """Every resource of site `key` ("a" or "b") as served at `base_url` (no trailing slash)."""
    base_url = base_url.rstrip("/")
    config = load_sites()[key]
    r = _Renderer(config, base_url)

    def text(body: str, kind: str) -> Resource:
        return Resource(body.encode("utf-8"), f"{kind}; charset=utf-8", r.newest)

    resources = {"/index.html": r.home()}
    for section in config.sections:
        resources.update(r.listings(section))
    for i in range(len(r.articles)):
        resources.update(r.article_pages(i))
    if config.private_page:
        resources[config.private_page["path"]] = r.private()
    resources.update({
        "/robots.txt": text(feeds.robots_txt(config, base_url), "text/plain"),
        "/sitemap.xml": text(feeds.sitemap_index(r.articles, base_url), "application/xml"),
        "/sitemap-news.xml": text(feeds.news_sitemap(config, r.articles, base_url), "application/xml"),
        "/sitemap-articles.xml": text(feeds.articles_sitemap(r.articles, base_url), "application/xml"),
        "/rss.xml": text(feeds.rss(config, r.articles, r.summaries, base_url), "application/rss+xml"),
        "/static/css/style.css": text(t.STYLE, "text/css"),
        "/static/img/photo.gif": Resource(t.PHOTO_GIF, "image/gif", r.newest),
    })
    by_slug = {a.slug: a.path for a in r.articles}
    return Site(key, config, base_url, resources, {old: by_slug[slug] for old, slug in config.redirects.items()})


def write_site(site: Site, out_dir: Path) -> int:
    """Write every resource under `out_dir` at its URL path, for inspection; returns the count."""
    for path, resource in site.resources.items():
        target = out_dir / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(resource.body)
    return len(site.resources)
