"""Chinese metadata: bylines, editors, sources, dates → ISO 8601 (+08:00), and where they must not fire."""

from __future__ import annotations

from datetime import date

import pytest

from cleaning.extraction.extractor import extract_html
from cleaning.extraction.metadata import clean_names
from cleaning.extraction.zones import page_zones
from cleaning.text.dates import find_dates, find_month, find_yearless, parse_date

ARTICLE = [
    "眼下正值春耕时节，各地农民抢抓农时，田间地头处处是繁忙景象，农机手们驾驶着新型播种机来回穿梭。",
    "据当地农业部门介绍，今年全县机械化播种面积比去年增加了两成，粮食生产基础进一步夯实。",
    "一位种粮大户说，有了这些新农机，一个人一天就能播种上百亩地，省时又省力，今年收成错不了。",
]


def page(above: str = "", first: str = "", last: str = "", below: str = "", head: str = "",
         title: str = "春耕时节农机忙_新闻中心") -> str:
    """A news page: headline, a byline zone, the article (first and last paragraph adjustable), then more."""
    paragraphs = [first + ARTICLE[0], ARTICLE[1], ARTICLE[2] + last]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title>{head}</head><body><h1>春耕时节农机忙</h1>"
            f"<div>{above}</div><div class='article'>{body}</div><div>{below}</div></body></html>")


@pytest.mark.parametrize(
    ("html", "author"),
    [
        (page(above="作者：张三"), "张三"),
        (page(above="文/北京青年报记者 宋霞"), "宋霞"),
        (page(above="本报记者 王燕平 方云凤"), "王燕平、方云凤"),
        (page(above="本报实习生 刘国栋<br>本报记者 王燕平"), "刘国栋、王燕平"),  # stacked byline lines add up
        (page(above="顶端新闻·河南商报记者马俊峰/文"), "马俊峰"),
        (page(above="本报记者罗科苏盈发自北京"), "罗科苏盈"),
        (page(above="2004年7月16日08:19 [ 黄宇 ] 来源：[ 中国经营报 ]"), "黄宇"),
        (page(above="2014/03/19 18:58 彭佳芸 黃翊真 報導　地區：台北市報導"), "彭佳芸、黃翊真"),  # 報導 after the names
        (page(above="2014/03/19 18:58 社會中心 報導"), None),  # a desk, no person
        (page(above="金彧 宓迪 | 来源：澄州日报"), "金彧、宓迪"),  # the writers, then the source field
        (page(head='<meta name="author" content="主編／柯妙語．記者／吳鳳瑤">'), "吳鳳瑤"),  # a byline in the tag
        (page(above="文：唐納・J・川普"), "唐納・J・川普"),  # a transliterated name, Taiwan's middle dot, an initial
        (page(above="国际新闻 | 来源：澄州日报"), None),  # a channel, no person
        (page(first="本报讯（记者 王昊男）"), "王昊男"),
        (page(first="本报讯 （记者陈翔 通讯员罗裕秋、廖胜权）"), "陈翔、罗裕秋、廖胜权"),  # the roles after each other
        (page(first="本报讯 （实习记者 樊亮 张明超 记者惠禾）"), "樊亮、张明超、惠禾"),
        (page(last="（记者 胡晓蓉）"), "胡晓蓉"),
        (page(last="（姚峰 上海报道）"), "姚峰"),
        (page(below="澄州卫视 王恳 周铭吉 北京报道"), "王恳、周铭吉"),  # a closing line: outlet, reporters, place
        (page(last="（澄州网网友：我心飞扬）"), "我心飞扬"),  # a reader's contribution, signed with a pen name
        (page(last="（澄州網網友：我心飛揚）"), "我心飛揚"),
        (page(below="徐勇（新华社供本报特稿）"), "徐勇"),  # a special report's writer, then who supplied it
        (page(below="記者賴淑敏 蔣龍祥 台北報導"), "賴淑敏、蔣龍祥"),  # the label is no outlet
        (page(below="（袁源）"), "袁源"),
        (page(below="〓 发布时间 2005/03/15 22:36:13 by duscha 〓"), "duscha"),
        (page(above="本贴由大卫于2005年8月12日16:12:21发表"), "大卫"),
        (page(head='<meta name="author" content="李楠">'), "李楠"),
        (page(above="作者： 周思博 (Joel Spolsky)"), "周思博 (Joel Spolsky)"),  # a translated author
        # markup that names the author, or the account on platform pages
        (page(above="<span class='autor-name'>作者：王帆</span>"), "王帆"),
        (page(above="<span id='author_baidu'>王帆</span> <span>责任编辑：倪仕轩</span>"), "王帆"),
        (page(above="<p class='media-name'>环球时报新媒体</p>"), "环球时报新媒体"),
        (page(above="<span class='rich_media_meta_nickname'><a>掌上绥德</a></span>"), "掌上绥德"),
        (page(head="<script>var nickname = \"掌上绥德\";</script>"), "掌上绥德"),
        # Traditional script, and a dateline that glues the reporter to the place
        (page(above="<div class='story_info'>2019-03-18 23:59聯合報 記者<a>陳嘉寧</a>／桃園機場報導</div>"), "陳嘉寧"),
        (page(first="（中央社記者溫貴香台北21日電）"), "溫貴香"),
        (page(first="（中央社記者戴雅真倫敦25日專電）"), "戴雅真"),  # a special dispatch
        (page(above="記者鄧厚仁報道"), "鄧厚仁"),  # no place: a place has two characters or more
        (page(last="(实习编译：王国宁 审稿：王焕 王欢)"), "王国宁"),  # a translator, then a reviewer's field
        (page(first="（新华社记者王建北京5月9日电）"), "王建"),
        # a label glued to the field before it; a page tool after the name; a credit line closing the article
        (page(below="本文来源：第一财经日报 作者：杨海艳"), "杨海艳"),
        (page(above="时间：2024.05.11 来源：光明日报 作者：南帆 分享到"), "南帆"),
        (page(below="作者 王之言 高孜然"), "王之言、高孜然"),
        (page(last="（文字：李萌 剪辑：王生元 导播：王安 速记：曹莉娜）"), "李萌"),  # a video's crew after the writer
        (page(below="中青报·中青网记者 魏其濛 来源：中国青年报"), "魏其濛"),
        (page(above="<div class='author cf'>本报记者 王乐文 方 敏</div>"), "王乐文、方敏"),  # padded to three
    ],
)
def test_bylines(html: str, author: str) -> None:
    assert extract_html(html).author == author


@pytest.mark.parametrize(
    "html",
    [
        page(first="记者表示，目前"),  # a reporter who says something is no byline
        page(last="这些问题都是由这些"),  # 由 is a preposition
        page(below="（组图）"),  # an editorial note in brackets
        page(below="CopyRight@2004-2008 All rights reserved"),
        page(above='作者： size="20" 来源： size="20"'),  # markup leaking into the text
        page(head='<meta name="author" content="大汉网络">'),  # the web agency, not a person
        page(head='<meta name="author" content="澄州周刊(Chengzhou Weekly)">'),  # a magazine, its English name too
        page(head='<meta name="author" content="芋傳媒">'),  # media, in Traditional script
        page(below="唸給你聽 powered by Cyberon"),  # a credit for the site's tools
        page(above="<a href='http://www.example.net/blog/profile/stevenhgm'>名片</a>"),  # a menu's profile card
        page(above="<a href='/author/admin/'>澄州新聞</a> 2020-04-01 0:09:20"),
        page(below="澄州新闻中心 综合报道"),  # a desk that compiled the story
        page(head='<meta name="author" content="网易">', title="春耕时节农机忙_网易财经"),  # the site itself
        page(head='<meta property="og:site_name" content="凤凰网"><meta name="author" content="凤凰网">'),
        page(above="<div class='author-list'>热门作者 排行榜 更多作者推荐</div>"),  # not a byline
        page(below="（中国）"),  # no surname: brackets alone do not make a name
    ],
)
def test_bylines_that_must_not_fire(html: str) -> None:
    assert extract_html(html).author is None


def test_a_signed_paragraph_inside_the_text_when_nothing_else_credits_anyone() -> None:
    cells = (f"<td><a href='/r{i}'>相关</a></td><td>另一篇文章的摘要第{i}段，讲别的事。</td>" for i in range(4))
    rows = "".join(f"<tr>{cell}</tr>" for cell in cells)
    html = page(last="”（姚峰 上海报道）", below=f"<table>{rows}</table>")
    assert extract_html(html).author == "姚峰"


def test_a_name_alone_under_the_headline() -> None:
    essay = "<p>比赛革命的革命</p><p>胡平</p>" + "".join(f"<p>{p}</p>" for p in ARTICLE)
    assert extract_html(f"<html><head><title>显示</title></head><body>{essay}</body></html>").author == "胡平"
    pen_name = essay.replace("胡平", "茉莉")  # no common surname: only the commentary convention names her
    assert extract_html(f"<html><body>{pen_name}</body></html>").author is None
    signed = f"<div>茉莉：比赛革命的革命</div>{pen_name}"
    assert extract_html(f"<html><body>{signed}</body></html>").author == "茉莉"
    for credit in ("胡平 供图", "胡平 摄影"):  # a photo credit under the headline names no author
        assert extract_html(f"<html><body>{essay.replace('胡平', credit)}</body></html>").author is None


@pytest.mark.parametrize("headline", ["乡村振兴——搭建产销对接新平台", "数字中国｜织密一张网",
                                      "记者节特稿——走进澄州日报"])
@pytest.mark.parametrize("stated", ["{}", "{}_要闻_澄州新闻网"])
def test_a_headline_ending_like_a_sites_name_is_kept_whole(headline: str, stated: str) -> None:
    """A headline with no <h1>, in a title block: its tail after a dash or a bar ends in 台, 网 or 报 as a
    site's name does, and was cut off as one; the page prints it whole, and nowhere without the tail."""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in ARTICLE)
    html = (f"<html><head><title>{stated.format(headline)}</title></head><body>"
            f"<div class='title'>{headline}</div><div class='article'>{body}</div></body></html>")
    assert extract_html(html).title == headline


def test_the_title_is_the_part_of_title_the_page_prints() -> None:
    html = ("<html><head><title>千龙网--汽车--广汽回应现代合资内幕(页 1)</title></head><body>"
            "<div>广汽回应现代合资内幕</div>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</body></html>")
    assert extract_html(html).title == "广汽回应现代合资内幕"


def test_editor_and_source_lines() -> None:
    got = extract_html(page(above="来源：新华社", below="（责任编辑：孙重远）"))
    assert (got.author, got.editor, got.source) == (None, "孙重远", "新华社")


