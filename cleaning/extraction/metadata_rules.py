"""The metadata rules as data: meta tag names, byline patterns, what a name looks like, zone sizes.

Every pattern captures `value`; author and editor values must pass `metadata.clean_names`.
"""

from __future__ import annotations

import re

from cleaning.text.chars import HAN
from cleaning.text.required_chars import GatedPatterns
from cleaning.text.surnames import COMMON_SURNAMES

# Page metadata, in order of trust.
DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "publishdate", "pubdate",
    "publish_date", "publishtime", "publish-date", "published_time", "firstpublishedtime", "dc.date.issued",
    "dcterms.issued", "dc.date", "sailthru.date", "parsely-pub-date", "og:release_date", "date", "enpproperty:date",
    "og:time",  # 凤凰网's, named "og:time " (its trailing space dropped with the others')
)
# SEO plugins print the post's author as a Twitter card's label and data: Yoast's twitter:label1 "作者:"
# (saydigi.com, in lostmypillow/dms-scrape), Rank Math's "Written by" (whatsknow.com); the data is kept
# among the tags under CARD_AUTHOR
CARD_WRITER_LABEL = re.compile(r"(?:written by|author|作者)\s*[:：]?", re.IGNORECASE)
CARD_AUTHOR = "twitter-card:author"
AUTHOR_META = ("author", "article:author", "byline", "dc.creator", "sailthru.author", "parsely-author",
               "enpproperty:author", CARD_AUTHOR)
CMS_COMMENT = re.compile(r"<!--\s*enpproperty(.*?)-->", re.DOTALL | re.IGNORECASE)
CMS_FIELD = re.compile(r"<(\w+)>([^<]*)</\1>")
SOURCE_META = ("source", "contentsource", "article:source")
# the label some sites keep in that tag's value: people.com.cn's "来源：北京青年报"
SOURCE_META_LABEL = re.compile(r"^\s*(?:本文|文章)?(?:[来來]源|稿源)\s*[:：]\s*")
# the publishing account of a platform page (搜狐号's mediaid): the author when no person is credited
ORGANIZATION_AUTHOR = "json-ld:organization"  # an organisation JSON-LD names as the author: an account or a publisher
ACCOUNT_META = ("mediaid", ORGANIZATION_AUTHOR)
# pages of a self-media platform, where an account publishes: 头条号, 网易号, 搜狐号, 企鹅号, 百家号, 快传号,
# 大风号, WeChat. There an account's name in author markup or tags is the author (METADATA.md)
PLATFORM_URL = re.compile(
    r"://(?:[\w.]*toutiao\.com/(?:a|i|article/|group/)\d|www\.163\.com/dy/|www\.sohu\.com/a/|"
    r"new\.qq\.com/(?:omn|rain)/|"
    r"baijiahao\.baidu\.com/|[\w.]*360kuai\.com/|ishare\.ifeng\.com/|mp\.weixin\.qq\.com/)"
)
# a user's page on a platform or community site: "/u/676271", "/user/829671/updates", "/people/79294582/",
# "/author/li-cheng/", "/member/123", "/profile/abc"
PROFILE_LINES_ABOVE = 3  # the lines above the text, the headline's among them, where a profile link may stand
PROFILE_PATH = re.compile(r"/(?:u|users?|people|members?|profiles?|authors?)/[\w.\-]+/?(?:updates|posts|articles)?/?$")
# an author tag that names one of these (or a part of <title> besides the headline) names the site
SITE_NAME_META = ("og:site_name", "application-name", "apple-mobile-web-app-title")

# Markup that holds the author (class or id tokens: author_baidu, autor-name, story_info_author…), or on
# platform pages the account (rich_media_meta_nickname, media-name). Its text is read like a byline line.
AUTHOR_MARKUP = re.compile(  # "authorName" too, as BEM names it: "p-article__authorName"
    r"(?:^|[\s_\-])(?:author|autor|writer|byline|reporter)(?:names?)?(?:$|[\s_\-])", re.IGNORECASE)
# "wemedia" (自媒体) is 网易号's own: its account box's name is post_wemedia_name on every 网易号 page
ACCOUNT_MARKUP = re.compile(r"nickname|(?:^|[\s_\-])(?:(?:we)?media|account)[_\-]?name(?:$|[\s_\-])", re.IGNORECASE)
# …but not in a comment box (NetEase's 跟贴 "tie"), an ad, or a card, slide or list of other authors, nor in
# a wiki's infobox (facts about the page's subject: its "nickname" row is the subject's); the element and
# its containers are looked at, and a hidden container (display:none, SEO blocks) too
NOT_AUTHOR_MARKUP = re.compile(
    r"(?:^|[\s_\-])(?:tie|comments?|reply|login|ad|ads|list|card|recommend|hot|rank|slide|seo|infobox)(?:$|[\s_\-])",
    re.IGNORECASE)
# what follows a photographer's name: a photo credit never names the author
PHOTO_CREDIT_AFTER = re.compile(r"\s*[摄攝](?:影)?(?:$|[\s）)|，,。])")
# …unless it labels the next name: "记者 李澄 摄影 王明" credits 王明 with the photos, 李澄 with the text
PHOTO_LABEL = re.compile(rf"[摄攝]影\s*[:：/／｜|丨]?\s*[{HAN}]{{2,4}}")  # "文｜陳嘉寧　攝影｜王漢順" (鏡週刊)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
MAX_MARKED_CHARS = 60
MAX_AUTHOR_PLACES = 2  # a byline in the header and again under the text; more are a list's cards
ELLIPSIS = re.compile(r"\s*(?:…+|\.{3,}|⋯+)$")  # a name shortened to fit its box: "澄州日报新媒…"
ACCOUNT_NAME = re.compile(rf"[{HAN}A-Za-z0-9·_\-]{{2,20}}")  # an account is a name, not a sentence
# the follow button an account box prints after the name: "管不饿 关注", "管不饿+关注"
ACCOUNT_BUTTON = re.compile(r"\s*\+?\s*(?:关注|關注|订阅|訂閱|已关注)$")
FOLLOW_WORD = re.compile(r"关注|關注|订阅|訂閱")  # a call to follow, not a name: "读武汉关注☞"
# the author or account only in the page's script: var nickname = "掌上绥德"; "authorName": "…"
# (WeChat wraps it in htmlDecode("…"), or JsDecode('…') in the window.cgiDataNew of its short posts,
# and its video and picture posts name it d.nick_name); camelCase too: CSDN's var nickName = "…", a
# NetEase blog's host object UD.host = {userName: 'ading8964', nickName: '…'} (its login is the userName)
# the page's own variable ("var nickname = htmlDecode("CSDN")") before a key of an object the script
# embeds, which may be another account's: WeChat's ad block holds biz_info: {nick_name: '微信广告'}
SCRIPT_AUTHORS = tuple(re.compile(
    rf"""\b(?:nick_?name|nickName|author_?name|authorName)["']?\s*{mark}\s*(?:(?:htmlDecode|JsDecode)\(\s*)?["']([^"'\\<>]{{2,30}})["']""")
    for mark in ("=", ":"))
