"""Furniture: site lines go with the rule that removed them; article lines, short or not, stay."""

from __future__ import annotations

import pytest

from cleaning.text.furniture import default_rules, parse_rules, strip_furniture

ARTICLE = "\n".join(
    [
        "4月29日，2024中关村论坛年会重大成果专场发布活动在中关村国际创新中心畅春厅举办。" * 3,
        "19项重大科技成果发布",
        "亮点突出，有很多首次",
        "导语",
        "2024",
        "开心",  # a one-word paragraph is not a vote button without its counter
        "重大科技成果发布涉及面向世界科技前沿、面向经济主战场等四大版块共19项成果。" * 3,
    ]
)


def test_article_lines_survive() -> None:
    assert strip_furniture(ARTICLE) == (ARTICLE, [])


@pytest.mark.parametrize("line", [
    "市民可扫码预约参观，每天限流三千人。",  # news that mentions a QR code
    "这一事件引发社会广泛关注，有关部门已介入调查。",
    "分析人士指出，投资有风险，但长期看好这一板块。",  # a sentence of the story, not the page's notice
    "编辑部的同事们都很关心这件事。",
    # a question, a list item, a headline and a quote about QR codes or following: news, with no 。
    "问：如何扫码进入小程序预约？",
    "1.游客可扫描景区门口二维码，进入小程序购票；",
    "市民扫码即可进入小程序预约挂号",
    "乘客可通过扫描车厢内的二维码参与评价",
    "他说：请关注我们孩子的心理健康！",
    "市政府开通心理援助专线，市民可拨打12345转接。",  # news about a hotline
    "她说，希望大家再给自己一次机会，也给家人一次机会。",
    "该报将于下月推出新版客户端，用户可在应用商店下载。",
    "苹果下载量创新高",
    "警方提醒：切勿点击下载来历不明的APP！",  # anti-fraud advice names apps and downloads
    "诈骗分子诱导受害人点击下载“会议”App",
    "举报专线：0755-12345678",  # a tip line of the story
    "報名諮詢專線：02-12345678",
    "母親在記者會上哽咽呼籲兒子：「請給自己一次機會，回家吧！」",
    "请给自己一次机会",  # the notice is Taiwan's: a Simplified subheading stays
    "监制这部纪录片的导演今年六十岁。",
    "- 相关政策的细则将于下月公布",
])
def test_news_sentences_that_share_words_with_furniture_survive(line: str) -> None:
    assert strip_furniture(f"{ARTICLE}\n{line}")[1] == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("- 约4.79千字", "docsite_header"),
        ("- 约 8页", "docsite_header"),
        ("- 2026-02-09 发布于四川", "docsite_header"),
        ("- 举报", "docsite_header"),
        ("- 0", "docsite_header"),
        ("- 智慧机场数据中台建设与应用场景分析.docx VIP", "docsite_download_list"),
        ("原创力文档", "docsite_brand"),
        ("文档评论(0)", "docsite_brand"),
        ("点击右上角微信好友", "share_prompt"),
        ("朋友圈", "share_prompt"),
        ("请使用浏览器分享功能进行分享", "share_prompt"),
        ("正在阅读:北京不断强化科技创新策源功能", "now_reading"),
        ("首页> 地方频道> 要闻 > 正文", "breadcrumb"),
        ("阅读剩余全文(", "read_more"),
        ("加载更多", "read_more"),
        ("您此时的心情", "emotion_vote"),
        ("新闻表情排行 /", "emotion_vote"),
        ("视觉焦点", "section_label"),
        ("独家策划", "section_label"),
        ("友情提示", "reprint_notice"),
        ("本站部分转载文章,皆来自互联网,仅供参考及分享", "reprint_disclaimer"),
        ("联系邮箱:1042463605@qq.com", "contact_line"),
        ("①①", "figure_markers"),
        ("2025-12-12 13:08", "teaser_timestamp"),
        ("市场有风险，投资需谨慎。本文仅供参考，不构成投资建议。", "investment_disclaimer"),
        ("（本文仅代表作者观点）", "opinion_disclaimer"),
        ("“特别声明：以上作品内容为凤凰网旗下自媒体平台“大风号”用户上传并发布，本平台仅提供信息存储空间服务。",
         "platform_statement"),
        ("网友评论仅供其表达个人看法，并不表明网易立场。", "comment_notice"),
        ("跟贴热词：", "comment_notice"),
        ("（原标题：路虎中国黄金5年终结）", "original_title"),
        ("长按识别二维码关注我们", "follow_promo"),
        ("欢迎关注本公众号", "follow_promo"),
        ("扫描下方二维码下载客户端", "follow_promo"),
        ("长按识别二维码", "follow_promo"),
        ("点击上方蓝字关注我们", "follow_promo"),
        ("扫码关注小程序，获取更多资讯", "follow_promo"),
        ("扫描上方图片二维码领取骑行礼包！", "follow_promo"),
        ("【字号 大 中 小】", "page_tools"),
        ("编辑 周褶褶 ｜ 排版 魏蔚", "staff_credits"),
        # one production role a line (an editor's line is a credit: `credits` reads it), an empty editor slot
        ("总监制：王明", "staff_credit_line"),
        ("审读/崔向东", "staff_credit_line"),
        ("责任编辑：", "empty_editor"),
        # trafilatura prints a list item as "- …": the line rules hold for it too
        ("- 原标题：路虎中国黄金5年终结", "original_title"),
        ("- 分享到", "share_prompt"),
        # Traditional pages: Taiwan's suicide-prevention notice, app promos, the Traditional twins
        ("★某某電子報關心您：再給自己一次機會", "hotline_notice"),
        ("●《某某新聞雲》提醒您，請給自己機會：", "hotline_notice"),
        ("自殺防治諮詢安心專線：0800-788995（24小時）", "hotline_number"),
        ("生命線協談專線：1995", "hotline_number"),
        ("張老師專線：1980", "hotline_number"),
        ("還想看更多新聞嗎？歡迎下載某某報APP，現在看新聞還能抽獎", "app_promo"),
        ("iOS載點https://bit.ly/example_apps", "app_promo"),
        ("欢迎下载某某新闻客户端", "app_promo"),
        ("閱讀全文", "read_more"),
        ("（原標題：某某的黃金五年）", "original_title"),
        ("首頁 > 社會 > 正文", "breadcrumb"),
    ],
)
def test_furniture_line_is_removed_with_its_rule(line: str, rule: str) -> None:
    text, removed = strip_furniture(f"{ARTICLE}\n{line}\n{ARTICLE}")
    assert text == f"{ARTICLE}\n{ARTICLE}"
    assert removed == [(rule, line)]