def test_a_source_that_names_a_person_is_the_author() -> None:
    got = extract_html(page(below="来源: 尹娟"))
    assert (got.author, got.source) == ("尹娟", None)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024年4月29日 09:36", "2024-04-29T09:36:00+08:00"),
        ("2024-04-29 09:36:12", "2024-04-29T09:36:12+08:00"),
        ("2024/4/29", "2024-04-29"),  # a day without a time: no midnight invented
        ("2024.04.29 9:36", "2024-04-29T09:36:00+08:00"),
        ("发布日期： 9/17/2004 5:54:13 AM", "2004-09-17T05:54:13+08:00"),
        ("(2005-04-27 2:32PM)", "2005-04-27T14:32:00+08:00"),
        ("2022-02-06T12:48:06+00:00", "2022-02-06T12:48:06+00:00"),  # a stated offset is kept
        ("2022-02-13 00:00:00:0", "2022-02-13"),  # a CMS's midnight is a date without a time
        ("20240429", "2024-04-29"),
        ("18-08-01 10:07", "2018-08-01T10:07:00+08:00"),  # 百家号's two-digit year, with its time
        ("18-08-0110:07", "2018-08-01T10:07:00+08:00"),  # its spans glued
        ("2024-05-0108:30", "2024-05-01T08:30:00+08:00"),  # a four-digit year's too
        ("2024 05/09 22:27:02", "2024-05-09T22:27:02+08:00"),  # 新华网's header
        ("2024年5月1日 14:00-16:00", "2024-05-01T14:00:00+08:00"),  # a range, not an offset of -16:00
        ("2024-05-01 08:30:00 +0000", "2024-05-01T08:30:00+00:00"),  # a spaced zone
        ("2024-05-01 08:30:15 UTC", "2024-05-01T08:30:15+00:00"),
        ("2024-04-29T09:36:00-05:00", "2024-04-29T09:36:00-05:00"),
        ("2024-05-01 08:30 GMT+8", "2024-05-01T08:30:00+08:00"),  # UTC/GMT with its hours
        ("2024-05-01 08:30 UTC-5", "2024-05-01T08:30:00-05:00"),
        ("2024-05-01 08:30 Z世代", "2024-05-01T08:30:00+08:00"),  # a word, not the zone Z
        ("發布日期：中華民國113年05月01日", "2024-05-01"),  # Taiwan's official calendar
        ("民國113年5月1日 14:30", "2024-05-01T14:30:00+08:00"),
        ("發布日期：113-05-01", "2024-05-01"),  # ... its year alone, after a date's label
        ("更新日期：113/05/02 16:33", "2024-05-02T16:33:00+08:00"),
        ("日期：113.5.3", "2024-05-03"),
    ],
)
def test_dates_become_iso_beijing_time(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["18-08-01", "比分 3-1 10:07", "118-08-01 10:07"])
def test_two_digit_years_only_with_a_time(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize("text", ["113-05-01", "编号 113-05-01", "出生日期：113/09/16", "日期：50/05/01"])
def test_a_taiwan_year_alone_only_after_a_dates_label(text: str) -> None:
    assert find_dates(text) == []  # a code, a birthday, a year before the Chinese web


def test_dates_that_are_no_publication_dates() -> None:
    assert parse_date("1985年3月2日") is None  # before the Chinese web
    assert parse_date("2024-02-30") is None
    assert parse_date("2031-01-01", latest=date(2024, 6, 1)) is None  # after the page was fetched
    assert find_dates("电话 010-6407 0957，邮编 100027") == []
    assert find_month("——《北京之春》1996年6月号") == "1996-06"
    assert find_month("2024年4月29日") is None  # a day is given: not a month date


def test_the_dateline_under_the_headline_wins_over_dates_in_the_text() -> None:
    html = page(above="2024年4月29日 09:36 来源：新华社", first="4月20日，")
    assert extract_html(html).published_at == "2024-04-29T09:36:00+08:00"


def test_a_meta_date_adds_the_time_and_settles_day_month_order() -> None:
    same_day = page(above="2024-04-29", head='<meta name="publishdate" content="2024-04-29 09:36">')
    assert extract_html(same_day).published_at == "2024-04-29T09:36:00+08:00"
    european = page(above="发表时间： 06/02/2022 - 13:48",
                    head='<meta property="article:published_time" content="2022-02-06T12:48:06+00:00">')
    assert extract_html(european).published_at == "2022-02-06T12:48:06+00:00"


def test_a_dateline_without_its_year_takes_only_the_year_from_a_tag() -> None:
    """METADATA.md: the printed month, day and time stay; a tag (a portal's render time) gives the year."""
    same_day = page(above="发布时间：05-12 09:30", head='<meta name="publishdate" content="2024-05-12 09:30:41">')
    assert extract_html(same_day).published_at == "2024-05-12T09:30:00+08:00"
    rendered_later = page(above="发布时间：05-01 04:30", head='<meta name="publishdate" content="2024-05-20 10:00:00">')
    assert extract_html(rendered_later).published_at == "2024-05-01T04:30:00+08:00"
    across_new_year = page(above="发布时间：12-30 18:00",
                           head='<meta name="publishdate" content="2025-01-02 08:00:00">')
    assert extract_html(across_new_year).published_at == "2024-12-30T18:00:00+08:00"
    in_utc = page(above="发布时间：05-21 04:30",  # the same moment, the tag in UTC: the day before there
                  head='<meta property="article:published_time" content="2024-05-20T20:30:00Z">')
    assert extract_html(in_utc).published_at == "2024-05-21T04:30:00+08:00"
    updated = page(above="更新时间：05-21 10:00", head='<meta name="publishdate" content="2024-05-20 09:00:00">')
    assert extract_html(updated).published_at == "2024-05-20T09:00:00+08:00"  # an update's day is no publication


def test_a_labelled_dateline_inside_the_text_dates_a_page_nothing_else_dates() -> None:
    """A blog whose extracted text starts with its sidebar: the post header is neither above the text
    nor in its first lines, but its label says whose date it is."""
    sidebar = "".join(f"<p>友情链接第{n}号博客</p>" for n in range(10))
    post = "".join(f"<p>第{n}段。{p}</p>" for n, p in enumerate(ARTICLE * 3))
    html = (f"<html><head><title>博客</title></head><body><div>{sidebar}<p>zboy 发表于 2005-9-15 11:46:00</p>"
            f"{post}</div></body></html>")
    assert extract_html(html).published_at == "2005-09-15T11:46:00+08:00"
    unlabelled = html.replace("zboy 发表于 2005-9-15 11:46:00", "zboy 2005-9-15 11:46:00")
    assert extract_html(unlabelled).published_at is None


def test_cms_property_comment_and_url_dates() -> None:
    html = page() + "<!--enpproperty <date>2022-02-13 00:00:00:0</date><author>格桑边觉</author>/enpproperty-->"
    got = extract_html(html)
    assert (got.published_at, got.author) == ("2022-02-13", "格桑边觉")
    assert extract_html(page(), url="http://news.example.cn/2005-03/21/content_1.htm").published_at == "2005-03-21"


def test_names_must_look_like_names() -> None:
    assert clean_names("王建宏 张文攀") == "王建宏、张文攀"
    assert clean_names("徐睿翔素材来源 江苏") == "徐睿翔"  # a name ends where a label starts
    assert clean_names("胡晓蓉 责任编辑") == "胡晓蓉"
    assert clean_names("新华社") is None and clean_names("被称之为最缺乏手术根治信心的肺癌") is None
    assert clean_names("zboygirl") == "zboygirl" and clean_names("Joel Spolsky") == "Joel Spolsky"
    assert clean_names("林 薏茹") == "林薏茹"  # a typesetting space after the surname of a three-character name
    assert clean_names("cnBeta.COM") is None  # a site's domain


@pytest.mark.parametrize(("html", "author"), [
    (page(above="作者︱春春"), "春春"),  # bar separators after the label
    (page(above="文丨本报特约评论员 张三"), "张三"),
    (page(above="采写：李四"), "李四"),
    (page(first="新华社深圳5月12日电（记者戴小河、印朋）"), "戴小河、印朋"),  # a wire lead, names glued to 记者
    (page(first="新华社北京6月1日电（张三、李四）"), "张三、李四"),
    (page(last="（评论员 罗博 萧海川）"), "罗博、萧海川"),  # a commentator's sign-off
    (page(last="（编译/林靖东）"), "林靖东"),  # a translated piece credits its translator
    (page(last="（譯者：王嘉語/核稿：嚴思祺）1120823"), "王嘉語"),  # 中央社's, with its copy checker and date code
])
def test_byline_variants_of_the_convention(html: str, author: str):
    assert extract_html(html).author == author


@pytest.mark.parametrize(("html", "author"), [
    # the header's 作者 field holds the editor: the credited writer at the end wins
    (page(above="作者：陈海峰 责任编辑：陈海峰", last="（记者 方敏）"), "方敏"),
    (page(above="责任编辑：郭旭", last="（郭旭）"), None),  # a closing tag that is the editor's
    (page(head='<meta name="author" content="chinanews">'), None),  # the site's own handle
    (page(below="<div style='display:none'><div class='author'><a href='/a.html'>吴晓波</a></div></div>"), None),
    (page(below="<div class='slide'><div class='author'>吴晓波</div></div>"), None),  # another article's author
])
def test_editors_sites_and_other_articles_authors_are_not_the_author(html: str, author: str | None):
    assert extract_html(html).author == author


@pytest.mark.parametrize(("og_title", "title"), [
    ("武汉的声音：有英勇的你，才有英雄的城！-新华网", "武汉的声音：有英勇的你，才有英雄的城！"),
    ("暴雨过后_凤凰网", "暴雨过后"),
    ("芯片——国产替代的下一站", "芯片——国产替代的下一站"),  # a dash inside a headline stays
])
def test_a_site_name_glued_to_the_headline_is_not_part_of_it(og_title: str, title: str):
    html = (f"<html><head><meta property='og:title' content='{og_title}'></head><body>"
            + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</body></html>")
    assert extract_html(html).title == title


def test_a_platform_page_dated_only_in_its_script_gets_that_date():
    """WeChat leaves the visible date empty in the saved page and sets it from `var ct` (Unix seconds)."""
    html = page(below='<script>var ct = "1659274471"; var svr_time = "1700000000";</script>')
    assert extract_html(html).published_at == "2022-07-31T21:34:31+08:00"
    # the first look-alikes are passed over: a longer name, a name that only ends in "var"
    later = page(below='<script>var ctx = 1; avar ct = "1500000000"; var ct = "1659274471";</script>')
    assert extract_html(later).published_at == "2022-07-31T21:34:31+08:00"


@pytest.mark.parametrize(("html", "author"), [
    (page(last="（王煌忠／台中報導）"), "王煌忠"),  # a Taiwan sign-off
    (page(below="<p>（羅森）</p>"), "羅森"),  # a surname as Taiwan prints it
    (page(last="记者王海燕"), "王海燕"),  # a paragraph closing with the reporter glued to 记者
    (page(above="<div class='author'>上報快訊／范姜佳鈺</div>"), "范姜佳鈺"),  # outlet, then the person
    (page(head='<meta name="mediaid" content="搜狐政务">'), None),  # an account tag off a platform page
    (page(head='<meta name="mediaid" content="新浪财经">', title="人民币中间价_新浪财经_新浪网"), None),
    (page(above="鉅亨網記者 王莞甯 台北"), "王莞甯"),  # where the reporter was is no second name
    (page(above="鉅亨網記者王莞甯 台北"), "王莞甯"),  # …nor does it hide the name glued to 記者
    (page(above="本报记者张三 2024-04-29 10:00"), "张三"),  # the time after it neither
])
def test_sign_offs_accounts_and_outlet_bylines(html: str, author: str | None):
    assert extract_html(html).author == author


@pytest.mark.parametrize(("byline", "author"), [
    ('<span itemprop="author">澄明</span>', "澄明"),  # schema.org microdata marks the author
    ('<span itemprop="author"><span itemprop="name">澄明</span></span>', "澄明"),
    ('<div itemprop="comment"><span itemprop="author">澄明</span></div>', None),  # a comment's author
    ("<span>澄明</span>", None),  # an unmarked name of no common surname
    ('<div data-testid="author-name">澄明</div>', "澄明"),  # a React build's test id, where classes are hashes
    # a schema.org Person that names itself in a <meta> only (content=, or value= as some sites write it)
    ('<div itemprop="author" itemscope itemtype="http://schema.org/Person"><meta itemprop="name" content="澄明">'
     "</div>", "澄明"),
    ('<div itemprop="author" itemscope><meta itemprop="name" value="chengMing"></div>', "chengMing"),  # a handle
    ('<div itemprop="author" itemscope><meta itemprop="name" content="澄明">澄光</div>', "澄光"),  # as printed
    ('<div data-testid="feed-card"><span data-testid="author-name">澄明</span></div>', None),  # a card's author
])
def test_author_markup_by_microdata_or_test_id(byline: str, author: str | None):
    assert extract_html(page(above=byline)).author == author


@pytest.mark.parametrize(("byline", "author"), [  # names of no common surname: no line rule reads them
    # co-authors, each in an element of the same tag and names under one parent (公視)
    ("<div><span class='article-reporter'>澄明</span> <span class='article-reporter'>澄光</span></div>", "澄明、澄光"),
    # a site that marks its dateline's place alike prints it in another element: no second author
    ("<div><a class='article-author__name'>Lia Smith,</a> <span class='article-author__name'>Washington,</span></div>",
     "Lia Smith"),
])
def test_author_markup_beside_each_other(byline: str, author: str | None):
    assert extract_html(page(above=byline)).author == author


def test_a_name_in_the_headline_is_its_subject_not_its_author():
    html = page(above="<p>时光辉</p>").replace("<h1>春耕时节农机忙</h1>", "<h1>“70后”时光辉当选副市长</h1>")
    assert extract_html(html).author is None


def test_the_printed_part_of_an_og_title_is_the_headline():
    html = ("<html><head><meta property='og:title' content='10年前的凶宅下月拍賣 - 生活 - 自由時報'></head><body>"
            "<div>10年前的凶宅下月拍賣</div>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</body></html>")
    assert extract_html(html).title == "10年前的凶宅下月拍賣"


@pytest.mark.parametrize(("html", "url", "author"), [
    (page(head='<meta name="mediaid" content="搜狐政务">'), "https://www.sohu.com/a/73829_121", "搜狐政务"),
    (page(above="<div class='author-info__name'>中国新闻网 关注</div>"), "https://www.360kuai.com/pc/9a", "中国新闻网"),
    (page(above="<div class='author-info__name'>中国新闻网 关注</div>"), "https://news.example.cn/a.html", None),
])
def test_an_account_is_the_author_on_a_platform_page_only(html: str, url: str, author: str | None):
    assert extract_html(html, url).author == author


@pytest.mark.parametrize(("html", "author"), [
    (page(first="本报讯（记者叶婉）"), "叶婉"),  # reporters in brackets, glued to the label
    (page(above="新华社记者邹多为、唐诗凝、丁乐"), "邹多为、唐诗凝、丁乐"),  # an agency's byline line
    (page(above="记者调查 民意调查"), None),  # a menu that starts with 记者
    (page(first="新华社记者 李梦馨 摄 "), None),  # a photographer
    (page(head='<meta name="author" content="sina_mobile">'), None),  # a site handle
])
def test_reporter_bylines_and_what_only_looks_like_one(html: str, author: str | None):
    assert extract_html(html).author == author


@pytest.mark.parametrize(("html", "url", "author"), [
    # a commentator's affiliation and titles glued before the name, in the closing credit of a platform
    # page: the person beats the platform account
    (page(last="（本文来源：澄州日报 作者：澄州大学经济学院副院长，“城乡”研究中心主任、教授王建国）",
          head='<meta name="mediaid" content="澄州日报">'), "https://www.sohu.com/a/1_2", "王建国"),
    (page(above="作者：澄州市社会科学院研究员林晓"), None, "林晓"),
    (page(above="作者：澄州大学金融研究院执行院长王文、澄州大学金融研究院副研究员　王鹏"), None, "王文、王鹏"),  # each
    (page(above="作者：澄州某公司总经理助理"), None, None),  # a title's tail is no name
    (page(above="作者：教授"), None, None),  # nor is a title alone
])
def test_titles_and_an_affiliation_before_the_name_are_left_out(html: str, url: str | None, author: str | None):
    assert extract_html(html, url).author == author


def test_a_share_bar_printed_above_the_page_and_the_text_does_not_hide_the_wire_lead():
    """The text opens with a share bar's line that the page's header prints too: the byline zone is the
    copy right above the first paragraph, so the wire lead under it is read."""
    share = "点击浏览器下方分享给微信好友"
    header = f"<div>{share}</div>" + "".join(f"<div><a href='/c{n}'>栏目{n}</a></div>" for n in range(15))
    html = page(first="澄州社澄州5月19日电（李澄、周河）").replace(
        "<div class='article'>", f"<div class='article'><p>{share}</p>").replace("<body>", f"<body>{header}")
    assert extract_html(html).author == "李澄、周河"


@pytest.mark.parametrize(("title", "h1s", "headline"), [
    # a logo in an <h1>, named in <title> too: the article's own heading, else og:title
    ("春耕时节农机忙_【澄州资讯】", "<h1 class='site-logo'>澄州资讯</h1><h1>春耕时节农机忙</h1>", "春耕时节农机忙"),
    # a <title> that is only the site's name: the <h1> is the headline
    ("-澄州历史网", "<h1>春耕时节农机忙</h1>", "春耕时节农机忙"),
    # <title> writes the headline's dash as a hyphen
    ("芯片——国产替代的下一站-澄州网", "<h1>芯片——国产替代的下一站</h1>", "芯片——国产替代的下一站"),
    ("芯片-国产替代的下一站-澄州网", "<h1>芯片——国产替代的下一站</h1>", "芯片——国产替代的下一站"),
])
def test_the_headline_is_not_the_sites_logo_and_survives_a_rewritten_title(title: str, h1s: str, headline: str):
    html = page(title=title).replace("<h1>春耕时节农机忙</h1>", h1s)
    assert extract_html(html).title == headline


def test_a_date_glued_to_the_source_is_not_part_of_the_outlet():
    assert extract_html(page(above="来源：光明网-《光明日报》2024-05-20 03:15")).source == "光明网-《光明日报》"


@pytest.mark.parametrize(("html", "author"), [
    (page(above="文/图 李澄"), "李澄"),  # a compound label, the name after a space
    (page(above="图/文：李澄"), "李澄"),
    (page(above="来源：澄州网作者：李澄"), "李澄"),  # a label glued to the field before it
    (page(above="作者：李澄&周河"), "李澄、周河"),  # an ampersand between two people
    (page(below="发表人：放飞&心情"), "放飞&心情"),  # ... or inside one forum handle
    (page(above="作者：李澄 编译"), "李澄"),  # a role glued after the name is no second name
    (page(below="<div class='side'><h3>作者 推荐</h3></div>"), None),  # a sidebar's heading, no name
    (page(below="<div class='side'><h3>作者最新文章</h3></div>"), None),  # ... glued to the label
    (page(below="<div>作者 热门文章</div>"), None),
    (page(below="<div class='author-block'><div class='block-title'>关于作者</div></div>"), None),  # 'about'
])
def test_compound_and_glued_labels_ampersands_roles_and_headings(html: str, author: str | None):
    assert extract_html(html).author == author


def test_a_source_glued_to_the_author_label_ends_before_it():
    assert extract_html(page(above="来源：澄州网作者：李澄")).source == "澄州网"


_LD_OUTLET = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", '
              '"name": "澄州日报"}}</script>')
_TOUTIAO = "https://www.toutiao.com/article/7367007067191640576/?log_from=1"


@pytest.mark.parametrize(("html", "url", "author"), [
    # 头条's article URLs of today are platform pages: an account in author markup is the author ...
    (page(above="<div class='author-info__name'>澄州日报 关注</div>"), _TOUTIAO, "澄州日报"),
    # ... and so is an account named only in the JSON-LD author, which elsewhere names an outlet
    (page(head=_LD_OUTLET), _TOUTIAO, "澄州日报"),
    (page(head=_LD_OUTLET), "https://news.example.cn/a.html", None),
])
def test_a_platform_account_in_markup_or_json_ld(html: str, url: str, author: str | None):
    assert extract_html(html, url).author == author


@pytest.mark.parametrize(("above", "url", "author"), [
    ("澄州日报 2024-05-01 10:00", _TOUTIAO, "澄州日报"),  # a platform's account beside the time
    ("2024-05-01 10:00 · 澄州日报", _TOUTIAO, "澄州日报"),
    ("上海发布 2024-05-01 10:00", _TOUTIAO, "上海发布"),  # an office's account, named for what it does
    ("2024-05-01 10:00 · 上海发布", _TOUTIAO, "上海发布"),
    ("澄州日报 2024-05-01 10:00 发布于浙江", _TOUTIAO, "澄州日报"),  # the place a platform prints since 2022
    ("2024-05-01 10:00 · 澄州日报 · IP属地：浙江", _TOUTIAO, "澄州日报"),
    ("2024-05-01 10:00 发布于浙江", _TOUTIAO, None),  # a place, no account
    ("2024-05-01 10:00 · 今日头条", _TOUTIAO, None),  # the platform itself
    ("发布于 2024-05-01 10:00", _TOUTIAO, None),  # a label, no account
    ("澄州日报 2024-05-01 10:00", "https://news.example.cn/a.html", None),  # elsewhere an outlet's dateline
    ("李澄/澄州日报", None, "李澄"),  # the person, then the outlet
])
def test_an_account_beside_the_time_and_a_name_before_its_outlet(above: str, url: str | None, author: str | None):
    assert extract_html(page(above=above, title="春耕时节农机忙 - 今日头条"), url).author == author


@pytest.mark.parametrize(("script", "url", "author"), [
    ('var mediaInfo = {"name": "澄州日报", "avatar": "a.png"};', _TOUTIAO, "澄州日报"),  # a platform's account
    ('var mediaInfo = {"name": "澄州日报", "avatar": "a.png"};', "https://news.example.cn/a.html", None),
    ('window.__DATA__ = {"author": "李澄", "id": 3};', None, "李澄"),  # a person under a JSON "author" key
    ('window.__DATA__ = {"author": "admin", "id": 3};', None, None),  # ... not a site's user
    ('var nickname = htmlDecode("澄州发布");', "https://mp.weixin.qq.com/s/AbCdEf", "澄州发布"),  # WeChat today
    ('d.nick_name = "澄州发布";', "https://mp.weixin.qq.com/s/AbCdEf", "澄州发布"),  # its video and picture posts
    # its short posts' page object (NanmiCoder/NewsCrawler's wechat_news.py reads nick_name from it)
    ("window.cgiDataNew = {\n  nick_name: JsDecode('澄州发布'),\n  author: JsDecode('')\n};",
     "https://mp.weixin.qq.com/s/AbCdEf", "澄州发布"),
    ('var username = "cheng_ming"; var nickName = "澄明";', None, "澄明"),  # camelCase: CSDN's page variable
    ("UD.host = {userName:'chengming', nickName:'澄明的体育博客'};", None, "澄明的体育博客"),  # a blog's host
])
def test_an_author_or_account_set_only_in_a_script_object(script: str, url: str | None, author: str | None):
    assert extract_html(page(head=f"<script>{script}</script>"), url).author == author


@pytest.mark.parametrize("key", ["nickname", "nick_name", "nickName", "authorname", "author_name", "authorName"])
@pytest.mark.parametrize("mark", ["=", ":"])
def test_a_script_account_is_found_after_a_long_bundle(key: str, mark: str):
    """Script patterns are tried only where their words start (`_word_starts`): each key form the rule
    reads is still found after 60 KB of other code, and a word inside another name is no key."""
    bundle = "var f=function(a){return a+1};" * 2000
    decoy = 'var unauthorName = "不是我";' if key.startswith("author") else 'var mynickname = "不是我";'
    script = f'{bundle}{decoy}var {key} {mark} "澄州发布";'
    html = page(head=f"<script>{script}</script>")
    assert extract_html(html, "https://mp.weixin.qq.com/s/AbCdEf").author == "澄州发布"


def test_a_nickname_in_a_wiki_infobox_is_the_subjects_not_the_authors():
    """A wiki page's infobox lists facts about its subject, its nicknames among them (hCard's
    "nickname" class, which platforms also use for the account)."""
    row = '<tr><th>昵称</th><td class="nickname">小李、老李</td></tr>'
    assert extract_html(page(above=f"<table class='infobox vcard'>{row}</table>")).author is None
    assert extract_html(page(above=f"<table class='profile'>{row}</table>")).author == "小李、老李"


@pytest.mark.parametrize(("line", "author"), [
    ("作者：澄州大学历史学院李澄", "李澄"),  # the institution's unit glued before the name
    ("作者：澄州大学历史系 李澄", "李澄"),
    ("来源：澄州日报 2017-02-26 15:18 作者：澄州大学历史学院李澄", "李澄"),
    ("作者：澄州大学体系建设", None),  # what follows the unit is no name
])
def test_an_institution_printed_before_the_name_is_left_out(line: str, author: str | None):
    assert extract_html(page(below=f"<p>{line}</p>")).author == author


def test_a_copyright_footer_taken_in_with_the_text_does_not_push_the_credit_line_out_of_the_closing_zone():
    """The closing zone follows the text's last paragraph; a copyright footer is no paragraph of it."""
    credit = "来源：澄州日报 2017-02-26 15:18 作者：澄州大学历史学院李澄"
    footer = ["（本文经澄州日报授权转载）", "点击阅读原文", "【关闭窗口】", "友情链接",
              "Copyright©2014 澄州大学国学院版权所有 All Rights Reserved. 地址：澄州市文华路 邮编：430072"]
    lines = ["春耕时节农机忙", *ARTICLE, credit, *footer]
    zones = page_zones(lines, "春耕时节农机忙", "\n".join([*ARTICLE, credit, *footer]))
    assert credit in zones.tail


@pytest.mark.parametrize(("line", "author"), [
    ("（作者：李澄北京大学经济学院教授）", "李澄"),  # a two-character name glued to its affiliation
    ("（作者：欧阳澄上海交通大学副教授）", "欧阳澄"),  # three characters: the place marks where the name ends
    ("（作者：李澄澄州大学教授）", None),  # no place opens the affiliation: the name's end is unknown
])
def test_a_name_glued_before_its_affiliation_is_read_up_to_the_place_that_opens_it(line: str, author: str | None):
    assert extract_html(page(below=f"<p>{line}</p>")).author == author


@pytest.mark.parametrize("page_title", [
    "中国——东盟合作开新篇_新闻频道_澄州网",  # the headline opens the <title>
    "澄州网--新闻频道--中国——东盟合作开新篇",  # or closes it
])
def test_a_headline_with_its_own_dashes_is_read_whole_from_the_title(page_title: str):
    """No <h1>: the <title>'s headline is the line the page prints, dashes and all, not the piece
    after its dash."""
    html = page(title=page_title).replace("<h1>春耕时节农机忙</h1>", "<div>中国——东盟合作开新篇</div>")
    assert extract_html(html).title == "中国——东盟合作开新篇"


def test_a_title_naming_only_a_channel_gives_way_to_the_marked_headline_above_the_text():
    """<title> "site-channel", no <h1>, the channel printed as a menu link: the headline is the line
    above the text that headline markup holds."""
    html = page(title="澄州网-新闻频道").replace(
        "<h1>春耕时节农机忙</h1>", "<a href='/news/'>新闻频道</a><div class='news-title'>春耕时节农机忙</div>")
    assert extract_html(html).title == "春耕时节农机忙"


@pytest.mark.parametrize(("above", "head"), [
    # a related article listed above the dateline, its headline a link and its date beside it
    ("<ul><li><a href='/a'>去年春耕回顾：全县机播过半</a> 2023-04-01</li></ul>"
     "<div>2024-04-29 09:36 来源：澄州日报</div>", ""),
    # ... its headline spaced with &nbsp; or an ideographic space, which the page's lines collapse too
    ("<ul><li><a href='/a'>去年春耕回顾：全县&nbsp;机播过半</a> 2023-04-01</li></ul>"
     "<div>2024-04-29 09:36 来源：澄州日报</div>", ""),
    ("<ul><li><a href='/a'>去年春耕回顾：全县\u3000机播过半</a> 2023-04-01</li></ul>"
     "<div>2024-04-29 09:36 来源：澄州日报</div>", ""),
    # one listed after the byline, the article's own date in a meta tag
    ("<div>来源：澄州日报</div><div><a href='/a'>去年春耕回顾：全县机播过半</a> 2023-04-01</div>",
     "<meta name='publishdate' content='2024-04-29 09:36'>"),
    # a video player's build stamp above the dateline
    ("<div class='video-player'>player v2.3 build 2019-03-05</div><div>2024-04-29 09:36 来源：澄州日报</div>", ""),
])
def test_a_listed_headlines_date_or_a_players_stamp_does_not_date_the_page(above: str, head: str):
    assert extract_html(page(above=above, head=head)).published_at == "2024-04-29T09:36:00+08:00"


@pytest.mark.parametrize("link", ["<a href='/'>澄州日报</a>", "<a href='/'>http://www.chengzhou.cn/</a>"])
def test_a_dateline_beside_its_source_link_still_dates_the_page(link: str):
    assert extract_html(page(above=f"<div>{link} 2024-04-29 09:36</div>")).published_at == "2024-04-29T09:36:00+08:00"


@pytest.mark.parametrize(("byline", "author"), [
    ("原创：李澄", "李澄"),  # a self-media page's 原创 label
    ("原创：澄州日报", None),  # …which may name an outlet
    ("文/李澄 图/王明", "李澄"),  # text and photos credited apart
    ("记者 李澄 摄影 王明", "李澄"),  # 摄影 labelling the next name
    ("新华社记者 李梦馨 摄", None),  # 摄 after a name: a photographer
    ("作者：澄州大学教授 李澄", "李澄"),  # affiliation and title, a space, the name
    ("李澄 王明 / 澄州日报", "李澄、王明"),  # names, then their outlet
    ("李澄发布于2024-05-01", "李澄"),  # 发布 glued after a name, or apart from it, is no part of it
    ("作者：李澄 发布", "李澄"),
    ("本报记者 李澄 通讯员 王明 赵强", "李澄、王明、赵强"),  # roles credited one after the other
    ("记者 李澄 责任编辑：王明", "李澄"),  # ... but an editor after the reporter is none
    ("作者李澄|来源澄州日报|2024-04-29", "李澄"),  # a bar-separated meta line, labels glued to values
    ("作者表示|来源澄州日报", None),  # ... where only a surname starts a name
    ("李澄/编译", "李澄"),  # a translator, when nobody else is named
    ("执笔/李澄、王明&赵强", "李澄、王明、赵强"),  # 、 and & in one list
    ("执笔/叨叨姐、胡一刀&李小飞刀", "叨叨姐、胡一刀、李小飞刀"),  # ... pen names too, as it is a list
    ("作者：放飞&心情", "放飞&心情"),  # & alone between two words that are no names: one handle
])
def test_byline_label_variants(byline: str, author: str | None):
    assert extract_html(page(above=byline)).author == author


@pytest.mark.parametrize("placeholder", ["佚名", "未知", "不详", "网友", "小编", "无名氏"])
def test_a_word_that_stands_in_for_a_name_is_no_author(placeholder: str):
    assert extract_html(page(above=f"作者：{placeholder}")).author is None


@pytest.mark.parametrize(("box", "author"), [
    ("<div class='media-name'><a title='澄州日报新媒体中心'>澄州日报新媒…</a></div>", "澄州日报新媒体中心"),
    ("<div class='media-name' title='澄州日报新媒体中心'>澄州日报新媒...</div>", "澄州日报新媒体中心"),
    ("<div class='media-name'><a title='关注'>澄州日报新媒…</a></div>", None),  # a title that is not the name
])
def test_an_account_name_shortened_to_fit_its_box_is_read_whole_from_its_title(box: str, author: str | None):
    assert extract_html(page(above=box), _TOUTIAO).author == author



def _headline_again(above: str, between: str = "", far: int = 0) -> str:
    """A page whose text opens with its headline again; `far` menu lines under the headline."""
    menu = "".join(f"<div>菜单第{i}项</div>" for i in range(far))
    opening = f"<div class='article'>{between}<p>春耕时节农机忙</p>"
    return page(above=above + menu).replace("<div class='article'>", opening)


@pytest.mark.parametrize(("above", "between", "author"), [
    ("<div>2024-04-29 09:36 澄州日报</div>", "", None),
    ("<div>2024-04-29 09:36 来源：澄州日报 记者 李澄</div>", "<div>原标题：春耕时节农机忙</div>", "李澄"),
])
def test_the_dateline_under_the_headline_is_read_when_the_text_repeats_the_headline(above: str, between: str,
                                                                                    author: str | None):
    """Some sites print the headline again as the text's first line, below the date and byline: those
    are read under the headline above it."""
    found = extract_html(_headline_again(above, between))
    assert (found.author, found.published_at) == (author, "2024-04-29T09:36:00+08:00")


def test_a_headline_printed_far_above_its_copy_does_not_widen_the_byline_zone():
    """Twelve lines between the headline and its copy over the text: the copy's other line is no
    headline of this text (a story list), and a date under it does not date the page."""
    assert extract_html(_headline_again("<div>2024-04-29 09:36</div>", far=12)).published_at is None


def _ld_authors(*entries: tuple[str, str]) -> str:
    authors = ", ".join(f'{{"@type": "{kind}", "name": "{name}"}}' for kind, name in entries)
    return f'<script type="application/ld+json">{{"@type": "NewsArticle", "author": [{authors}]}}</script>'


@pytest.mark.parametrize(("head", "author"), [
    (_ld_authors(("Person", "李澄"), ("Person", "王明")), "李澄、王明"),  # every person, not the first only
    (_ld_authors(("Person", "林欣儀_台中"),), "林欣儀"),  # where they reported from, as 中時 tags its writers
    (_ld_authors(("Person", "胡欣男、新聞透視"),), "胡欣男"),  # a writer and their column
    (_ld_authors(("Organization", "澄州日报"), ("Person", "李澄")), "李澄"),  # the people, not the outlet
    (_ld_authors(("Person", "Lia Smith"), ("Person", "Yaron Stein")), "Lia Smith、Yaron Stein"),
])
def test_json_ld_names_every_author(head: str, author: str):
    assert extract_html(page(head=head)).author == author


def test_json_ld_types_given_as_lists_are_read():
    """schema.org allows several types: "@type": ["Person"] is a person, ["Organization", …] none."""
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": ['
            '{"@type": ["Organization", "NewsMediaOrganization"], "name": "澄州日报"}, '
            '{"@type": ["Person"], "name": "李澄"}]}</script>')
    assert extract_html(page(head=head)).author == "李澄"