SCRIPT_AUTHOR_WORDS = ("nick", "author")  # every SCRIPT_AUTHORS match starts with one of them
# a platform's media-info object: var mediaInfo = {"name": "澄州日报", …}; a JSON "author" key: {"author": "李澄"}
MEDIA_INFO_NAME = re.compile(
    r"""media_?[Ii]nfo["']?\s*[=:]\s*\{[^{}]{0,500}?["']name["']\s*:\s*["']([^"'\\<>]{2,30})["']""")
# ... or a platform page's own data: window.DATA = {"media": "光明网", "media_id": …} (企鹅号), a name in Han
PAGE_DATA_MEDIA = re.compile(rf"""["']media["']\s*:\s*["']([^"'\\<>]{{0,28}}[{HAN}][^"'\\<>]{{0,28}})["']""")
SCRIPT_AUTHOR_KEY = re.compile(r"""["']author["']\s*:\s*["']([^"'\\<>]{2,30})["']""")

# Names. A Chinese name is 2-4 Han characters, or transliterated parts joined by "·".
# a transliterated name's parts joined by a middle dot, "·" or Taiwan's "・", an initial among them: "威廉・J・道布森"
HAN_NAME = re.compile(rf"[{HAN}]{{2,4}}|[{HAN}]{{1,8}}(?:[·・](?:[A-Z]\.?[·・])?[{HAN}]{{1,8}})+")
COMPILED = re.compile(r"[综綜]合$")  # a desk's credit for a story it compiled: sina's "国内足球综合"
# a lower-case Latin word in a Chinese page's author tag is the site's handle ("chinanews"), not a person
SITE_HANDLE = re.compile(r"[a-z][a-z0-9_]{2,23}")  # "chinanews", "sina_mobile"
HANDLE = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{1,23}")  # a forum or blog user name
# "Tripp Mickle"; "TRIPP MICKLE" as the New York Times' Chinese edition prints its bylines
LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[ .-]+[A-Z][a-z]*\.?){1,2}|[A-Z]{2,}(?:[ .-]+[A-Z]{2,}){1,2}")
MAX_NAMES = 6
NAME_SPLIT = re.compile(r"[\s、，,;；]+")
# "张三&李四" credits two people when both look like names; "放飞&心情" is one forum handle
AMPERSAND = re.compile(r"\s*[&＆]\s*")
HAN_HANDLE = re.compile(rf"[{HAN}A-Za-z0-9]{{1,12}}(?:[&＆][{HAN}A-Za-z0-9]{{1,12}})+")
# papers pad a two-character name to the width of three ("本报记者 王乐文 方 敏"): no name is one character
PADDED_NAME = re.compile(rf"(?<![{HAN}])([{HAN}])[ \u3000]([{HAN}])(?![{HAN}])")
ORIGINAL_NAME = re.compile(r"\s*[（(]([A-Za-z][A-Za-z .\-]+)[）)]$")  # "周思博 (Joel Spolsky)": a translated author
NAME_TRIM = re.compile(r"^[\[【（(\s]+|[\]】）)\s]+$")
ENGLISH_BY = re.compile(r"^by\s+(?=[A-Z])", re.IGNORECASE)  # an English byline's "By Amy Smith"
# A name ends where the next label or a slash starts ("马俊峰/文", "徐睿翔素材来源", "胡晓蓉 责任编辑").
# Traditional forms too (記者, 報導, 編輯 …); page tools after a byline ("作者：南帆 分享到") end it as well.
# 发布 ends a name when more follows ("李澄发布于") or it stands apart ("李澄 发布"), not when it closes
# one: offices' accounts are "上海发布".
NAME_STOP = re.compile(
    rf"[/／|｜丨︱:：]|\s+[文图圖]$|[来來]源|稿源|[责責]任[编編][辑輯]|[责責][编編]|\s[{HAN}]{{1,4}}[编編][辑輯]|[编編][辑輯]|[选選]稿|[摄攝]影|[摄攝]|[{HAN}]{{0,4}}(?:报道|報導|報道)"
    r"|[通][讯訊][员員]|[实實][习習]生|[见見][习習]|[记記]者|[发發]自|综合|整理|供图|供稿|素材|日[电電]"
    r"|(?<!\S)[发發][布表佈]|[发發][布表佈](?!\s*$)"
    r"|[时時][间間]|日期|更新|修改|字[号號体體]|出自|出[处處]|[阅閱][读讀]|[评評][论論]|[点點][击擊]|[浏瀏][览覽]"
    r"|分享|收藏|打印|[纠糾][错錯]|[举舉][报報]"
    r"|[编編][译譯]|[翻][译譯]|整合|[编編][写寫]|撰[文稿]"  # a role glued after the name: "张三 编译", "张三 撰文"
    r"|\s*等(?:\s*\d*\s*人)?$"  # et al.: "作者：李澄等", "记者 李澄 等"
    # the crew credited after the writer: "文字：李萌 剪辑：王生元 导播：王安 速记：曹莉娜"
    r"|剪[辑輯]|[导導]播|主持|速[记記]|校[对對]|[审審][核校读讀]|[监監][制製]|[统統][筹籌]|策[划劃]"
    r"|(?:微信)?公[众眾][号號]|微信[号號]"  # the writer's account after the name: "作者：庆凡 微信公众号：略大参考"
    rf"|_(?=[{HAN}]{{2,3}}$)"  # where they reported from, as 中時 tags its writers: "林欣儀_台中"
    r"|[，,]\s*(?:系|为|為|现任|現任)"  # who they are, after a comma: "作者：张三，系澄州大学教授"
)
# "作者：中国国际经济交流中心世界经济研究部部长、研究员徐占忱": an author's affiliation and titles printed
# before the name, glued to it or a space apart; the name is what follows the last title, when it starts
# like a name
_TITLES = (r"(?:研究员|教授|讲师|博士|博士后|硕士|主任|部长|院长|所长|局长|处长|司长|主编|总编辑|总监|董事长|总经理"
           r"|首席经济学家|经济学家|分析师|学者|专家|律师|医生|会长|秘书长|理事长)")