@pytest.mark.parametrize("marker", ["相关阅读", "推荐阅读", "最近下载", "您可能关注的文档", "最新评论", "- 相关新闻",
                                    "延伸閱讀", "相關新聞", "最新評論"])
def test_tail_marker_removes_the_rest(marker: str) -> None:
    tail = [marker, "新华社北京12月12日电 某活动12日启动。", "2025-12-12 13:08"]
    text, removed = strip_furniture("\n".join([ARTICLE, *tail]))
    assert text == ARTICLE
    assert [line for _, line in removed] == tail


def test_tail_marker_above_the_article_removes_only_itself() -> None:
    text, removed = strip_furniture(f"相关阅读\n{ARTICLE}")
    assert text == ARTICLE
    assert removed == [("related_reading", "相关阅读")]


def test_vote_widget_takes_its_counters() -> None:
    widget = "• 开心\n\u00a0\n0\n• 难过\n0"
    text, removed = strip_furniture(f"{ARTICLE}\n{widget}")
    assert text == ARTICLE
    assert [line for _, line in removed] == ["• 开心", "0", "• 难过", "0"]


def test_vote_option_without_counter_stays() -> None:
    assert strip_furniture(f"{ARTICLE}\n开心\n{ARTICLE}")[1] == []


def test_section_label_takes_its_bullets_only() -> None:
    block = "视觉焦点\n• 联合国教科文组织保护非遗政府间委员会将举办\n• “备战”封关"
    text, removed = strip_furniture(f"{ARTICLE}\n{block}\n{ARTICLE}")
    assert text == f"{ARTICLE}\n{ARTICLE}"
    assert len(removed) == 3


def test_rules_file_is_valid() -> None:
    names = [rule.name for rule in default_rules()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "entry",
    [
        {"name": "x", "literal": ["a"], "scope": "page"},
        {"name": "x", "literal": ["a"], "regex": "a"},
        {"name": "x"},
        {"name": "x", "regex": r"(a)\1"},  # all rules are matched as one pattern: a backreference would shift
        {"name": "x", "regex": r"(?i)share"},
    ],
)
def test_bad_rules_are_rejected(entry: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        parse_rules([entry])


def test_site_disclaimer_block_is_cut_but_news_about_a_disclaimer_is_not() -> None:
    disclaimer = "中国某某网版权与免责声明：凡本网注明“来源：某某网”的所有作品，版权均属于本网。"
    text = f"{ARTICLE}\n{disclaimer}\n联系本网请拨打电话。"
    cleaned, removed = strip_furniture(text)
    assert cleaned == ARTICLE and [rule for rule, _ in removed] == ["site_disclaimer"] * 2
    news = ARTICLE + "\n该公司当晚发布免责声明：相关产品与其无关，将依法追究责任。"
    assert strip_furniture(news)[0] == news