@pytest.mark.parametrize(("above", "below", "author"), [
    ("<div><a href='/u/676271'>空手</a></div><div>2021-03-02</div>", "", "空手"),  # a pen name, no surname
    ("<header><a href='https://www.example.cn/people/79294582/'><span>一只文子026</span></a> 评论 一本书</header>",
     "", "一只文子026"),
    ("<div>2021-03-02</div>", "<div class='comments'><a href='/u/1'>路人甲</a> 说得好</div>", None),  # a reader
    ("<div>2021-03-02</div><div>热门作者 <a href='/u/1'>空手</a></div>", "", None),  # not opening a byline
    ("<div><a href='/tag/123'>空手</a> 2021-03-02</div>", "", None),  # a tag's page, not a user's
])
def test_a_byline_opening_with_a_link_to_its_users_page_names_the_author(above: str, below: str,
                                                                         author: str | None):
    assert extract_html(page(above=above, below=below)).author == author


@pytest.mark.parametrize(("href", "author"), [
    ("http://ent.example.cn/", None),  # a channel's home page: the markup names the channel
    ("https://www.example.cn/media/T1.html", "澄州娱乐"),  # the account's own page
    ("#", "澄州娱乐"),  # a link the page's script handles: no home page
])
def test_account_markup_linking_to_a_home_page_names_a_channel(href: str, author: str | None):
    above = f"<span id='pub_date'>2009年11月09日13:48</span> <span id='media_name'><a href='{href}'>澄州娱乐</a></span>"
    assert extract_html(page(above=above), "https://ent.example.cn/a.html").author == author