# …or the unit of an institution, with no title between: "武汉大学历史学院郭伦", "澄州大学历史系 李澄"
_UNITS = rf"(?:大学|学院|研究院|研究所|研究中心|[{HAN}]系)"
AFFILIATED_NAME = re.compile(rf"(?:{_TITLES}|{_UNITS})\s*([{HAN}]{{2,3}})[）)]?$")
AFFILIATION_TITLE = re.compile(rf"[{HAN}]{{2,}}{_TITLES}")  # after the name: "作者：张三 澄州大学教授"
# Words that sit where a name would but are not one: outlets, bureaus, editorial notes.
NOT_A_NAME = re.compile(
    r"(?:社|报|网|台|站|部|局|厅|委|办|院|所|中心|公司|政府|网络|新闻|频道|组图|图片|视频|原创|转载|本文|全文|未完|待续|完)$"
    r"|(?:報|網|臺|廳|辦|新聞|頻道|網絡|[传傳]媒|媒[体體])$"  # the same in Traditional script, and media: "芋傳媒"
    r"|(?:周刊|週刊|月刊|杂志|雜誌)$"  # a magazine: "南都周刊(Southern Metropolis Weekly)" in its own author tag
    r"|(?:作者|[记記]者)$"  # a button or a role: "关注作者", "本报记者"
    # a channel or a site: "新浪科技", "第一财经", "驱动之家", "参考消息", "证券之星", "北京日报客户端"
    r"|(?:科技|[财財][经經]|之家|消息|[资資][讯訊]|[财財][讯訊]|在[线線]|之星|客[户戶]端)$"
    # a column's name after 记者: "记者手记", "记者调查", "记者观察"
    r"|^(?:手[记記]|[观觀]察|[调調]查|札[记記]|[笔筆][记記]|日[记記]|[体體][验驗]|探[访訪]|追[踪蹤]|[连連][线線]|直[击擊]"
    r"|[实實][录錄]|[专專][访訪]|[现現]场|[现現]場|[视視]角|一[线線])$"
    r"|^(?:http|www|admin|guest|anonymous|匿名|本报|本站|本网)"
    # a heading, not a name: 作者最新文章, 关于作者
    r"|^(?:最新|最近|近期|往期|其他|其它|更多|相[关關]|[热熱]门|[热熱]門|全部|所有|[关關][于於])"
    r"|\d{6}|[0-9a-f]{12}"  # a machine's id, not a name: "tm-ci023cf8ae400125f5", "用户3856231234"
    r"|\.(?:com|net|org|cn|tw|hk)$"  # a site's domain: "cnBeta.COM"
    r"|^(?:研究员|教授|讲师|博士|主任|专家|学者|律师|医生|作者|文章|作品|选稿|選稿|[记記]者|[编編][辑輯]|[主总總责責][编編]|[来來]源|[阅閱][读讀]|粉[丝絲]|[关關]注|[简簡]介|名片|[账賬][号號]|密[码碼]|[登註注]"
    r"[录錄册冊]|退出|the|an?|this|that|our|us|you|them|it"
    r"|article|information|info|details|authors?|byline|editors?|staff|reporter|by|posted|updated|published"
    r"|share|related|comments?|contact|about"  # a byline block's English heading: "Article Information"
    r"|news|wire|desk|press|agency|team|online|newsroom"  # an English outlet or desk: "CNN WIRE", "NEWS DESK",
    r"|daily|times|post|china|global|photos?|images"  # "CHINA DAILY", "GLOBAL TIMES"
    r"|管理[员員]|站[长長]|[游遊]客|[访訪]客"  # a CMS's default account: YzmCMS's 管理员
    r"|[实實][习習]|[实實][习習][编編][辑輯]"  # an intern's role, its name cut off: "整理：實習編輯劉彥璇"
    r"|佚名|无名氏|無名氏|未署名|未知|不详|不詳|网友|網友|小编|小編)$"  # words that stand in for a name
    r"|小[编編]$",  # a site's editor account: "甬城小编"
    re.IGNORECASE,
)

# an editorial desk, whose name an editor's label would otherwise cut: "論盡編輯部" (an author tag)
EDITORIAL_DESK = re.compile(r"[编編][辑輯](?:部|室|[组組]|中心)$")
# a CMS's default account in English, whole (a part alone may be a name: "Al Root"): Joomla's "Super User",
# Hexo's "John Doe"
DEFAULT_ACCOUNT = re.compile(r"super\s*user|(?:john|jane)\s+doe|root|webmaster", re.IGNORECASE)

# A line of names alone under a heading ("犬儒病(上)" / "胡平") credits the author when the first name
# starts with a common surname (the weakest clue, so it must look like a real name) and is no UI word.
BARE_NAMES = re.compile(rf"[{HAN}]{{2,4}}(?:[、 ][{HAN}]{{2,4}}){{0,2}}")
# ...and a three-character one after its surname: "林 薏茹" (a lone character is no name)
PADDED_SURNAME = re.compile(rf"(?<![{HAN}])((?={COMMON_SURNAMES.pattern})[{HAN}])[ \u3000]([{HAN}]{{2}})(?![{HAN}])")
MAX_HEADING_CHARS = 40
HEADING_PUNCT = re.compile(r"[。，！？；,;!?]")
UI_WORDS = frozenset(
    "首页 新闻 体育 财经 娱乐 科技 军事 社会 国内 国际 评论 专题 图片 视频 博客 论坛 返回 登录 注册 搜索 更多 推荐 "
    "热点 滚动 要闻 打印 关闭 分享 收藏 上一页 下一页 目录 正文 相关 导航 简介 联系我们 专栏 文章 主页 信息 "
    "介绍 档案 动态 作品 排行 热门 最新 原创 今天 昨天 刚刚 赞赏 打赏 喜欢作者".split()  # WeChat's tip box too
)

FIELD_SEPARATORS = " ·•|｜/／,，"  # what a byline prints between its fields, which markup may hold with a name
NOT_WORD = re.compile(r"[\W_]")  # what a name loses to be compared with a host's labels ("Al-Bawaba", albawaba.com)

# Where the bylines are looked for, in lines of the page (see `metadata._zones`).
BYLINE_ZONE_LINES = 10  # lines above the first line of the main text, when the headline is not near
TITLE_SEARCH_LINES = 40  # how far above the text the headline is looked for
OPENING_TEXT_LINES = 8  # first lines of the main text ("本报记者 X" opens many articles)…
TIMED_LINES_ABOVE = 6  # lines above the text where a day known from a tag or the URL finds its printed time
MAX_DATELINE_CHARS = 40  # a line of the text this short with a date in it is a dateline, not a paragraph
MAX_BYLINE_CHARS = 60  # …of which only the start is read for bylines ("本报讯（记者 王昊男）…")
NAME_CHAR = re.compile(rf"[{HAN}A-Za-z·]")  # a cut between two of these could leave half a name
PROBE_LINES = 5  # extracted lines tried when locating the start of the text in the page…
PROBE_LAST_LINES = 50  # …and its end (tables at the end are written as "| a | b |" rows, not page lines)
CLOSING_TEXT_LINES = 5  # last lines of the main text (furniture such as disclaimers may close it)
CLOSING_ZONE_LINES = 6  # lines after it
MIN_PARAGRAPH_CHARS = 40  # the closing zone also follows the last line of the text this long
# …that is no copyright footer, which an extraction may take in with the text ("Copyright©2014 澄州大学
# 版权所有 All Rights Reserved. 地址：…"): the article's credit lines are above it
COPYRIGHT_LINE = re.compile(r"^\W*(?:copyright|©|\(c\))|版权所有|版權所有|all rights reserved", re.IGNORECASE)
PROBE_CHARS = 24  # a line of the text is found in the page by its first characters
MAX_TITLE_CHARS = 120
# a site's name glued to a headline in og:title: "标题！-新华网", "标题_凤凰网", "标题 | 澎湃新闻"
SITE_SUFFIX = re.compile(rf"\s*[-_|｜–—]+\s*[{HAN}A-Za-z]{{1,10}}(?:网|報|报|台|新闻|新聞|频道|在线|客户端)$")
PRINTED_TITLE_SHARE = 0.6
# a headline's markup, for a page whose <title> names only the site and a channel: "rumor-title", "tit"
HEADLINE_MARKUP = re.compile(
    r"(?:^|[\s_\-])(?:title|headline|tit|biaoti)(?:$|[\s_\-])|(?-i:[a-z](?:Title|Headline))(?:$|[\s_\-])",
    re.IGNORECASE)  # camel-cased too: "innerBigNewsTitle"
