"""URL canonicalisation: what makes two URLs one page, and what must never be touched."""

import pytest

from crawler.urls import canonical, without_credentials


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTP://News.Example.CN:80/a.html#comments", "http://news.example.cn/a.html"),
    ("https://news.example.cn:443/a.html", "https://news.example.cn/a.html"),
    ("http://news.example.cn:8080/a.html", "http://news.example.cn:8080/a.html"),
    ("http://news.example.cn/a.html?utm_source=wx&id=7&spm=a.b&from=timeline", "http://news.example.cn/a.html?id=7&from=timeline"),
    ("http://news.example.cn/a.html?utm_medium=x", "http://news.example.cn/a.html"),
    ("http://news.example.cn/a.html?b=2&a=1", "http://news.example.cn/a.html?b=2&a=1"),  # order kept
    ("http://news.example.cn", "http://news.example.cn/"),
    ("http://news.example.cn/news/index.html", "http://news.example.cn/news/index.html"),  # only when asked
    ("http://[::1]:8080/a.html#top", "http://[::1]:8080/a.html"),  # an IPv6 host keeps its brackets
    ("http://[::1]/新闻.html", "http://[::1]/%E6%96%B0%E9%97%BB.html"),
    # session ids, new on every visit: one article archived once per visit (a listing handing them out)
    ("http://news.example.cn/a.html?PHPSESSID=9f3c&id=7", "http://news.example.cn/a.html?id=7"),
    ("http://news.example.cn/a.jsp?jsessionid=ABC123", "http://news.example.cn/a.jsp"),
    ("http://news.example.cn/a.jsp;jsessionid=ABC123?id=7", "http://news.example.cn/a.jsp?id=7"),
    ("http://news.example.cn/a.asp?ASPSESSIONIDQQ=XYZ&sessionid=1&session_id=2", "http://news.example.cn/a.asp"),
    ("http://news.example.cn/a.html?sid=12", "http://news.example.cn/a.html?sid=12"),  # a section id, perhaps
])
def test_canonical(url: str, expected: str) -> None:
    assert canonical(url) == expected


def test_index_pages_fold_only_when_the_profile_says_so() -> None:
    assert canonical("http://news.example.cn/news/index.shtml", strip_index=True) == "http://news.example.cn/news/"
    assert canonical("http://news.example.cn/news/myindex.html", strip_index=True).endswith("/myindex.html")


def test_chinese_paths_and_values_survive() -> None:
    url = "http://news.example.cn/%E6%96%B0%E9%97%BB/a.html?q=%E4%B8%AD%E6%96%87"
    assert canonical(url) == url


def test_canonical_urls_are_escaped_as_scrapy_escapes_them_whatever_they_hold() -> None:
    """canonical() leaves alone the URLs Scrapy's escaping would not change: checked on URLs made of
    every character a path or a query may hold (it skips w3lib for the common ones)."""
    import random
    import string

    from w3lib.url import safe_url_string

    alphabet = string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%\"<>\\^`{|} 新闻%E4"
    pick = random.Random(7).choice
    for _ in range(5000):
        url = canonical("http://news.example.cn/" + "".join(pick(alphabet) for _ in range(24)))
        assert safe_url_string(url) == url, url


@pytest.mark.parametrize("url", [
    "http://news.example.cn/news/t20261101_1.html?ch=国内",  # a feed's Chinese query, as written
    "http://news.example.cn/新闻/t20261101_1.html",
    "http://news.example.cn/news/a b|c.html",
    "http://新闻.example.cn/news/t20261101_1.html",
    "http://news.example.cn/news/t20261101_1.html?utm_source=rss&ch=国内",
])
def test_a_canonical_url_is_the_url_scrapy_requests_and_records(url: str) -> None:
    """The state is looked up by the canonical URL and written with the response's URL, which is the
    request's as Scrapy escaped it: were they two spellings, the article would be fetched again every
    night, unconditionally, and the run's budget spent twice on it."""
    from scrapy import Request

    assert Request(canonical(url)).url == canonical(url) == canonical(canonical(url))


@pytest.mark.parametrize(("text", "shown"), [
    ("GET http://reader:hunter2@news.example.cn/a", "GET http://reader:***@news.example.cn/a"),
    ("https://ghp_tokenONLY123@git.example.org/x", "https://***@git.example.org/x"),  # a token as the user
    ("https://:hunter2@news.example.cn/", "https://***@news.example.cn/"),
    ("http://user:p@ss@news.example.cn/", "http://user:***@news.example.cn/"),  # an @ left unencoded
    ("s3://bucket/x?token=tok-SECRET2&region=eu", "s3://bucket/x?token=***&region=eu"),
    ("https://a.example/f?X-Amz-Signature=abc123&id=7", "https://a.example/f?X-Amz-Signature=***&id=7"),
    ("invalid hostname: user:hunter2@host", "invalid hostname: user:***@host"),
    ("http://news.example.cn/list.php?author=wang&page=2&oauth_state=x&access_token=t0k",
     "http://news.example.cn/list.php?author=wang&page=2&oauth_state=x&access_token=***"),
    ("http://news.example.cn/2026/t1.html?page=2 mail@example.org", "http://news.example.cn/2026/t1.html?page=2 "
     "mail@example.org"),
])
def test_credentials_are_masked_wherever_a_url_carries_them(text: str, shown: str):
    assert without_credentials(text) == shown