def test_where_a_post_was_sent_from_is_no_account():
    """WeChat prints the sender's province after the time."""
    assert extract_html(page(above="2024年12月18日 18:08 江苏"), "https://mp.weixin.qq.com/s/abc").author is None


def test_the_pages_own_nickname_beats_one_in_an_ads_script():
    ad = "<script>var ad = {biz_info: {nick_name: '澄州广告'}};</script>"
    own = '<script>var nickname = htmlDecode("澄州日报");</script>'
    assert extract_html(page(head=ad + own), "https://mp.weixin.qq.com/s/abc").author == "澄州日报"


@pytest.mark.parametrize(("url", "organisation", "author"), [
    ("https://news.example.cn/a.html", "Chengzhou Daily", None),  # the publisher
    ("https://www.toutiao.com/article/7000000000000000000/", "澄州日报", "澄州日报"),  # the account that posted it
])
def test_an_organisation_json_ld_names_as_author_is_an_account_only_on_a_platform(url: str, organisation: str,
                                                                                 author: str | None):
    assert extract_html(page(head=_ld_authors(("Organization", organisation))), url).author == author


@pytest.mark.parametrize("above", [
    "<p><span class='author'><a href='/user/1'>刘素楠</a> <i>·</i> </span><span>2019/05/16 21:47</span></p>",
    "<div class='author'><a href='search.php?k=1'>刘素楠</a>  2023年09月01日 07:02:00</div>",  # the time in it
])
def test_author_markup_holding_the_time_or_the_mark_before_the_next_field_is_read(above: str):
    assert extract_html(page(above=above)).author == "刘素楠"


def test_author_markup_named_the_bem_way_is_read():
    above = "<div class='p-article__authorName'>関谷智</div><div class='p-article__authorRole'>国际部记者</div>"
    assert extract_html(page(above=above)).author == "関谷智"


def test_the_sites_outlet_is_no_author_though_a_blog_is_named_after_its_blogger():
    site = "<meta property='og:site_name' content='澄州時報電子報'>"
    assert extract_html(page(head=site + '<script>var nickname = "澄州時報";</script>')).author is None
    blog = page(title="海姑娘 | blog.example.com", above="本贴由海姑娘于2005年8月12日发表")
    assert extract_html(blog).author == "海姑娘"


@pytest.mark.parametrize(("first", "author"), [
    ("生活中心／賴俊佑報導 ", "賴俊佑"),  # a desk, then its reporter, opening the text
    ("〔政治中心／張大同、李小明報導〕", "張大同、李小明"),
    ("地方中心／高雄報導 ", None),  # where the desk reports from (高 is a surname too)
    ("地方中心／高雄市報導 ", None),
    ("〔地方中心／羅東報導〕", None),  # a township: two characters, where a reporter's name has three
    ("體育中心／綜合報導 ", None),  # a compilation
])
def test_a_taiwan_desk_then_its_reporter(first: str, author: str | None):
    assert extract_html(page(first=f"{first}</p><p>")).author == author


@pytest.mark.parametrize("under", ["马上评", "时评", "周末", "黄金周"])
def test_a_column_tag_under_a_headline_like_a_sentence_is_no_name(under: str):
    """A name alone under a short heading signs an essay; under a headline like a sentence the line is as
    often a column's tag, which starts with a surname as often ("马上评")."""
    html = page(above=f"<div>{under}</div>", title="春耕时节，农机为何这么忙？_新闻中心")
    assert extract_html(html.replace("<h1>春耕时节农机忙</h1>", "<h1>春耕时节，农机为何这么忙？</h1>")).author is None


@pytest.mark.parametrize(("above", "url", "author"), [
    ("澄州日报 2023年09月01日 07:02:00", "https://www.toutiao.com/article/7000000000000000000/", "澄州日报"),
    ("澄州日报 · 2019/05/16 21:47来源：澄州网", "https://www.toutiao.com/article/7000000000000000000/", "澄州日报"),
    # off a platform the name before the time is anything: an outlet, a city, a channel, a weekday
    ("金融界 2024-05-01 10:00", "https://news.example.cn/a.html", None),
    ("石家庄 2024年05月01日 10:00", "https://news.example.cn/a.html", None),
    ("周三 2024-05-01 10:00", "https://news.example.cn/a.html", None),
])
def test_the_name_before_the_time_is_an_account_only_on_a_platform(above: str, url: str, author: str | None):
    assert extract_html(page(above=above), url).author == author


@pytest.mark.parametrize(("byline", "author"), [
    ("TRIPP MICKLE", "TRIPP MICKLE"),  # a Latin name in capitals, as printed
    ("Associated Press", None),  # an agency
    ("CNN WIRE", None),
    ("CHINA DAILY", None),
    ("GLOBAL TIMES", None),
])
def test_latin_bylines_in_capitals_and_english_outlets(byline: str, author: str | None):
    assert extract_html(page(head=f"<meta name='byline' content='{byline}'>")).author == author