# a channel's name is this short (新闻, 国内新闻, 辟谣文章, 科技频道); a headline is longer
MAX_CHANNEL_CHARS = 6
# the headline of a page whose <title> names only the site, found without markup: at most this many lines
# above the text, past these (a byline's words) and dated lines, and never a breadcrumb ("首頁 > 生活")
UNMARKED_HEADLINE_LINES = 4
BYLINE_WORD = re.compile("记者|記者|报道|報導|作者|[来來]源|[编編][辑輯]|[责責][编編]")
BREADCRUMB = re.compile(r"\s(?:>|›|»|/|＞)\s|->|^[>›»＞]|[>›»＞]$|^(?:当前|當前|您的)?位置")
# the page of a paginated article printed after its headline: "标题 - 第1页" (苹果CMS's art/detail.html)
PAGE_NUMBER_SUFFIX = re.compile(r"\s*[-_|｜—–]?\s*[（(\[]?第\s*\d{1,3}\s*[页頁][）)\]]?$")
# a badge a platform prints before the headline, in the <h1> too: "原创 春耕时节农机忙" (METADATA.md drops
# it); apart from the headline, which may start with the word: "原创力量"
TITLE_BADGE = re.compile(r"^(?:[\[【](?:原创|原創)[\]】]\s*|(?:原创|原創)(?:\s+|\s*[|｜丨:：]\s*))(?=\S)")
DASHES = re.compile(r"[-–—]+")
TITLE_SEPARATORS = re.compile(  # and a breadcrumb's: "网站 > 频道 > 标题", "网站 » 标题", "标题 · 网站"
    rf"\s*(?:_|\||｜|--+|—+|-\s|\s-|(?<=[{HAN}])-(?=[{HAN}])|::|»|(?<=\s)[>›·](?=\s))\s*")

_NAMES = rf"(?P<value>[{HAN}A-Za-z·・][{HAN}A-Za-z·・&_.\- 、，,]{{0,40}}(?:[（(][A-Za-z][A-Za-z .\-]{{1,40}}[）)])?)"
# who writes: reporters, and the commentators and columnists who sign opinion pieces
_REPORTER_WORD = ("(?:记者|記者|通讯员|通訊員|实习生|實習生|特约评论员|特約評論員|评论员|評論員|专栏作者|專欄作者"
                  "|特派[员員])")  # a correspondent abroad: "駐美特派員張三／華盛頓報導"
_REPORTER = rf"(?:[{HAN}·]{{0,12}}?\s?{_REPORTER_WORD})"  # "齐鲁晚报·齐鲁壹点 记者": the outlet a space apart too
EDITOR = (
    "editor", re.compile(  # 选稿: who picked a reprint for the site (东方网)
        rf"(?:[责責]任[编編][辑輯]|[责責][编編]|[编編][辑輯]|[编編]审|[选選]稿)\s*[:：/／]\s*{_NAMES}"),
)
EDITOR_PATTERNS = GatedPatterns([EDITOR])
_SOURCE = (
    "source", re.compile(r"(?:[来來](?<![图圖]片.)(?<![视視][频頻].)源|稿源|出[处處])"  # not a picture's or a video's
                         r"\s*[:：]\s*[\[【]?\s*(?P<value>[^\s\]】|｜:：]{2,30}?)"
                         r"(?=[\s\]】|｜:：]|作\s*者\s*[:：]|(?:19|20)\d\d[-/年.]|$)"),  # nor a glued label or date
)
# what separates a byline label from the name: colons, slashes, and the bars 丨︱｜| of magazine-style bylines
_LABEL_MARK = "[:：/／丨︱｜|]"
LABELLED_AUTHOR = (
    "author",
    re.compile(rf"(?<![{HAN}])(?:作\s*者|撰\s*文|特[约約]撰稿人?|撰稿人?|执笔人?|署名|文/图|文字|文|采写|整理|发信人|发帖人|发表人|发表者|"
               rf"楼主|博主|原创)\s*{_LABEL_MARK}\s*(?:{_REPORTER}\s*)?{_NAMES}"),
)
_SPACED_AUTHOR = ("author", re.compile(rf"(?<![{HAN}])作\s*者\s+{_NAMES}"))  # "作者 张三"
# Discuz!'s portal credits the uploader (发布者) before the writer (原作者): the writer's label is read first
_ORIGINAL_AUTHOR = ("author", re.compile(rf"原作者\s*{_LABEL_MARK}\s*{_NAMES}"))
# an English label before a Chinese name: "Author: 李澄", "作者/Author: 李澄" (not an English page's "author | Follow")
_ENGLISH_LABEL = ("author", re.compile(rf"(?<![A-Za-z])(?i:author|reporter|writer)\s*[:：]\s*(?=[{HAN}]){_NAMES}"))
# other labels a space before the names, on a line of their own: "文 李澄", "撰文 李澄"
_SPACED_LABEL_LINE = ("author", re.compile(rf"^(?:撰文|撰稿|文|采写|执笔)\s+{_NAMES}$"))
# "（本文作者张三，系…）", and a blog post's copyright block: "文章作者: 李澄" (the Hexo themes Butterfly, Matery)
_THIS_ARTICLES_AUTHOR = ("author", re.compile(rf"(?:本文|文章)作者\s*{_LABEL_MARK}?\s*{_NAMES}"))
# the writer's biography closing an opinion piece: "作者简介：张三，澄州大学教授。"
_AUTHOR_BIO = ("author", re.compile(rf"作者[简簡]介\s*[:：]\s*(?P<value>[{HAN}]{{2,4}})[，,]"))
# a meta line whose fields a bar separates, each label glued to its value: "作者李澄|来源澄州日报|2024-04-29"
# (the name must start with a common surname, and the bar close it)
_BARRED_AUTHOR = ("author", re.compile(
    rf"(?<![{HAN}])作者(?P<value>(?={COMMON_SURNAMES.pattern})[{HAN}]{{2,4}})\s*[|｜丨︱]"))
# a label glued to the value before it: "来源：澄州网作者：张三" (markup without a space between fields)
_GLUED_AUTHOR = ("author", re.compile(rf"(?:[来來]源|稿源)\s*[:：]\s*[^\s:：]{{2,30}}?作\s*者\s*[:：]\s*{_NAMES}"))
# "文/图 张三", "图/文：张三": a compound label, followed by the name with or without a mark
_COMPOUND_LABEL = ("author", re.compile(
    rf"(?<![{HAN}])(?:文\s*[/／·、]\s*图|图\s*[/／·、]\s*文|图文)\s*(?:{_LABEL_MARK}\s*|\s+)(?:{_REPORTER}\s*)?{_NAMES}"))