def test_who_picked_a_reprint_is_its_editor_and_no_author_though_the_tag_names_them():
    """东方网 prints "作者:… 选稿:…" in a block above the headline, and fills the author tag with the 选稿;
    a sidebar's "作者：" above the headline does not beat a tag that names nobody printed as an editor."""
    credits = "<div>来源:新华社 作者:周效政 韩洁 高攀 选稿:王珂然</div>"
    html = page(head="<meta name='author' content='王珂然'>").replace("<h1>", f"{credits}<h1>")
    assert extract_html(html).author == "周效政、韩洁、高攀"
    assert extract_html(page(below="作者:周效政 选稿:王珂然")).editor == "王珂然"
    sidebar = ("<div class='sidebar'><h3>专栏推荐</h3><ul><li><a href='/col/1.html'>乡村振兴的新路径</a></li>"
               "<li>作者：王五</li></ul></div>")
    html = page(head="<meta name='author' content='李四'>").replace("<h1>", f"{sidebar}<h1>")
    assert extract_html(html).author == "李四"


@pytest.mark.parametrize(("above", "first", "author"), [
    ("作者：谢文鑫", "澄州网讯 记者谢文鑫报道：", "谢文鑫"),  # read whole in one line, cut in the next: one name
    ("本报记者 李明 李明华", "", "李明、李明华"),  # two people of one byline, one name the start of the other
    ("", "作者：庆凡 微信公众号：澄州参考（hyzb）", "庆凡"),  # the writer, then their account's label
])
def test_a_name_read_twice_and_a_writers_account_after_the_name(above: str, first: str, author: str):
    assert extract_html(page(above=above, first=f"{first}</p><p>")).author == author


def test_a_title_is_stored_without_the_zero_width_space_the_page_prints():
    html = page(title="\u200b【春耕】农机忙_新闻中心")
    html = html.replace("<h1>春耕时节农机忙</h1>", "<h1>\u200b【春耕】农机忙</h1>")
    assert extract_html(html).title == "【春耕】农机忙"


def test_a_label_inside_what_another_label_took_is_read():
    credit = "（本文来源：澄州日报 作者：澄州宏观经济研究院经济研究所 执笔人：刘雪燕 何明洋）"
    assert extract_html(page(last=credit)).author == "刘雪燕、何明洋"


@pytest.mark.parametrize(("first", "author"), [
    ("中新网10月10日 (李金磊) ", "李金磊"),  # an outlet's lead without its 电
    ("中新网10月10日 (图文) ", None),  # unlabelled: only a name with a common surname
    ("中新网5月1日（周三） ", None),  # the day of the week (周 is a surname too)
    ("据新华社5月1日（周三）报道，", None),  # a line citing the outlet
])
def test_an_outlets_lead_without_its_dispatch_mark(first: str, author: str | None):
    assert extract_html(page(first=first)).author == author


def test_a_name_in_the_script_of_a_page_no_platform_published_is_no_account_to_drop():
    """The account beside a writer is dropped from a byline (WeChat's "原创： 迷死氧 新氧"); off a platform,
    the script's name is one of the writers."""
    head = '<script>var info = {"author": "胡浩"};</script>'
    assert extract_html(page(first="新华社记者胡浩、孙少龙</p><p>", head=head)).author == "胡浩、孙少龙"


def test_an_author_tag_naming_whom_the_page_prints_as_its_editor_is_none():
    html = page(head="<meta name='author' content='杨书杰'>")
    assert extract_html(html).author == "杨书杰"
    assert extract_html(html.replace("<h1>", "<div>我要纠错编辑：杨书杰 责任编辑：刘慧</div><h1>")).author is None


def test_a_title_printed_whole_less_its_site_keeps_its_own_dashes():
    headline = "闪亮的名字，绚丽的青春——记春耕时节的农机手（下）"
    html = page(title=f"{headline}-澄州网").replace("<h1>春耕时节农机忙</h1>", f"<h1></h1><div>{headline}</div>")
    assert extract_html(html).title == headline


def test_an_og_title_naming_only_an_outlet_gives_way_to_the_title():
    html = page(title="春耕时节农机忙", head="<meta property='og:title' content='澄州新闻网'>")
    html = html.replace("<h1>春耕时节农机忙</h1>", "<div>春耕时节农机忙</div><div>澄州新闻网</div>")
    assert extract_html(html).title == "春耕时节农机忙"


def test_an_author_tag_crediting_a_desk_that_compiled_the_story_is_none():
    assert extract_html(page(head="<meta property='article:author' content='国内足球综合'>")).author is None
    assert extract_html(page(head="<meta property='article:author' content='王明'>")).author == "王明"


def test_a_closing_credit_in_brackets_naming_the_reporter_then_a_trainee_editor():
    got = extract_html(page(last="</p><p>（澄州日报 记者：沈则瑾 见习编辑：覃皓珺）"))
    assert (got.author, got.editor) == ("沈则瑾", "覃皓珺")


_LD_GRAPH = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
             '{"@type": "NewsArticle", "datePublished": "2024-04-29T09:36:00+08:00", "author": AUTHOR}, '
             '{"@type": "Person", "@id": "https://news.example.cn/#/person/1", "name": "李澄"}]}</script>')


@pytest.mark.parametrize("author", [
    '{"@type": "Person", "name": "李澄"}',
    '{"@id": "https://news.example.cn/#/person/1"}',  # a graph names its people once, by reference
])
def test_json_ld_graphs_and_their_references_are_read(author: str):
    found = extract_html(page(head=_LD_GRAPH.replace("AUTHOR", author)))
    assert (found.author, found.published_at) == ("李澄", "2024-04-29T09:36:00+08:00")


def test_malformed_links_and_addresses_are_no_error():
    """urlsplit raises on a bad IPv6 host; a page may hold any href."""
    below = '<a href="http://[bad/u/1">x</a>'
    assert extract_html(page(above="2024-05-01 10:00", below=below), "https://www.example.com/a/1.html").author is None
    box = "<span class='media_name'><a href='http://[bad'>澄州日报</a></span>"
    assert extract_html(page(above=box), "https://baijiahao.baidu.com/s?id=1").author == "澄州日报"
    assert extract_html(page(head="<meta name='author' content='李澄'>"), "http://[bad/a").author == "李澄"


def test_an_author_that_spells_the_sites_host_is_the_site():
    head = _ld_authors(("Person", "Al-Bawaba"))  # sites type their own name as a person too
    assert extract_html(page(head=head), "https://www.albawaba.com/news/a.html").author is None
    assert extract_html(page(head=head), "https://www.al-bawaba.com/news/a.html").author is None  # both hyphenated
    assert extract_html(page(head=head), "https://news.example.cn/a.html").author == "Al-Bawaba"


@pytest.mark.parametrize(("above", "head", "published"), [
    ("更新时间：2024-05-02 10:00", "<meta name='publishdate' content='2024-04-29 09:36'>", "2024-04-29T09:36:00+08:00"),
    ("更新时间：2024-05-02 10:00 发布时间：2024-04-29 09:36", "", "2024-04-29T09:36:00+08:00"),
    ("最后更新于 2024-05-02 10:00", "", "2024-05-02T10:00:00+08:00"),  # no publication date printed: the update's
])
def test_an_update_time_dates_the_page_only_when_no_publication_time_is_given(above: str, head: str, published: str):
    assert extract_html(page(above=above, head=head)).published_at == published


@pytest.mark.parametrize(("h1", "page_title", "title"), [
    ("<h1><span class='badge'>原创</span> 春耕时节农机忙</h1>", "原创 春耕时节农机忙_新闻中心", "春耕时节农机忙"),
    ("<h1>【原创】春耕时节农机忙</h1>", "【原创】春耕时节农机忙_新闻中心", "春耕时节农机忙"),
    ("<h1>原创力量</h1>", "原创力量_新闻中心", "原创力量"),  # a headline that starts with the word keeps it
])
def test_a_badge_before_the_headline_is_no_part_of_it(h1: str, page_title: str, title: str):
    assert extract_html(page(title=page_title).replace("<h1>春耕时节农机忙</h1>", h1)).title == title


def test_a_platform_account_box_in_a_sidebar_names_the_author():
    """网易号 prints its account box (post_wemedia_name) in the sidebar that pruning takes: on a platform
    page the box is read before; elsewhere a sidebar's names are other articles' authors."""
    stories = "".join(f"<li><a href='/dy/article/{n}.html'>澄州日报的另一篇文章标题第{n}篇</a></li>" for n in range(8))
    box = "<div class='post_wemedia_name'><a href='/dy/media/T1.html'>澄州日报</a></div>"
    html = page(below=f"<div class='post_side'><div class='post_wemedia'>{box}</div><ul>{stories}</ul></div>")
    assert extract_html(html, "https://www.163.com/dy/article/J2PBDVUF0511A6N9.html").author == "澄州日报"
    assert extract_html(html, "https://news.example.cn/a.html").author is None


@pytest.mark.parametrize(("above", "tag", "published"), [
    # the page's printed time wins; the tag's adds one where the page prints none
    ("2024年04月29日 09:05 来源：澄州日报", "2024-04-29T09:10:42+08:00", "2024-04-29T09:05:00+08:00"),
    ("2024年04月29日 来源：澄州日报", "2024-04-29T09:10:42+08:00", "2024-04-29T09:10:42+08:00"),
])
def test_the_printed_time_beats_a_tags_time_on_the_same_day(above: str, tag: str, published: str):
    head = f"<meta property='article:published_time' content='{tag}'>"
    assert extract_html(page(above=above, head=head)).published_at == published


def test_a_comments_post_time_in_the_pages_script_does_not_date_it():
    comments = '<script>var comments = {"list": [{"nick": "网友", "postTime": "2024-05-09 10:00:00"}]};</script>'
    url = "https://news.example.cn/2024/05/01/123.html"
    assert extract_html(page(below=comments), url).published_at == "2024-05-01"


@pytest.mark.parametrize(("above", "head", "below", "published"), [
    # CSDN prints another article's time where its own would be; its own is in the page's script
    ("李澄 最新推荐文章于 2024-02-02 22:51:05 发布", '<script>var postTime = "2016-10-06 18:02:38";</script>', "",
     "2016-10-06T18:02:38+08:00"),
    # 知乎's "编辑于" is an update: a tag's day beats it above the text, and it closing the text stands alone
    ("编辑于 2025-04-22 18:07", "<meta name='publishdate' content='2025-02-11 11:10'>", "",
     "2025-02-11T11:10:00+08:00"),
    ("", "", "编辑于 2025-04-22 18:07 ・北京", "2025-04-22T18:07:00+08:00"),
])
def test_another_articles_date_and_an_edit_date(above: str, head: str, below: str, published: str):
    assert extract_html(page(above=above, head=head, below=below)).published_at == published


@pytest.mark.parametrize(("h1", "title"), [
    ("NOIP2013货车运输", "NOIP2013货车运输"),  # a <title> rewritten for search engines: the page's own headline
    ("科技", "算法详解"),  # a channel's name is no headline
    ("澄州博客 Chengzhou Blog", "算法详解"),  # nor is its banner, which the <title> names
])
def test_a_title_the_page_never_prints_gives_way_to_its_printed_h1(h1: str, title: str):
    html = page(title="算法详解-澄州博客").replace("<h1>春耕时节农机忙</h1>", f"<h1>{h1}</h1>")
    assert extract_html(html).title == title


@pytest.mark.parametrize(("over_headline", "tag", "url", "published"), [
    # a tag or the URL gives the day alone; the page prints its minute above the headline
    ("2024/04/29 09:36", "2024-04-29", None, "2024-04-29T09:36:00+08:00"),
    ("2024/04/29 09:36", None, "https://news.example.cn/2024-04-29/a.html", "2024-04-29T09:36:00+08:00"),
    ("2024/04/28 09:36", "2024-04-29", None, "2024-04-29"),  # another day's time is no time of this one
])
def test_a_day_known_from_a_tag_or_the_url_takes_the_time_printed_near_the_headline(
        over_headline: str, tag: str | None, url: str | None, published: str):
    head = f"<meta property='article:published_time' content='{tag}'>" if tag else ""
    html = page(head=head).replace("<h1>", f"<div>{over_headline}</div><h1>")
    assert extract_html(html, url).published_at == published


@pytest.mark.parametrize(("text", "found"), [
    ("发布时间：04-29 09:36", (4, 29, "09:36")),
    ("发布时间：04-2909:36澄州网络科技有限公司", (4, 29, "09:36")),  # the time's span glued to the day's
    ("4月29日", (4, 29, None)),
    ("2024-04-29 09:36", None),  # a full date is no yearless one
    ("04-29", None),  # without a time: a score, a code, anything
    ("比分 3-2", None),
])
def test_a_day_printed_without_its_year(text: str, found: tuple[int, int, str | None] | None):
    assert find_yearless(text) == found


@pytest.mark.parametrize(("first", "published"), [
    ("百家号10-09 16:17", "2018-10-09T16:17:00+08:00"),  # a platform's dateline opening the text, with its time
    ("10月9日晚", None),  # without one: the news's own day
])
def test_a_yearless_dateline_opening_the_text(first: str, published: str | None):
    head = "<meta itemprop='dateUpdate' content='2018-10-09 16:17:42'>"
    assert extract_html(page(first=f"{first}</p><p>", head=head)).published_at == published


@pytest.mark.parametrize(("head", "published"), [
    # the year from any date tag on the printed month and day (an itemprop the convention allows)
    ("<meta itemprop='dateUpdate' content='2024-04-29 09:36:13'>", "2024-04-29T09:36:00+08:00"),
    ("<meta itemprop='dateUpdate' content='2024-05-02 10:00:00'>", None),  # another day: no year to take
])
def test_a_yearless_dateline_takes_its_year_from_a_tag_on_that_day(head: str, published: str | None):
    assert extract_html(page(above="发布时间：04-29 09:36", head=head)).published_at == published


@pytest.mark.parametrize(("html", "author"), [
    (page(above="<strong id='article-byline'>Article Information</strong>"), None),  # a byline block's heading
    (page(above="<div class='byline'>By Amy Smith</div>"), "Amy Smith"),  # an English byline's "By"
    (page(head='<script>var data = {"author": "tm-ci023cf8ae400125f5"};</script>'), None),  # a machine's id
    (page(head='<script>var data = {"author": "用户3856231234"};</script>'), None),  # a platform's default name
])
def test_english_bylines_headings_and_ids(html: str, author: str | None):
    assert extract_html(html).author == author


@pytest.mark.parametrize(("html", "author"), [
    (page(above="<div class='author-box'>發佈時間: 2020/08/07</div>"), None),  # a traditional 發佈 label is none
    (page(last="</p><p>記者︰李澄</p><p>編輯：王明"), "李澄"),  # a closing credit with a vertical-form colon
    (page(last="</p><p>記者：李澄"), "李澄"),
])
def test_hong_kong_credit_forms(html: str, author: str | None):
    assert extract_html(html).author == author


def test_author_markup_repeated_in_cards_of_other_articles_names_no_author():
    """A slider of other articles, each card's author in the same author markup: none is this page's
    author, whatever the slider's class (here misspelt); two authors side by side in one byline are."""
    cards = "".join(f"<li><a href='/a/{n}'>另一篇报道第{n}篇</a><p class='silder_author'>{name}</p></li>"
                    for n, name in enumerate(["李澄", "王明", "赵强"]))
    assert extract_html(page(below=f"<ul>{cards}</ul>")).author is None
    byline = "<div><span class='author'>李澄</span> <span class='author'>王明</span></div>"
    assert extract_html(page(above=byline)).author == "李澄、王明"  # both of one byline's names


@pytest.mark.parametrize(("title", "byline", "author"), [
    ("春耕时节农机忙_澄州网", "文｜澄州 李澄", "李澄"),  # the site's outlet before the writer's name
    ("春耕时节农机忙_澄州日报", "文｜澄州 李澄", "李澄"),
    ("春耕时节农机忙_李澄的博客", "文｜李澄 王明", "李澄、王明"),  # a blog's owner among its writers stays
])
def test_the_sites_outlet_is_no_name_of_a_byline(title: str, byline: str, author: str):
    assert extract_html(page(title=title, above=byline)).author == author


@pytest.mark.parametrize(("above", "last", "author"), [
    ("来源：澄州网作者：李澄责编：李澄", "", "李澄"),  # the 作者 named is also the editor, and nobody else is credited
    ("作者：李澄 责任编辑：李澄", "（作者：王明）", "王明"),  # ... but yields to a writer credited elsewhere
])
def test_a_byline_naming_the_editor_yields_only_to_another_writer(above: str, last: str, author: str):
    assert extract_html(page(above=above, last=last)).author == author


@pytest.mark.parametrize(("slot", "author"), [
    ("<em class='rich_media_meta rich_media_meta_text'>🌏李澄</em>", "李澄"),  # the author slot, its emoji dropped
    ("<em class='rich_media_meta rich_media_meta_text'>读澄州关注☞</em>", "澄州日报"),  # a teaser: the account
    ("<em id='publish_time' class='rich_media_meta rich_media_meta_text'>2024-04-29</em>", "澄州日报"),  # today's
])
def test_wechats_author_slot_beats_its_account(slot: str, author: str):
    """WeChat's 2014-2019 template prints the author in an <em> without an id beside the date and the
    account; its later templates give every such <em> an id (the date, the IP place)."""
    meta = (f"<em id='post-date' class='rich_media_meta rich_media_meta_text'>2018-01-03</em>{slot}"
            "<span class='rich_media_meta rich_media_meta_text rich_media_meta_nickname'>澄州日报</span>")
    assert extract_html(page(above=meta), "https://mp.weixin.qq.com/s/AbCdEf").author == author


@pytest.mark.parametrize(("above", "head", "published"), [
    ("2024-04-29 HKT 09:36", "", "2024-04-29T09:36:00+08:00"),  # a Hong Kong page names its zone
    # a date the page does not print whole ("今日", or split across widgets): its data's publication time
    ("今日 09:36", "<script>ejValue['publishDateTime']=\"2024-04-29 09:36:00\";</script>", "2024-04-29T09:36:00+08:00"),
    ("<div>2024</div><div>04/29</div><div>09:36</div>",
     '<script>window.DATA = {"title": "x", "pubtime": "2024-04-29 09:36:45"};</script>', "2024-04-29T09:36:45+08:00"),
])
def test_dates_in_hong_kong_form_or_only_in_the_pages_data(above: str, head: str, published: str):
    assert extract_html(page(above=above, head=head)).published_at == published


@pytest.mark.parametrize(("byline", "author"), [
    ("【聯合報╱本報記者李澄】", "李澄"),  # the box-drawing slash of Taiwan's bylines, an outlet before the role
    ("【聯合晚報╱記者李澄╱即時報導】", "李澄"),
    ("記者李澄、王明／台北報導", "李澄、王明"),  # several reporters before the place
    ("新頭殼newtalk2014.10.24 李澄/高雄報導", "李澄"),  # the name and the place, after the outlet and date
    ("（整理：實習編輯王明）", None),  # an intern editor's credit, its name cut off at 編輯: no author
])
def test_taiwan_byline_forms(byline: str, author: str | None):
    assert extract_html(page(above=byline)).author == author


def _headed(head: str, above_text: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in ARTICLE)
    return f"<html><head>{head}</head><body>{above_text}<div class='article'>{body}</div></body></html>"


@pytest.mark.parametrize(("head", "above", "title"), [
    # no <title>, no og:title (WeChat's old template): the headline markup's line above the text
    ("<title>\n</title>", "<h2 class='rich_media_title'>春耕时节农机忙</h2>", "春耕时节农机忙"),
    # the head names only the site (its tagline): the same, camel-cased markup too
    ("<title>澄州传媒 有观点的新媒体</title><meta property='og:site_name' content='澄州传媒 有观点的新媒体'>",
     "<h3 class='innerBigNewsTitle'>春耕时节农机忙</h3>", "春耕时节农机忙"),
    # an <h1> holding the site's name (its logo) before the article's
    ("<title>春耕时节农机忙 - 澄州电子报</title><meta property='og:site_name' content='澄州电子报'>",
     "<h1><a href='/'>澄州电子报</a></h1><h1>春耕时节农机忙</h1>", "春耕时节农机忙"),
    # an empty <title>: og:title decides, not a decorative <h1> in the text
    ("<title></title><meta property='og:title' content='春耕时节农机忙'>",
     "<h2>春耕时节农机忙</h2><h1>来源：澄州日报</h1>", "春耕时节农机忙"),
    # printed whole with its column tag and separator
    ("<title>重磅 | 春耕时节农机忙</title>", "<h2>重磅 | 春耕时节农机忙</h2>", "重磅 | 春耕时节农机忙"),
])
def test_the_headline_when_the_head_gives_none_or_the_sites(head: str, above: str, title: str):
    assert extract_html(_headed(head, above)).title == title


@pytest.mark.parametrize(("html", "url", "author"), [
    # WeChat's tip box, whose ids say "author": its button's 赞赏 is no name
    (page(above="<div id='js_preview_reward_author'>\n<div class='reward-author'>李澄</div>\n"
                "<a id='js_preview_reward_author_link'><span>赞赏</span></a>\n</div>"), None, "李澄"),
    # WeChat's byline line: the writer, then the account; the writer is the author
    (page(above="原创： 李澄 澄州小事 <a id='js_name'>澄州小事</a>",
          head='<script>var nickname = htmlDecode("澄州小事");</script>'), "https://mp.weixin.qq.com/s/AbCdEf", "李澄"),
    (page(above="<cite><a href='/author/1' rel='author'>李澄</a></cite>"), None, "李澄"),  # HTML's own rel=author
    (page(head="<meta property='article:author' content='李澄, 澄州電子報'>"), None, "李澄"),  # the writer, its outlet
])
def test_tip_boxes_accounts_beside_writers_and_authors_linked_or_tagged_with_their_outlet(
        html: str, url: str | None, author: str):
    assert extract_html(html, url).author == author


def test_a_byline_under_a_headline_inside_the_text_is_read_after_the_page_header_it_opens_with():
    """trafilatura may keep the page's header with the article: its short lines (a font-size switch,
    share buttons, the channel), then the headline, the deck, the date and the byline, further down
    than the text's opening lines reach from where the text starts."""
    tools = ("<section><h2>字級：</h2><div><a href='#'>最小字型</a> <a href='#'>預設</a> <a href='#'>最大字型</a></div>"
             "<h2>分享：</h2><div><a href='#'>分享到 Facebook</a> <a href='#'>分享到 Twitter</a></div></section>"
             "<div><a href='/intl'>國際新聞</a> 〉</div>")
    text = "".join(f"<p>{paragraph}</p>" for paragraph in ARTICLE)
    article = (f"<article>{tools}<h1>春耕時節農機忙</h1><h2>全縣機械化播種面積增兩成</h2>"
               f"<div>2014年01月15日</div><p>【李澄╱綜合外電報導】{ARTICLE[0]}</p>{text}</article>")
    html = f"<html><head><title>春耕時節農機忙 | 澄州日報</title></head><body>{article}</body></html>"
    assert extract_html(html).author == "李澄"


def test_the_crew_credited_after_an_editor_is_not_part_of_the_editor():
    assert extract_html(page(below="责任编辑：张三 校对：李四 审核：王五")).editor == "张三"


@pytest.mark.parametrize(("markup", "closing", "author"), [
    ("<div class='author-name'>冰糖炖雪梨</div>", "（冰糖炖雪梨）", "冰糖炖雪梨"),  # two places agree
    ("<div class='author-name'>冰糖炖雪梨</div>", "", None),  # a pen name's shape alone is not enough
    ("<div class='channel'>冰糖炖雪梨</div>", "（冰糖炖雪梨）", None),  # nor is a bracket alone
])
def test_a_pen_name_in_author_markup_is_the_author_when_the_closing_brackets_repeat_it(
        markup: str, closing: str, author: str | None):
    assert extract_html(page(above=markup, last=closing)).author == author


def _site_titled(title: str, above_text: str) -> str:
    """A page whose <title> is `title` and whose headline block (`above_text`) has no markup of its own."""
    text = "".join(f"<p>{paragraph}</p>" for paragraph in ARTICLE)
    return (f"<html><head><title>{title}</title></head><body><div><a href='/'>首頁</a> <a href='/life'>生活</a></div>"
            f"<div>{above_text}</div><div class='content'>{text}</div>"
            "<div>本網站內容屬於澄州廣播公司全球資訊網所有</div></body></html>")


@pytest.mark.parametrize(("title", "above_text", "headline"), [
    # an outlet's name the page prints only in its copyright line; past the dateline and the font switch
    ("澄州廣播公司全球資訊網", "<p>春耕時節農機忙 播種面積增兩成</p><p>2014/12/11 18:58 報導</p><p>小 中 大</p>",
     "春耕時節農機忙 播種面積增兩成"),
    ("-澄州新聞網", "<p>春耕時節農機忙 播種面積增兩成</p>", "春耕時節農機忙 播種面積增兩成"),  # separator and site
    ("澄州廣播公司全球資訊網", "<p>首頁 > 生活</p>", "澄州廣播公司全球資訊網"),  # a breadcrumb is no headline
    ("春耕時節農機忙", "<p>新聞快報</p>", "春耕時節農機忙"),  # a <title> that is no outlet's name stays
])
def test_a_title_naming_only_the_site_gives_way_to_the_line_above_the_text(title: str, above_text: str,
                                                                             headline: str):
    assert extract_html(_site_titled(title, above_text)).title == headline


def _related_then(credits: str) -> str:
    """A page whose text is followed by related stories, then `credits`."""
    related = "".join(f"<li><a href='/r{i}.html'>春耕相关新闻第{i}条</a></li>" for i in range(8))
    return page(below=f"<h3>公司新闻</h3><ul class='rel'>{related}</ul>{credits}")