# blogs and forums: "张三 发表于 2005-…", "zboy posted @ 2005-…", "Posted by zboy"
_POSTED_AT_LABEL = r"(?:发表于|发布于|写于|posted\s*@)"  # also a dateline's label (LABELLED_DATE)
_POSTED_AT = ("author", re.compile(
    rf"(?:^|\s)(?P<value>[\w.\-{HAN}]{{2,24}}?)\s*{_POSTED_AT_LABEL}\s*(?:19|20)\d\d", re.IGNORECASE
))
_POSTED_BY_EN = ("author", re.compile(r"\bposted\s+by\s+(?P<value>[\w.\-]{2,24})", re.IGNORECASE))
# 博客园's post footer, the blogger after the time: "posted @ 2024-04-29 09:36 林晓 阅读(356)"
_POSTED_AT_THEN_NAME = ("author", re.compile(
    rf"posted\s*@\s*(?:19|20)\d\d-\d{{1,2}}-\d{{1,2}}\s+\d{{1,2}}:\d\d(?::\d\d)?\s+(?P<value>[\w.\-%{HAN}]{{2,24}})(?=\s|$)",
    re.IGNORECASE))
# a forum thread's poster, the name before 楼主 ("original poster"): "溪山老球迷 楼主 2024-04-20 22:58"
_ORIGINAL_POSTER = ("author", re.compile(rf"^(?P<value>[\w.\-{HAN}]{{2,24}}?)\s*楼主(?=\s|\d|$)"))
# patterns where the page marks its poster: their value is a user's handle, whatever its shape
POSTER_PATTERNS = frozenset(pattern for _, pattern in (_ORIGINAL_POSTER, _POSTED_AT_THEN_NAME))
POSTER_HANDLE = re.compile(rf"[\w.\-%·{HAN}]{{2,24}}")  # "徐涛%", a 博客园 display name
_NAME_SLASH_TEXT = ("author", re.compile(  # "马俊峰/文", "李澄/编译", "李澄/文 王明/图", "（黃偉文／文）" (新華澳報)
    rf"^[（(]?{_NAMES}\s*[/／]\s*(?:文|[编編][译譯])[）)]?(?:$|\s)"))
# "记者 王昊男", "记者：王昊男", "記者／吳鳳瑤"; not "记者表示": a space, a colon or a slash must delimit the name
# ("记者马俊峰/文" is _REPORTER_SLASH's)
_REPORTER_AUTHOR = ("author", re.compile(rf"{_REPORTER_WORD}(?:\s*{_LABEL_MARK}\s*|\s+){_NAMES}"))
# where they report from is two characters or more: "記者鄧厚仁報道"; glued to the name, the name is taken as
# three characters when it can be, as most are ("特派員劉東皋台中報導", "记者王海燕北京报道"), else as short as can be
_REPORTER_SLASH = ("author", re.compile(  # several: "記者潘照文、張逸民／台北報導"
    rf"{_REPORTER_WORD}(?P<value>[{HAN}]{{2,3}}(?:、[{HAN}]{{2,3}}){{0,5}}|[{HAN}·][{HAN}·、]{{1,16}}?)\s*"
    rf"(?:[/／]\s*(?:文|[摄攝])|[发發]自|[/／]?\s*(?:[{HAN}]{{2,6}})?(?:报道|報導|報道))"
))
# a wire dateline that glues the reporter to the place: "（中央社記者溫貴香台北21日電）",
# "（新华社记者王建北京5月9日电）", a special dispatch "（中央社記者戴雅真倫敦25日專電）"; a name is taken as
# three characters when five or more stand before the date, else as two
_DATELINE_REPORTER = ("author", re.compile(
    rf"^[（(]?[{HAN}]{{0,8}}?[记記]者(?P<value>[{HAN}]{{3}}(?=[{HAN}]{{2,3}}\d)|[{HAN}]{{2}}(?=[{HAN}]{{2}}\d))"
    rf"[{HAN}]{{2,3}}(?:\d{{1,2}}月)?\d{{1,2}}日[专專]?[电電]"
))
# at the end of an article only a line that ends with the names: "整合 新华日报·交汇点记者 徐睿翔", "記者：脫芷晴"
# (a source or editor label may follow: "中青报·中青网记者 魏其濛 来源：中国青年报")
_REPORTER_LINE = ("author", re.compile(  # a credit in brackets too: "（经济日报 记者：沈则瑾 见习编辑：覃皓珺）"
    rf"^[^。！？，,]{{0,24}}?(?:记者|記者|通讯员|通訊員)\s*[:：]?\s*(?P<value>[{HAN}·][{HAN}· 、]{{1,30}}?)"
    r"(?:\s+(?:[来來]源|[责責]任[编編][辑輯]|(?:[见見][习習])?[编編][辑輯])\s*[:：].*)?[）)]?$"
))
_CREDIT_LINE = ("author", re.compile(rf"^作\s*者\s*[:：]?\s*{_NAMES}$"))  # "作者 王之言 高孜然" closing the article
# a line of its own crediting the source and the writer, as 网易 closes a reprint ("本文来源：中国证券报·中证网
# 作者：叶涛"), under the related stories that follow the text
_SOURCE_AUTHOR_LINE = ("author", re.compile(
    rf"^(?:本文)?[来來]源\s*[:：]\s*[^\s:：]{{2,30}}\s+作\s*者\s*[:：]\s*{_NAMES}$"))
# "… by duscha 〓"; not a credit for the site's tools ("唸給你聽 powered by Cyberon")
_POSTED_BY = ("author", re.compile(
    rf"(?<!\S)(?<![Pp]owered )(?<![Dd]esigned )(?<![Hh]osted )(?<![Tt]heme )(?<![Dd]eveloped )(?<![Ss]ponsored )"
    rf"(?:by|By(?=\s+[{HAN}]))\s+(?P<value>[\w&.\-{HAN}]{{2,24}}?)\s*(?:〓|$)"))  # "By 李澄": a Chinese name
# "由海姑娘张贴", "本贴由大卫于2005年8月12日…发表", "由 李澄 2024-03-05发表" (the Puock theme for WordPress)
_POSTED_THROUGH = ("author", re.compile(
    rf"由\s*(?P<value>[\w&.\-{HAN}]{{2,24}}?)\s*(?:张贴|发表|发布|于\s*(?:19|20)\d\d"
    r"|(?:19|20)\d\d[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d\d(?::\d\d)?)?\s*(?:发表|发布))"
))
# "2024-03-05 09:07 by 李澄", as ThinkCMF's portal theme prints the posting user after the time
_BY_AFTER_TIME = ("author", re.compile(rf"\d:\d\d(?::\d\d)?\s+by\s+(?P<value>[\w.\-{HAN}]{{2,24}}?)(?=\s|$)"))
# a wire or paper lead without brackets, the reporters a space before the text: "新华社北京10月15日电 记者赵超 …",
# "本报讯 记者 张三 …"; not "…日电 记者从有关部门获悉" (no name: no space after it), the names must start like names
_UNBRACKETED_LEAD = ("author", re.compile(
    rf"(?:日[电電]|[讯訊])\s*[记記]者\s*(?P<value>(?={COMMON_SURNAMES.pattern})[{HAN}]{{2,4}}(?:、[{HAN}]{{2,4}}){{0,5}})\s"
))
# a wire lead: "新华社深圳5月12日电（记者戴小河、印朋）", the names glued to 记者 or standing alone
_WIRE_LEAD = ("author", re.compile(
    rf"日[电電]\s*[（(]\s*(?:{_REPORTER}\s*)?(?P<value>[{HAN}]{{2,4}}(?:[、 ][{HAN}]{{2,4}}){{0,5}})\s*[）)]"
))
# a translated piece credits its translator: "（编译/林靖东）", "编译：张三"
# and 中央社's "（譯者：王嘉語/核稿：嚴思祺）1120823", the copy checker and the story's ROC-year date code after it
_TRANSLATOR = ("author", re.compile(  # and another role's field after the names: "(实习编译：王国宁 审稿：王焕 王欢)"
    rf"(?:[编編][译譯]|[译譯]者)\s*[:：/／]\s*{_NAMES}\s*"
    rf"(?:[/／]\s*[{HAN}]{{2,4}}\s*[:：]\s*[{HAN}]{{2,4}}\s*|\s+[{HAN}]{{2,4}}\s*[:：][^（）()]*)?[）)]?"
    r"\s*(?:\d{7})?\s*$"))