@pytest.mark.parametrize(("credits", "author"), [
    ("<div>本文来源：澄州日报·澄州网 作者：李澄</div>", "李澄"),  # under the related stories, as 网易 prints it
    ("<div>来源：澄州日报 作者：李澄</div><div>来源：澄州晚报 作者：王明</div>", None),  # several: a list's
])
def test_the_one_source_and_author_credit_line_below_the_text_names_the_author(credits: str, author: str | None):
    assert extract_html(_related_then(credits)).author == author


QQ_OMN = "https://new.qq.com/omn/20210610/20210610A08L8P00.html"


@pytest.mark.parametrize(("data", "url", "author"), [
    ('{"media": "澄州日报", "media_id": "5215397"}', QQ_OMN, "澄州日报"),
    ('{"media": "澄州日报", "media_id": "5215397"}', "https://news.example.cn/a/1.html", None),  # no platform's
    ('{"media": "video", "media_id": "5215397"}', QQ_OMN, None),
])
def test_a_platform_pages_own_data_names_its_account(data: str, url: str, author: str | None):
    """企鹅号 pages saved without their script-drawn account box still hold it in window.DATA."""
    assert extract_html(page(head=f"<script>window.DATA = {data};</script>"), url).author == author


def _bare_page(head: str, above_text: str, paragraphs: list[str] = ARTICLE) -> str:
    """A page of this <head> and these blocks over its text, and nothing else (no <h1> unless given)."""
    text = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"<html><head>{head}</head><body>{above_text}<div class='content'>{text}</div></body></html>"


def test_a_blogs_name_in_the_middle_of_the_title_is_not_the_headline():
    """"日志标题 - 博客名的日志 - 网易博客": the <h1> names the blog, the <h3> the post, printed on its own."""
    html = _bare_page("<title>把根留住 - 澄州的体育博客的日志 - 网易博客</title>",
                      "<h1>澄州的体育博客</h1><div>日志</div><h3>把根留住</h3>"
                      "<div>瞎扯 2010-05-25 04:36:19 阅读200</div>")
    assert extract_html(html).title == "把根留住"


def test_an_outlets_name_in_an_h1_is_not_the_headline_the_page_prints_beside_it():
    """An <h1> logo without an image, which the <title> repeats after the headline the page prints."""
    html = _bare_page("<title>春耕時節農機忙 - 澄州醒報 Chengzhou News</title>",
                      "<h1>澄州醒報</h1><div>首頁</div><h3>春耕時節農機忙</h3><div>2020/03/25 19:37</div>")
    assert extract_html(html).title == "春耕時節農機忙"


def test_a_time_elements_microdata_dates_the_page():
    """<time itemprop="datePublished" datetime=…>, which prints the day in words ("26 三月 2020"); the
    page's footer dates its own last update, which is not the article's."""
    dated = ("<dd class='published'><time datetime='2020-03-26T09:00:00+08:00' itemprop='datePublished'>"
             "26 三月 2020</time></dd>")
    html = page(above=dated, below="<div>■最後更新日期：2017/08/07</div>")
    assert extract_html(html).published_at == "2020-03-26T09:00:00+08:00"


def test_a_single_part_og_title_wrapping_the_printed_headline_gives_the_headline():
    """og:title "成報新聞(标题)" and a <title> naming only the site: the page prints the headline alone."""
    html = _bare_page("<title>澄州報 CHENGZHOU DAILY</title>"
                      "<meta property='og:title' content='澄州新聞(春耕時節農機忙 播種面積增兩成)'>",
                      "<div class='tt'>春耕時節農機忙 播種面積增兩成</div>")
    assert extract_html(html).title == "春耕時節農機忙 播種面積增兩成"


def test_a_date_bar_over_the_headline_dates_a_page_that_prints_no_other():
    """The byline zone runs from the headline down; a date printed just over the headline is the page's
    when nothing under it is, before a month the text mentions ("2004年9月有关播客的搜索结果…")."""
    html = _bare_page("<title>春耕时节农机忙</title>",
                      "<div>首页 | 时事 | 生活</div><div>2006年12月27日（京港台时间）</div><h1>春耕时节农机忙</h1>",
                      ["2004年9月以来，" + ARTICLE[0], *ARTICLE[1:]])
    assert extract_html(html).published_at == "2006-12-27"


def test_a_listed_headlines_date_over_the_headline_is_not_a_date_bar():
    """The date-bar fallback reads the lines just over the headline; a related article listed there,
    its headline a link and its date beside it, dates that article, not the page: the text's month
    is a better guess than another page's day."""
    html = _bare_page("<title>春耕时节农机忙</title>",
                      "<div>首页 | 时事 | 生活</div><div><a href='/a'>去年春耕回顾：全县机播过半</a> 2006-12-27</div>"
                      "<h1>春耕时节农机忙</h1>",
                      ["2004年9月以来，" + ARTICLE[0], *ARTICLE[1:]])
    assert extract_html(html).published_at == "2004-09"


@pytest.mark.parametrize(("card", "author"), [
    # Rank Math's card: the WordPress user's handle, which an author tag would give as the site's handle
    ("<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='chengzhou2020'>",
     "chengzhou2020"),
    # Yoast SEO's, in Traditional Chinese, the reading time in the second pair
    ("<meta name='twitter:label2' content='預估閱讀時間'><meta name='twitter:data2' content='1 分鐘'>"
     "<meta name='twitter:label1' content='作者:'><meta name='twitter:data1' content='李澄'>", "李澄"),
    ("<meta name='twitter:label1' content='預估閱讀時間'><meta name='twitter:data1' content='李澄'>", None),
    ("<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='admin'>", None),
])
def test_a_twitter_cards_written_by_pair_names_the_author(card: str, author: str | None):
    """SEO plugins print the post's author as a card's label and data ("Written by" / "作者:"): a user
    named by its label, so a lower-case handle is the writer's here, not the site's."""
    assert extract_html(page(head=card)).author == author


# The article templates of Chinese CMSs, as their default themes print a byline (each case names the
# template it follows; the markup and values are ours)
@pytest.mark.parametrize(("html", "author"), [
    # Discuz! X portal/view.htm: the posting account first (发布者), the writer after 原作者
    (page(above="<p>2024-3-5 09:07<span>|</span>发布者: <a href='/space/1'>admin</a><span>|</span>查看: "
                "<em>1024</em><span>|</span>评论: 0<span>|</span>原作者: 李澄<span>|</span>来自: "
                "<a href='http://czrb.example/a/1.html'>澄州日报</a></p>"), "李澄"),
    # ThinkCMF's simpleboot3 portal/article.html: the time, "by" and the user, then a counter
    (page(above="<span>2024-03-05 09:07 by 李澄</span>\n<span><a href='#'><i></i><span>1024</span></a></span>"),
     "李澄"),
    (page(above="<span>2024-03-05 09:07</span><span>Powered by ThinkCMF</span>"), None),
    # EyouCMS's view_article.htm: the writer, then the update time's label
    (page(above="<span>作者：李澄</span><span>更新时间：2024-03-05</span><span>点击数：1024</span>"), "李澄"),
    # the Puock theme for WordPress closes a post: "本站原创文章，由 NAME DATE发表"
    (page(below="<div><span>版权声明：</span><span>本站原创文章，由</span><a href='/author/lic'>李澄 </a>"
                "2024-03-05发表，共计1234字。</div>"), "李澄"),
])
def test_cms_templates_bylines(html: str, author: str | None):
    assert extract_html(html).author == author


def test_the_text_does_not_credit_whoever_a_date_follows_without_a_posting_word():
    """"由…发表" with a date between the name and the verb is a byline; a date after a name alone is not."""
    assert extract_html(page(first="该项目由张明2019年提出，")).author is None


@pytest.mark.parametrize(("head", "headline", "title"), [
    # JEECMS's news page: a <title> naming only the site, the channel linked inside the <h1>
    ("<title>澄州新闻网 - Powered by JEECMS</title>", "<h1>春耕时节农机忙<a href='/news/'>新闻中心</a></h1>",
     "春耕时节农机忙"),
    ("<title>春耕时节农机忙_新闻中心_澄州新闻网</title>", "<h1>春耕时节农机忙<a href='/news/'>新闻中心</a></h1>",
     "春耕时节农机忙"),  # … under a <title> that names the channel too
    # 苹果CMS's art/detail.html: the page of a paginated article after the headline
    ("<title>春耕时节农机忙 - 澄州新闻网</title>", "<h1>春耕时节农机忙 - 第1页</h1>", "春耕时节农机忙"),
])
def test_cms_templates_headlines(head: str, headline: str, title: str):
    assert extract_html(_bare_page(head, headline)).title == title


@pytest.mark.parametrize("placeholder", [
    "管理员",  # YzmCMS's default nickname
    "Super User",  # Joomla's first account, which many sites never rename
    "John Doe",  # Hexo's default site author
    "站长", "游客", "root", "webmaster",
])
def test_a_cms_default_account_is_nobodys_name(placeholder: str):
    """A CMS fills the byline with the account that posted, whose default name is no writer's."""
    assert extract_html(page(above=f"作者：{placeholder} 来源：澄州日报")).author is None
    assert extract_html(page(head=f"<meta name='author' content='{placeholder}'>")).author is None


@pytest.mark.parametrize(("dateline", "published"), [
    ("2024年4月29日 星期一 09:36", "2024-04-29T09:36:00+08:00"),  # the weekday between the day and the time
    ("2024-04-29（周一）09:36", "2024-04-29T09:36:00+08:00"),
    ("2024年 4月 29日 下午3:36", "2024-04-29T15:36:00+08:00"),  # WordPress's zh_CN time format: 下午 for p.m.
    ("2024-04-29 晚上 09:36", "2024-04-29T21:36:00+08:00"),
    ("2024-04-29 中午12:05", "2024-04-29T12:05:00+08:00"),
    ("2024-04-29 上午 09:36", "2024-04-29T09:36:00+08:00"),
    ("2024-04-29 凌晨12:30", "2024-04-29T00:30:00+08:00"),
])
def test_a_dateline_keeps_its_time_past_a_weekday_or_a_half_of_the_day(dateline: str, published: str):
    """Datelines print the weekday between the day and the time, and a 12-hour time after 上午/下午."""
    assert extract_html(page(above=f"<div>{dateline} 来源：澄州日报</div>")).published_at == published


@pytest.mark.parametrize(("byline", "author"), [
    ("记者丨李澄", "李澄"),  # a bar after the role, as after 作者 (METADATA.md): 丨 is a Han character, never a name's
    ("本报记者︱李澄 王明", "李澄、王明"),
    ("新华社记者｜李澄", "李澄"),
    ("特约评论员|李澄", "李澄"),
    ("李澄丨澄州日报", None),  # a name and an outlet a bar apart, unlabelled: not a byline
    ("特约撰稿人：李澄", "李澄"),
    ("编译：李澄", "李澄"),  # the translator, when no writer is credited
    ("作者：张明 编译：李澄", "张明"),
])
def test_byline_roles_with_a_bar_a_contributing_writer_or_a_translator(byline: str, author: str | None):
    assert extract_html(page(above=f"<div>{byline}</div>")).author == author


@pytest.mark.parametrize(("where", "credit", "author"), [
    # wire and paper leads without brackets, the names a space before the text
    ("first", "新华社北京10月15日电 记者赵超 ", "赵超"),
    ("first", "本报讯 记者 张三 ", "张三"),
    ("first", "新华社北京8月11日电 记者从有关部门获悉，", None),  # no name: "the reporter learned from…"
    ("first", "中央社記者張三台北21日電 ", "張三"),  # 中央社's dateline, unbracketed
    # who the writer is, after the name
    ("last", "（作者：张三，系澄州大学教授）", "张三"),
    ("last", "（本文作者张三，系澄州大学教授）", "张三"),
    ("above", "作者：张三 澄州大学教授", "张三"),
    # compound labels and roles after the name
    ("above", "文、图/张三", "张三"),
    ("above", "图文/张三", "张三"),
    ("above", "记者 张三 文/图", "张三"),
    ("above", "文字/张三 摄影/李四", "张三"),  # a photographer's label after the writer's name
])
def test_byline_forms_of_the_convention(where: str, credit: str, author: str | None):
    """Forms METADATA.md's table names or implies, in the zones pages print them."""
    html = {"first": page(first=credit), "last": page(last=credit), "above": page(above=f"<div>{credit}</div>")}[where]
    assert extract_html(html).author == author


@pytest.mark.parametrize("line", [
    "记者手记", "记者调查", "记者观察",  # a column's name after the role
    "关注作者",  # a button
    "图片来源：张三",  # the picture's source, a person or not
])
def test_lines_near_a_byline_that_credit_no_writer(line: str):
    assert extract_html(page(above=f"<div>{line}</div>")).author is None


@pytest.mark.parametrize("outlet", ["澄州科技", "澄州财经", "澄州之家", "澄州消息", "澄州資訊", "澄州在线",
                                    "澄州日报客户端"])
def test_a_channel_or_a_site_in_an_author_slot_is_no_writer(outlet: str):
    """Portals fill the author slot and tag with a channel's or a site's name ("新浪科技", "第一财经",
    "驱动之家"): names end in none of these words."""
    assert extract_html(page(above=f"<div>作者：{outlet} 2024-04-29 09:36</div>")).author is None
    assert extract_html(page(head=f"<meta name='author' content='{outlet}'>")).author is None


@pytest.mark.parametrize(("head", "headline"), [
    # an element inside the <h1> that the <title> leaves out: a subtitle, a badge
    ("<title>春耕时节农机忙_澄州新闻网</title>", "<h1>春耕时节农机忙<small>副标题：播种面积增两成</small></h1>"),
    ("<title>春耕时节农机忙</title>", "<h1><span class='badge'>原创</span>春耕时节农机忙</h1>"),
    # a breadcrumb's separators in the <title>
    ("<title>澄州新闻网 > 农业 > 春耕时节农机忙</title>", ""),
    ("<title>澄州新闻网 » 春耕时节农机忙</title>", ""),
    ("<title>春耕时节农机忙 · 澄州新闻</title>", ""),
    # an <h1> that is a word of the <title>'s headline, the headline printed under it
    ("<title>春耕时节农机忙_农业_澄州新闻网</title>", "<h1>春耕</h1><h2>春耕时节农机忙</h2>"),
])
def test_the_headline_less_what_the_title_leaves_out(head: str, headline: str):
    assert extract_html(_bare_page(head, headline)).title == "春耕时节农机忙"


def test_a_logos_text_is_not_the_headline_the_title_repeats():
    """An <h1> logo whose image's own title names the site: less that, the site's name, which the
    <title> repeats beside the headline, is no headline."""
    html = _bare_page("<title>春耕时节农机忙播种面积增两成 | 澄州新闻网 Chengzhou News</title>",
                      "<h1><span><svg><title>澄州新闻网 Logo</title></svg></span>澄州新闻网 Chengzhou News</h1>"
                      "<h1>春耕时节农机忙播种面积增两成</h1>")
    assert extract_html(html).title == "春耕时节农机忙播种面积增两成"


@pytest.mark.parametrize(("byline", "author"), [
    ("東森新聞 張三 報導", "張三"),  # the outlet, the reporter, 報導: a TV news site's line
    ("張三 報導", "張三"),
    ("社會中心 報導", None),
    ("■記者張三", "張三"),  # a bullet before the role
    ("鏡週刊 記者張三", "張三"),  # a weekly's name a space before the role
    ("特約記者張三", "張三"),  # a rank before the role
    ("駐美特派員張三／華盛頓報導", "張三"),  # a correspondent abroad
    ("【台灣醒報特派員劉東皋台中報導】", "劉東皋"),  # a three-character name glued to a two-character place
    ("记者王海燕北京报道", "王海燕"),
    ("記者鄧厚仁報道", "鄧厚仁"),
    ("記者王明北京報道", "王明"),
])
def test_taiwan_and_tv_reporter_lines(byline: str, author: str | None):
    assert extract_html(page(above=f"<div>{byline}</div>")).author == author


@pytest.mark.parametrize(("byline", "author"), [
    ("撰文：香港01", None),  # an outlet's name, cut where a name's characters stop, is no person's
    ("作者：张三 2024-04-29", "张三"),  # … but a date may follow a name, spaced or glued
    ("作者：张三2024-04-29 09:36", "张三"),
    ("记者 张三2024年4月29日", "张三"),
    ("<span>作者：张三</span><span>09:36</span>", "张三"),
])
def test_a_name_cut_off_before_digits_is_no_name(byline: str, author: str | None):
    assert extract_html(page(above=f"<div>{byline}</div>")).author == author


def test_a_profile_link_over_the_headline_names_the_author():
    """Halo's "Earth" theme puts the author's link to their page, then the date, over the headline."""
    html = _bare_page("<title>春耕时节农机忙 - 澄州博客</title>",
                      "<div><a href='/authors/licheng' title='李澄'>李澄</a><div><span>发布于 2024-03-05</span>"
                      "<span>/</span><span>1024 阅读</span></div></div><h1>春耕时节农机忙</h1>")
    assert extract_html(html).author == "李澄"


@pytest.mark.parametrize(("byline", "author"), [
    ("By 李澄", "李澄"),  # an English label before a Chinese name
    ("Author: 李澄", "李澄"),
    ("作者/Author: 李澄", "李澄"),
    ("Read more from this author | Follow @chengzhou", None),  # an English page's widget
    ("李澄/文 王明/图", "李澄"),  # the writer's and the photographer's credits on one line
    ("文 李澄", "李澄"),  # a label a space before the name, on a line of its own
    ("撰文 李澄", "李澄"),
    ("作者：李澄等", "李澄"),  # et al.
    ("记者 李澄 等", "李澄"),
])
def test_english_labels_spaced_labels_and_et_al(byline: str, author: str | None):
    assert extract_html(page(above=f"<div>{byline}</div>")).author == author


@pytest.mark.parametrize("closing", ["作者简介：张三，澄州大学教授。", "（作者简介：张三，澄州大学教授）"])
def test_the_writers_biography_closing_the_text_names_the_author(closing: str):
    assert extract_html(page(last=closing)).author == "张三"


@pytest.mark.parametrize(("above", "last", "author"), [
    ("<div>2019-11-12 10:21:32 来源:菏泽日报 记者：张三 字体大小：大 中 小</div>", "", "张三"),  # the font switch
    ("<div>张三 · 2020/01/13 10:21 来源：界面新闻</div>", "", "张三"),  # the writer, a middle dot, the time
    ("", "（民視新聞／王小明、李大同 台北報導）", "王小明、李大同"),  # the outlet before the reporters' sign-off
    ("", "（曾珮瑛、張世瑜／高雄報導）", "曾珮瑛、張世瑜"),
])
def test_real_sites_byline_forms(above: str, last: str, author: str):
    """Forms public crawlers of real sites read (菏泽网, 界面, 民視, 蘋果日報), rebuilt with invented names."""
    assert extract_html(page(above=above, last=last)).author == author


def test_a_time_printed_before_its_day():
    """中時 and 香港經濟日報's topick print the time before the day: "10:21 2019/11/12"."""
    assert extract_html(page(above="<div>王小明</div><div>10:21 2019/11/12</div>")).published_at == (
        "2019-11-12T10:21:00+08:00")


@pytest.mark.parametrize(("byline", "author"), [
    # Discuz!'s portal: the uploader (发布者) before the writer (原作者), the uploader a person's name too
    ("2019-5-12 09:30| 发布者: 王明| 查看: 1523| 评论: 0|原作者: 王博|来自: 宁波日报", "王博"),
    ("2019-5-12 09:30| 发布者: 甬城小编| 查看: 1523", None),  # a site's editor account
    ("作者：齐鲁晚报·齐鲁壹点 记者 王杰", "王杰"),  # the outlet a space before the role
    ("王曉明 台北報導", "王曉明"),  # a TV site's reporter and place
])
def test_second_real_site_survey_forms(byline: str, author: str | None):
    """Forms of 阿拉宁波网, 齐鲁晚报网 and 華視 that public crawlers read (myirelias/white_list's configs)."""
    assert extract_html(page(above=f"<div>{byline}</div>")).author == author


def test_an_h1_naming_the_site_that_closes_the_title_is_not_the_headline():
    """ETtoday's <h1> is its logo, the site's name that closes the <title>; the headline is an <h2>."""
    html = _bare_page("<title>春耕时节农机忙 播种面积增两成 | 澄州社會新聞 | 澄州 新聞雲</title>",
                      "<h1>澄州 新聞雲</h1><h2 itemprop='headline'>春耕时节农机忙 播种面积增两成</h2>")
    assert extract_html(html).title == "春耕时节农机忙 播种面积增两成"


@pytest.mark.parametrize(("head", "published"), [
    ("<meta name='og:time ' content='2023-02-14 10:21:32'>", "2023-02-14T10:21:32+08:00"),  # 凤凰网's tag
    ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"11/12/2019 - 12:30\"}"
     "</script>", "2019-11-12T12:30:00+08:00"),  # 联合早报's JSON-LD: US order, a dash before the time
])
def test_real_sites_date_tags(head: str, published: str):
    assert extract_html(_bare_page(head, "<h1>春耕时节农机忙</h1>")).published_at == published


def test_wechats_later_template_prints_the_author_slot_as_a_span():
    """WeChat's later template: the author slot is a <span> (NanmiCoder/NewsCrawler reads it so)."""
    meta = ("<div id='meta_content'><span class='rich_media_meta rich_media_meta_text'>李澄</span>"
            "<span class='rich_media_meta rich_media_meta_nickname'><a id='js_name'>澄州观察</a></span></div>")
    assert extract_html(page(above=meta), "https://mp.weixin.qq.com/s/AbCdEf").author == "李澄"


@pytest.mark.parametrize(("html", "author"), [
    # 博客园's post footer: the blogger after the time, a handle of any shape
    (page(below="<div class='postDesc'>posted @ <span>2024-04-29 09:36</span>&nbsp;"
                "<a href='/linxiao'>林晓%</a>&nbsp;阅读(<span>356</span>)</div>"), "林晓%"),
    # a forum thread's original poster (楼主), a handle of five characters, the spans glued
    (page(above="<div><a href='/u/1'>溪山老球迷</a><span>楼主</span><span>2024-04-20 22:58</span></div>"),
     "溪山老球迷"),
])
def test_a_blogs_or_forums_poster(html: str, author: str):
    assert extract_html(html).author == author


def test_baidus_cambrian_json_ld_dates_the_page():
    """Baidu's "cambrian" JSON-LD, which CSDN and many Chinese sites print, names the time "pubDate"."""
    ld = ("<script type='application/ld+json'>{\"@context\": \"https://ziyuan.baidu.com/contexts/cambrian.jsonld\","
          " \"pubDate\": \"2023-03-18T20:09:53\"}</script>")
    assert extract_html(_bare_page(ld, "<h1>春耕时节农机忙</h1>")).published_at == "2023-03-18T20:09:53+08:00"


def test_a_blog_posts_copyright_block_names_its_author():
    """Hexo's Butterfly and Matery themes close a post with its copyright: "文章作者: 李澄"."""
    block = ("<div class='post-copyright'><div><span><i></i>文章作者: </span><span><a href='/about'>李澄</a></span>"
             "</div><div><span>文章链接: </span><span>https://blog.example.cn/p/1</span></div></div>")
    assert extract_html(page(below=block)).author == "李澄"


def test_a_supplying_department_after_the_writer_is_no_name():
    """A government template: "撰稿：张澄    供稿部门： 宣传部" (no-break spaces between the fields)."""
    line = "撰稿：张澄\u00a0\u00a0\u00a0\u00a0供稿部门： 宣传部发布时间：2019-05-06\u00a0\u00a0点击数量:35"
    assert extract_html(page(above=f"<div>{line}</div>")).author == "张澄"


@pytest.mark.parametrize(("html", "author"), [
    # 鏡週刊: the photographer's label after the writer's name, a bar after each
    (page(above="<div>文｜<a href='/author/chen'>陳嘉寧</a>　攝影｜<a href='/author/wang'>王漢順</a></div>"), "陳嘉寧"),
    (page(head="<meta itemprop='author' content='論盡編輯部'>"), None),  # an editorial desk (論盡媒體)
    (page(above="<p>（黃偉文／文）</p>"), "黃偉文"),  # 新華澳報's sign-off
])
def test_taiwan_and_macau_survey_forms(html: str, author: str | None):
    assert extract_html(html).author == author


def test_an_outlets_editor_after_the_reporter_is_no_name():
    """每经's byline credits its reporter, then its editor, each after the outlet's short name."""
    assert extract_html(page(above="<p>每经记者 王小明 每经编辑 李华</p>")).author == "王小明"


@pytest.mark.parametrize(("text", "found"), [
    ("12.05.2025", "2025-05-12"),  # the day first with dots, which no US date has (DW)
    ("09:30 12.05.2025", "2025-05-12T09:30:00+08:00"),  # the time first (Sputnik)
    ("30/11/2025 - 10:13", "2025-11-30T10:13:00+08:00"),  # with slashes, the day past 12 (RFI)
    ("4/29/2024 9:36:00 AM", "2024-04-29T09:36:00+08:00"),  # the US order stays
])
def test_day_first_dates(text: str, found: str):
    assert find_dates(text)[0][1] == found


def test_a_version_number_is_no_date():
    assert find_dates("v2.10.2019 build") == []


@pytest.mark.parametrize("content", ["来源：北京青年报", "來源: 北京青年报", "北京青年报"])
def test_a_source_meta_tag_gives_the_outlet_without_its_label(content: str):
    """people.com.cn's `<meta name="source" content="来源：北京青年报">` (every page of two bundled
    profiles) gave the source "来源：北京青年报"."""
    assert extract_html(page(head=f'<meta name="source" content="{content}">')).source == "北京青年报"