# reporters in brackets, the names glued to the label: "本报讯（记者叶婉）", "（通讯员 张三、李四）", and the
# roles after each other: "（记者陈翔 通讯员罗裕秋、廖胜权）" (ROLE_BETWEEN_NAMES)
_BRACKETED_REPORTER = ("author", re.compile(  # Taiwan's "【聯合報／本報記者古硯偉】" too
    rf"[（(【]\s*(?:[{HAN}·]{{2,12}}\s*／\s*)?{_REPORTER}\s*"
    rf"(?P<value>[{HAN}]{{2,4}}(?:(?:[、 ]|\s*{_REPORTER_WORD}\s*)[{HAN}]{{2,4}}){{0,5}})\s*[）)】]"
))
# a reporter's role between two names a byline credits: "陈翔 通讯员罗裕秋" reads "陈翔、罗裕秋"
ROLE_BETWEEN_NAMES = re.compile(rf"(?<=[{HAN}])\s*{_REPORTER_WORD}\s*(?=[{HAN}])")
# a Taiwan byline opening the text or under the headline: "【陳怡妏／綜合外電報導】", "金名/高雄報導" after the
# outlet and date; the names, a slash, where or how it was reported
_NAME_SLASH_REPORTED = ("author", re.compile(
    rf"(?:^[【（(]\s*|(?:^|\s|\d))(?P<value>[{HAN}]{{2,4}}(?:、[{HAN}]{{2,4}}){{0,3}})\s*[/／]\s*[{HAN}]{{2,8}}"
    rf"(?:报道|報導|報道)"
))
# the province-level places, as a platform prints where a post was sent from ("2024年12月18日 18:08 江苏")
PROVINCES = frozenset(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 "
    "贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门".split()
)
# Taiwan's counties and cities, as its newsrooms sign where they report from ("地方中心／桃園報導")
TAIWAN_PLACES = frozenset(
    "台北 臺北 新北 桃園 台中 臺中 台南 臺南 高雄 基隆 新竹 苗栗 彰化 南投 雲林 嘉義 屏東 宜蘭 花蓮 台東 臺東 "
    "澎湖 金門 馬祖 連江".split()
)
PLACES = TAIWAN_PLACES | PROVINCES


def _one_of(words: frozenset[str]) -> str:
    """An alternation of `words`, longest first (so "内蒙古" is tried before any shorter word), in a fixed order."""
    return "|".join(sorted(words, key=lambda word: (-len(word), word)))


# a byline line of an agency's or paper's reporters: "新华社记者邹多为、唐诗凝、丁乐" (not a menu's "记者调查 民意调查")
_AGENCY_REPORTERS = ("author", re.compile(  # … after a bullet, an outlet a space apart, a rank: "■記者張三",
    # "鏡週刊 記者張三", "特約記者張三"; then where they reported from, the time, or both, a space apart:
    # "鉅亨網記者王莞甯 台北", "本报记者张三 2024-04-29 10:00"
    rf"^[■□●◎◆▲★▶►•\s]*(?:[{HAN}A-Za-z0-9]{{1,8}}(?:社|报|報|网|網|台|[周週]刊|新[闻聞])\s*)?"
    rf"(?:特[约約]|首席|[资資]深|[实實][习習]|[见見][习習])?[记記]者\s*(?P<value>[{HAN}]{{2,4}}(?:、[{HAN}]{{2,4}}){{0,5}})"
    rf"(?:\s+(?:{_one_of(PLACES)}))?(?:\s+(?:19|20)\d\d[-/.年][\d\s:：/.月日-]*)?$"
))



_PLACE_ENDINGS = "市縣县區区鄉乡鎮镇村"  # "高雄市", "三民區": a place, where a name's last character would stand
_REPORTED_FROM = _one_of(PLACES)
# a Taiwan newsroom's desk, then its reporters, three-character names with a common surname: "生活中心／賴俊佑報導",
# "〔政治中心／張大同、李小明報導〕"; not where the desk reports from ("地方中心／高雄市報導", "／羅東報導": a
# township's two characters) nor a compilation ("體育中心／綜合報導")
_DESK_SLASH_NAME_REPORTED = ("author", re.compile(
    rf"^[〔【（(]?\s*[{HAN}]{{2,6}}(?:中心|[组組]|部)\s*[/／]\s*(?!(?:{_REPORTED_FROM})[市縣县區区]?\s*(?:报道|報導|報道))"
    rf"(?P<value>(?={COMMON_SURNAMES.pattern})[{HAN}]{{2}}(?![{_PLACE_ENDINGS}])[{HAN}](?:、[{HAN}]{{3}}){{0,3}})"
    rf"\s*(?:报道|報導|報道)"
))
_BRACKET_AFTER_TIME = ("author", re.compile(rf"\d:\d\d(?::\d\d)?\s*[\[【]\s*{_NAMES}\s*[\]】]"))
# Names in brackets with no label must start with a common surname: "（袁源）", "…。（常书香 马丹阳）"
_SURNAMED = rf"(?P<value>(?={COMMON_SURNAMES.pattern})[{HAN}]{{2,4}}(?:[、 ][{HAN}]{{2,4}}){{0,3}})"
# writers unlabelled but for the source field the bar after them opens: "金彧 宓迪 | 来源：新京报" (未央网)
_NAMES_THEN_SOURCE = ("author", re.compile(rf"^{_SURNAMED}\s*[|｜丨]\s*(?:[来來]源|稿源)\s*[:：]"))
# reporters after the time, unlabelled but for 報導 after them: "2014/03/19 18:58 彭佳芸 黃翊真 報導" (華視)
_REPORTED_AFTER_TIME = ("author", re.compile(rf"\d:\d\d(?::\d\d)?\s+{_SURNAMED}\s+(?:报道|報導|報道)(?!\S)"))
# the writer, a middle dot and the time: "张三 · 2020/01/13 10:21 来源：界面新闻" (界面's header)
_NAME_DOT_DATE = ("author", re.compile(rf"^{_SURNAMED}\s*[·・]\s*(?=(?:19|20)\d\d[-/.年])"))
# … or alone on the line, after the outlet, before the place: "東森新聞 張三 報導", "王曉明 台北報導" (TV news
# sites); a line with 记者 is left to the reporter patterns
_REPORTED_BY_LINE = ("author", re.compile(
    rf"^(?!.*[记記]者)(?:[{HAN}A-Za-z0-9]{{2,10}}\s+)?{_SURNAMED}\s+(?:[{HAN}]{{2,4}}?)?(?:报道|報導|報道)$"))
# an outlet's lead without its 电: "中新网10月10日 (李金磊) 人社部10日公布…"; unlabelled, so a common surname,
# and not the day of the week its date may carry ("（周三）") nor a line that cites the outlet ("据新华社…")
_OUTLET_DATE_LEAD = ("author", re.compile(
    rf"^(?![据據])[{HAN}]{{1,8}}(?:网|網|社|报|報)\s*\d{{1,2}}月\d{{1,2}}日\s*[（(]\s*"
    rf"(?!(?:[周週][一二三四五六日末]|星期|[礼禮]拜)){_SURNAMED}\s*[）)]"))
_SIGNED_LINE = ("author", re.compile(rf"^[（(]\s*{_REPORTER}\s*{_NAMES}\s*[）)]$"))  # "（记者 胡晓蓉）"
_NAMED_LINE = ("author", re.compile(rf"^[（(]\s*{_SURNAMED}\s*[）)]$"))  # "（袁源）"
# any handle alone in brackets closing the text or its last sentence, "…。（冰糖炖雪梨）": the author only
# when author markup holds it too
BRACKETED_HANDLE = re.compile(rf"(?:^|[。！？”])\s*[（(]\s*([{HAN}A-Za-z0-9_\-]{{2,12}})\s*[）)]$")
_SIGNED_PARAGRAPH = ("author", re.compile(rf"[。！？”]\s*[（(]\s*{_REPORTER}\s*{_NAMES}\s*[）)]$"))  # "…。（记者 X）"
_NAMED_PARAGRAPH = ("author", re.compile(rf"[。！？”]\s*[（(]\s*{_SURNAMED}\s*[）)]$"))  # "…。（常书香 马丹阳）"
_REPORTED_PARAGRAPH = ("author", re.compile(  # "…。（姚峰 上海报道）", Taiwan's "…。（王煌忠／台中報導）", after
    rf"[。！？”][（(]\s*(?:[{HAN}A-Za-z]{{2,8}}[／/])?"  # the outlet: "（民視新聞／王小明、李大同 台北報導）"
    rf"(?P<value>[{HAN}·]{{2,4}}(?:[、 ][{HAN}·]{{2,4}})*?)\s*(?:\s|[／/])\s*[{HAN}]{{2,6}}"
    rf"(?:报道|報導|報道)\s*[）)]"  # distinctive enough anywhere: markup may glue the next block to it
))
# the writer of a special report, then who supplied it: "徐勇（新华社供本报特稿）" closing the text
_NAME_THEN_SUPPLIER = ("author", re.compile(rf"^{_SURNAMED}\s*[（(][{HAN}]{{0,12}}(?:特稿|专稿|專稿|供稿)[）)]$"))
# a reader's contribution, signed in the closing brackets: "…？（中国台湾网网友：我心飞扬）"
_CONTRIBUTOR = ("author", re.compile(rf"[（(]\s*[{HAN}]{{0,10}}?[网網]友\s*[:：]\s*{_NAMES}\s*[）)]$"))
# a closing line of its own: the outlet, its reporters, where they reported from ("凤凰卫视 王恳 周铭吉 北京报道")
_REPORTED_LINE = ("author", re.compile(
    rf"^(?:(?![{HAN}]*{_REPORTER_WORD})[{HAN}A-Za-z]{{2,10}}\s+)?{_SURNAMED}\s+[{HAN}]{{2,4}}(?:报道|報導|報道)$"))
# a paragraph that closes with the reporter glued to the label: "…为副市长。记者王海燕"
_REPORTER_AT_END = ("author", re.compile(rf"[。！？”]\s*{_REPORTER_WORD}\s*(?P<value>[{HAN}]{{2,3}})$"))
_OUTLET = "(?:快訊|快讯|新聞|新闻|日報|日报|晚報|晚报|電子報|电子报|報|报|社|網|网|台|中心)"
NEWS_WORD = re.compile("新[闻聞]")  # no person's name holds it: an outlet's or a column's ("新聞透視")
# an outlet named beside its writer in a tag or byline: "吳玫穎, 中時電子報"
OUTLET_NAME = re.compile(rf"[{HAN}A-Za-z]{{2,12}}{_OUTLET}")
# what follows an outlet's short name in the site's own name: 财新 → 财新网, 澄州 → 澄州日报
OUTLET_ENDING = re.compile(rf"{_OUTLET}?(?:传媒|傳媒|集团|集團)?")
# "李澄/澄州日报": the person, then the outlet, a byline line of its own
_NAME_SLASH_OUTLET = ("author", re.compile(
    rf"^(?P<value>[{HAN}]{{2,4}}(?:[ 、][{HAN}]{{2,4}}){{0,3}})\s*[／/]\s*[{HAN}A-Za-z]{{2,12}}?{_OUTLET}$"))
# the place a platform prints after the time since 2022: "发布于浙江", "来自北京", "IP属地：广东"
_IP_LOCATION = rf"(?:\s*[·|｜]?\s*(?:发布于|来自|IP属地\s*[:：]?)\s*[{HAN}]{{2,8}})?"
# a platform page's unlabelled line under the headline: "澄州日报 2024-05-01 10:00", "2024-05-01 10:00 · 澄州日报"
ACCOUNT_DATELINE = re.compile(
    rf"^(?:(?P<before>[{HAN}A-Za-z0-9·_\-]{{2,20}})\s*[·|｜]?\s*(?:19|20)\d\d[-/.年]\S*(?:\s+\d\d?:\d\d(?::\d\d)?)?"
    rf"|(?:19|20)\d\d[-/.年]\S*(?:\s+\d\d?:\d\d(?::\d\d)?)?\s*[·|｜]?\s*(?P<after>[{HAN}A-Za-z0-9·_\-]{{2,20}}))"
    rf"{_IP_LOCATION}(?:\s*[来來]源\s*[:：].*)?$"  # the source may follow: "刘素楠 · 2019/05/16 21:47 来源：界面新闻"
)
# "上報快訊／范姜佳鈺", "中央社／張三": an outlet, then the person, in one byline
OUTLET_SLASH_NAME = re.compile(
    rf"^[{HAN}A-Za-z]{{2,12}}?{_OUTLET}\s*[／/]\s*(?P<name>[{HAN}]{{2,4}})(?:\s|$)"
)

# "作者：中国国际经济交流中心世界经济研究部部长，“一带一路”研究部部长、研究员徐占忱）": a labelled byline
# whose affiliation, quotes and commas included, runs up to a title just before the name, glued to it or a
# space apart (`clean_names`)
_AFFILIATED_AUTHOR = ("author", re.compile(
    rf"作\s*者\s*[:：]\s*(?P<value>[^:：（()）\n]{{0,80}}?{_TITLES}\s*[{HAN}]{{2,3}})(?=[）)\s，,。]|$)"))
# "作者：方敏北京大学经济学院教授": the name first, glued to an affiliation that ends in a title; the
# affiliation opens with a province-level place, 中国, 中央 or 国家, which marks where the name ends
_AFFILIATION_START = f"(?:中国|中央|国家|{_one_of(PROVINCES)})"
_NAME_THEN_AFFILIATION = ("author", re.compile(
    rf"作\s*者\s*[:：]\s*(?P<value>[{HAN}]{{2,3}}?)"
    rf"(?={_AFFILIATION_START}[^:：（()）\n]{{0,40}}?{_TITLES}\s*(?:[）)，,。]|$))"))

# a translator above the text, the author when no writer is credited (METADATA.md): "编译：李澄"
TRANSLATOR_PATTERNS = GatedPatterns([_TRANSLATOR])
# strong enough to be read anywhere above the text, or anywhere in it, when the zones had nothing
ANYWHERE_ABOVE_PATTERNS = GatedPatterns([_ORIGINAL_AUTHOR, LABELLED_AUTHOR, _POSTED_THROUGH])
ANYWHERE_IN_TEXT_PATTERNS = GatedPatterns([_AFFILIATED_AUTHOR, _NAME_THEN_AFFILIATION, _SIGNED_PARAGRAPH,
                                           _REPORTED_PARAGRAPH, _REPORTER_AT_END, _TRANSLATOR, _POSTED_THROUGH])
# ...and below it, past the related stories (网易), where one such line, and only one, credits the article:
# a source-and-author line, 博客园's footer, a copyright
BELOW_TEXT_PATTERNS = GatedPatterns([_SOURCE_AUTHOR_LINE, _POSTED_AT_THEN_NAME, _THIS_ARTICLES_AUTHOR])
BELOW_TEXT_LINES = 40
BYLINE_PATTERNS = GatedPatterns([
    _ORIGINAL_AUTHOR, _AFFILIATED_AUTHOR, _NAME_THEN_AFFILIATION, LABELLED_AUTHOR, _GLUED_AUTHOR, _COMPOUND_LABEL,
    _SPACED_AUTHOR, _SPACED_LABEL_LINE, _ENGLISH_LABEL, _BARRED_AUTHOR, _DATELINE_REPORTER, _WIRE_LEAD,
    _UNBRACKETED_LEAD, _OUTLET_DATE_LEAD, _BRACKETED_REPORTER, _REPORTER_AUTHOR, _AGENCY_REPORTERS, _REPORTER_SLASH,
    _NAME_SLASH_TEXT, _NAME_SLASH_OUTLET, _NAME_SLASH_REPORTED, _DESK_SLASH_NAME_REPORTED, _BRACKET_AFTER_TIME,
    _REPORTED_AFTER_TIME, _REPORTED_BY_LINE, _NAME_DOT_DATE, _NAMES_THEN_SOURCE, _POSTED_BY, _BY_AFTER_TIME,
    _POSTED_THROUGH, _POSTED_AT, _POSTED_BY_EN, _POSTED_AT_THEN_NAME, _ORIGINAL_POSTER, EDITOR, _SOURCE,
])
CLOSING_PATTERNS = GatedPatterns([
    _SIGNED_LINE, _NAMED_LINE, _THIS_ARTICLES_AUTHOR, _AUTHOR_BIO, _SIGNED_PARAGRAPH, _NAMED_PARAGRAPH,
    _REPORTED_PARAGRAPH, _REPORTER_AT_END, _REPORTER_LINE, _REPORTED_LINE, _CONTRIBUTOR, _NAME_THEN_SUPPLIER,
    _CREDIT_LINE, _AFFILIATED_AUTHOR, _NAME_THEN_AFFILIATION, LABELLED_AUTHOR, _GLUED_AUTHOR, _COMPOUND_LABEL,
    _NAME_SLASH_TEXT, _TRANSLATOR, _POSTED_BY, _POSTED_THROUGH, _POSTED_AT, _POSTED_BY_EN, _POSTED_AT_THEN_NAME,
    EDITOR, _SOURCE,
])

# A dateline whose label says the date is the post's: "ggjjzhzz 发表于 2005-9-15 11:46:00", "发布时间：
# 2024-04-29". Read in any short line of the text, then above it (nearest first), when nothing nearer
# dated the page: when the text starts with a sidebar, a blog's post header ends up inside it.
LABELLED_DATE = re.compile(
    rf"(?:{_POSTED_AT_LABEL}|[发發][表布佈](?:时间|時間|日期))\s*[:：]?\s*(?=(?:19|20)\d\d)", re.IGNORECASE
)
# what labels a date as the last update, not the publication ("更新时间：", "最后更新于"): METADATA.md
# takes it only when the page prints no publication date; the label closes the text before the date
_UPDATE_WORD = r"(?:(?:更新|修改|修订|修訂)(?:时间|時間|日期|于|於)?|[编編][辑輯][于於])"  # 知乎's "编辑于" too
UPDATE_LABEL = re.compile(rf"{_UPDATE_WORD}\s*[:：]?\s*$")
UPDATE_WORD = re.compile(_UPDATE_WORD)
# what labels a date as another article's: CSDN prints "最新推荐文章于 2024-02-02 22:51:05 发布" where the
# post's own time would be (it keeps that in the element's data-time and in its script's postTime)
OTHER_ARTICLE_LABEL = re.compile(r"(?:推荐|推薦|相关|相關|热门|熱門)文章")
# Dated lines above the text that do not date it: a listed headline with its date (a related article:
# a link longer than an outlet's name and not a web address, whose line is the link and the date), a
# video player's build stamp
MIN_LISTED_HEADLINE_CHARS = 9
WEB_ADDRESS = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)  # a source link: "http://www.x.com/ 2005-07-18"
PLAYER_MARKUP = re.compile(r"player", re.IGNORECASE)
MAX_PLAYER_CHARS = 200  # a player's own text (class or id "…player…") is short: a longer block is a container
# a platform's own publication time in the page's script, in Unix seconds: WeChat's `var ct = "1659274471"`,
# 头条's `publish_time: 1659274471`
SCRIPT_TIME = re.compile(r"""(?:\bvar\s+ct|publish_time["']?)\s*[=:]\s*["']?(1\d{9})["']?""")
SCRIPT_TIME_WORDS = ("var ct", "publish_time")  # looked for first: the pattern is not run on other pages
# where a SCRIPT_TIME match can start, one pattern per alternative so that each has a literal start for
# the regex engine to skip ahead to: SCRIPT_TIME is tried there only (run along a whole 240 KB page, its
# leading word boundary left the engine nothing to skip ahead to: 4 ms a page)
SCRIPT_TIME_STARTS = (re.compile(r"var\s+ct"), re.compile("publish_time"))
# ... or as a date string under a key of the page's own data: window.DATA = {"pubtime": "2020-07-08
# 16:37:45"} (企鹅号), ejValue['publishDateTime']="2020-08-14 09:18:00" (信報), or in a variable of the page's
# own: var postTime = "2016-10-06 18:02:38" (CSDN; a comment list's "postTime" key is a comment's); one pattern
# per word, each starting with its literal word
_SCRIPT_DATE = r"""\s*[=:]\s*["']((?:19|20)\d\d-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)?)["']"""
SCRIPT_DATES = {
    **{key: re.compile(rf"""{key}["'\]]*{_SCRIPT_DATE}""") for key in ("pubtime", "publishDateTime", "publishTime")},
    "postTime": re.compile(rf"var\s+postTime{_SCRIPT_DATE}"),
}
# A date in the URL: /2024-04/29/, /20240429/, /2024/04/29/.
URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)")
