"""Byline, headline and dateline forms as Chinese pages print them, each read as METADATA.md says.

A regression table: the forms that probes of label variants, zones, Traditional-script bylines,
production credits, title layouts and datelines showed the rules read right, kept right. The lines
are our own; the forms come from the convention's table, CMS templates and pages in public code.
"""

from __future__ import annotations

import pytest
from test_extraction_metadata import _bare_page, page

from cleaning.extraction.extractor import extract_html

BYLINES = [  # (where the line stands: above the text, opening or closing it; the line; the author)
    ("first", "新华社深圳5月12日电（记者戴小河、印朋）", "戴小河、印朋"),
    ("first", "新华社北京6月1日电（张三、李四）", "张三、李四"),
    ("first", "中新网北京5月12日电 (记者 张三)", "张三"), ("first", "人民网北京5月12日电 （记者张三）", "张三"),
    ("first", "本报北京5月12日讯（记者 张三）", "张三"), ("first", "本报讯 记者张三 ", "张三"),
    ("first", "本报讯（通讯员 李四 记者 张三）", "李四、张三"), ("first", "央视网消息（记者 张三）：", "张三"),
    ("first", "光明网讯（记者 张三）", "张三"), ("first", "中新社北京5月12日电 记者 张三 ", "张三"),
    ("first", "新华社北京5月12日电 记者张三、李四 ", "张三、李四"),
    ("first", "中新网5月12日电 据日本共同社报道，", None), ("first", "新华社北京5月12日电 ", None),
    ("first", "（中央社記者張三台北21日電）", "張三"), ("first", "中央社記者張三台北21日電", "張三"),
    ("first", "【記者張三／台北報導】", "張三"), ("first", "記者張三／綜合報導", "張三"),
    ("first", "〔記者張三／台北報導〕", "張三"), ("first", "〔即時新聞／綜合報導〕", None),
    ("first", "（記者 張三）", "張三"), ("last", "（张三）", "张三"),
    ("last", "（评论员 罗博 萧海川）", "罗博、萧海川"), ("last", "（本报记者 张三）", "张三"),
    ("last", "（记者 张三 实习生 李四）", "张三、李四"), ("last", "（張三／台北報導）", "張三"),
    ("last", "（編輯：王五）", None), ("last", "（作者：方敏北京大学经济学院教授）", "方敏"),
    ("last", "（作者系澄州大学教授）", None), ("last", "（作者为澄州大学教授）", None),
    ("last", "（作者：张三，系澄州大学教授）", "张三"), ("last", "（来源：澄州日报）", None),
    ("last", "（完）", None), ("last", "（本文作者张三，系澄州大学教授）", "张三"), ("last", "（文/张三）", "张三"),
    ("last", "（通讯员 李四）", "李四"), ("above", "本报记者 张三 通讯员 李四", "张三、李四"),
    ("above", "来源：澄州日报 作者：张三 编辑：王五", "张三"), ("above", "澄州日报记者 张三 李四", "张三、李四"),
    ("above", "撰文 | 张三", "张三"), ("above", "文 | 张三 图 | 李四", "张三"), ("above", "文/张三 图/李四", "张三"),
    ("above", "文、图/张三", "张三"), ("above", "图文/张三", "张三"), ("above", "文字/张三 摄影/李四", "张三"),
    ("above", "记者 张三 文/图", "张三"), ("above", "张三 摄", None),
    ("above", "作者：张三 来源：澄州日报 发布时间：2024-04-29", "张三"),
    ("above", "作者：张三　来源：澄州日报", "张三"), ("above", "作者: Tom Smith", "Tom Smith"),
    ("above", "记者 欧阳明 司马光", "欧阳明、司马光"), ("above", "作者：张三（澄州大学）", "张三"),
    ("above", "作者：张三 澄州大学教授", "张三"), ("above", "【作者：张三】", "张三"),
    ("above", "[作者:张三 责任编辑:李四]", "张三"), ("above", "作者：本报评论员", None),
    ("above", "澄州日报评论员", None), ("above", "本报评论员 张三", "张三"), ("above", "作者：澄州日报", None),
    ("above", "作者：澄州网", None), ("above", "作者：澄州市教育局", None), ("above", "作者：网络整理", None),
    ("above", "作者：综合整理", None), ("above", "作者：匿名", None), ("above", "記者張三／台北報導", "張三"),
    ("above", "【記者張三／台北報導】", "張三"), ("above", "〔記者張三／台北報導〕", "張三"),
    ("above", "文／張三", "張三"), ("above", "撰文／張三", "張三"), ("above", "圖／張三", None),
    ("above", "編輯／張三", None), ("above", "作者：張三", "張三"), ("above", "綜合外電報導", None),
    ("above", "記者張三、李四／台北報導", "張三、李四"), ("above", "記者 張三 報導", "張三"),
    ("above", "張三 報導", "張三"), ("above", "文：張三｜圖：李四", "張三"),
    ("above", "撰文：張三；攝影：李四", "張三"), ("above", "特派記者張三／東京報導", "張三"),
    ("above", "駐美特派員張三／華盛頓報導", "張三"), ("above", "特約記者張三", "張三"),
    ("above", "國際中心／綜合報導", None), ("above", "生活中心／台北報導", None),
    ("above", "記者張三／綜合報導", "張三"), ("above", "東森新聞 張三 報導", "張三"),
    ("above", "TVBS 張三 報導", "張三"), ("above", "華視新聞 記者 張三 / 台北報導", "張三"),
    ("above", "香港01 記者 張三", "張三"), ("above", "明報記者 張三", "張三"), ("above", "星島日報報道", None),
    ("above", "■記者張三", "張三"), ("above", "圖、文／張三", "張三"), ("above", "撰文／張三　攝影／李四", "張三"),
    ("above", "記者張三／台北報導 2024/04/29 09:36", "張三"), ("above", "聯合報／記者張三／台北即時報導", "張三"),
    ("above", "自由時報記者張三／台北報導", "張三"), ("above", "ETtoday新聞雲 記者張三／台北報導", "張三"),
    ("above", "今日新聞 記者張三/台北報導", "張三"), ("above", "三立新聞網 記者張三／台北報導", "張三"),
    ("above", "鏡週刊 記者張三", "張三"), ("above", "文／鏡週刊", None), ("above", "撰文：張三（台大教授）", "張三"),
    ("above", "作者：張三／台灣大學教授", "張三"), ("above", "作者為台灣大學教授", None),
    ("above", "【明報專訊】", None), ("above", "撰文︰張三", "張三"), ("above", "記者︰張三", "張三"),
    ("above", "文︰張三", "張三"), ("above", "記者 張三 報道", "張三"), ("above", "撰文：張三　攝影：李四", "張三"),
    ("above", "文：張三 | 攝影：李四 | 編輯：王五", "張三"), ("above", "香港01記者 張三", "張三"),
    ("above", "撰文：香港01", None), ("last", "（星島日報報道）", None), ("last", "（編輯：王五）", None),
    ("last", "（记者 张三）", "张三"), ("last", "（张三 李四）", "张三、李四"), ("last", "（责任编辑：王五）", None),
    ("last", "（完）", None), ("last", "（文中图片来自网络）", None), ("last", "（本文来自澄州日报）", None),
    ("last", "（作者：张三）", "张三"), ("last", "文/张三", "张三"), ("last", "（澄州日报记者 张三）", "张三"),
    ("last", "本文作者：张三", "张三"), ("last", "作者 | 张三", "张三"),
    ("last", "（实习生 李四 记者 张三）", "李四、张三"), ("last", "（通讯员 王五）", "王五"),
    ("last", "【编辑：王五】", None), ("last", "（原标题：春耕时节）", None), ("last", "（中新网）", None),
    ("last", "（央视新闻）", None), ("last", "（人民网-人民日报）", None), ("last", "（来源：新华社）", None),
    ("last", "（新华社）", None), ("last", "（张三 摄）", None), ("last", "（图/张三）", None),
    ("last", "（小编：王五）", None), ("last", "（记者 张三 通讯员 李四）", "张三、李四"),
    ("above", "作者：张三 2024-04-29 09:36", "张三"), ("above", "来源：澄州日报 作者：张三 2024-04-29", "张三"),
    ("above", "2024-04-29 09:36 作者：张三", "张三"), ("above", "本报记者 张三 2024年4月29日", "张三"),
    ("above", "文/张三 2024.04.29", "张三"), ("above", "作者：李澄 2024-04-29 09:36 浏览：1024次", "李澄"),
    ("above", "By 李澄", "李澄"), ("above", "Author: 李澄", "李澄"), ("above", "Written by 李澄", "李澄"),
    ("above", "作者/Author: 李澄", "李澄"), ("above", "Reporter: 李澄", "李澄"),
    ("above", "文 | 李澄（澄州日报）", "李澄"), ("above", "作者：李澄 | 澄州大学", "李澄"),
    ("above", "李澄 / 文", "李澄"), ("above", "李澄/文 王明/图", "李澄"), ("above", "撰文 李澄", "李澄"),
    ("above", "文 李澄", "李澄"), ("above", "作者 李澄 王明", "李澄、王明"),
    ("above", "作者：李澄、王明", "李澄、王明"), ("above", "作者：李澄 王明 赵强", "李澄、王明、赵强"),
    ("above", "作者：李澄等", "李澄"), ("above", "记者 李澄 等", "李澄"),
    ("above", "澄州日报记者 李澄 王明 报道", "李澄、王明"),
    ("above", "来源：澄州日报 | 作者：李澄 | 编辑：王明", "李澄"), ("above", "（作者单位：澄州大学）", None),
    ("above", "原创 澄州日报", None),
]

# production credits, buttons, column names and sources printed near a byline: no writer
NO_WRITER = [
    "编辑：张三", "责任编辑：张三", "校对：张三", "审核：张三", "监制：张三", "排版：张三", "出品：张三",
    "策划：张三", "主编：张三", "值班编辑：张三", "实习编辑：张三", "美编：张三", "视觉：张三", "设计：张三",
    "海报：张三", "图片：张三", "图：张三", "视频：张三", "剪辑：张三", "摄像：张三", "配音：张三", "校审：张三",
    "终审：张三", "初审：张三", "复审：张三", "签发：张三", "统筹：张三", "制图：张三", "数据：张三", "运营：张三",
    "新媒体编辑：张三", "本期编辑：张三", "图片来源：张三", "来源：张三的博客", "转载自：张三", "原标题：春耕时节",
    "受访者供图", "图/张三", "张三/摄", "（图片来源：视觉中国）", "受访者：张三", "口述：张三", "主持人：张三",
    "嘉宾：张三", "主播：张三", "讲述：张三", "朗读：张三", "联系人：张三", "发言人：张三", "通讯作者：张三",
    "第一作者：张三", "作者单位：澄州大学", "微信：zhangsan", "微博：@张三", "记者手记", "记者观察", "记者调查",
    "作者简介", "作者其他文章", "关注作者", "张三 等", "投稿：张三", "爆料：张三", "线索：张三", "整理：澄州网",
    "编者按", "点评：张三", "审校：张三", "审读：张三", "核稿：张三", "翻译：张三", "作词：张三", "作曲：张三",
    "导演：张三", "出品人：张三", "总编辑：张三", "总监制：张三", "制片人：张三", "供稿：澄州市教育局",
    "来源：澄州市教育局 作者：澄州市教育局",
]

HEADLINE = "澄州新区首条地铁线路今日开通试运营"
HEADLINES = [  # (<head>, the blocks over the text, the headline)
    ("<title>澄州新闻网-" + HEADLINE + "</title>", "<div class='title'>" + HEADLINE + "</div>", HEADLINE),
    ("<title>澄州新闻网 - " + HEADLINE + "</title>", "", HEADLINE),
    ("<title>" + HEADLINE + " - 澄州新闻网</title>",
     "<h1><a href='/'>澄州新闻网</a></h1><h2>" + HEADLINE + "</h2>",
     HEADLINE),
    ("<title>" + HEADLINE + "_澄州新闻网</title>",
     "<h1>" + HEADLINE + "<small>副标题：市民出行更便捷</small></h1>",
     HEADLINE),
    ("<title>【独家】" + HEADLINE + "_澄州新闻网</title>",
     "<h1>【独家】" + HEADLINE + "</h1>",
     "【独家】" + HEADLINE),
    ("<title>" + HEADLINE + "</title>", "<h1><span class='badge'>原创</span>" + HEADLINE + "</h1>", HEADLINE),
    ("<meta property='og:title' content='" + HEADLINE + "'><title>澄州新闻网</title>", "", HEADLINE),
    ("<title>" + HEADLINE + "-澄州新闻网</title>", "<h2 class='post-title'>" + HEADLINE + "</h2>", HEADLINE),
    ("<title>澄州新闻网</title>", "<div class='article-title'>" + HEADLINE + "</div>", HEADLINE),
    ("<title>" + HEADLINE + "（组图）_澄州新闻网</title>",
     "<h1>" + HEADLINE + "（组图）</h1>",
     HEADLINE + "（组图）"),
    ("<title>澄州新闻网 > 城市要闻 > " + HEADLINE + "</title>", "", HEADLINE),
    ("<title>澄州新闻网 » " + HEADLINE + "</title>", "", HEADLINE),
    ("<title>" + HEADLINE + " | 澄州新闻网 | 城市要闻</title>", "", HEADLINE),
    ("<title>" + HEADLINE + "_城市要闻_澄州新闻网</title>", "<h1>澄州新区</h1><h2>" + HEADLINE + "</h2>", HEADLINE),
    ("<title>" + HEADLINE + "——澄州新闻网</title>", "", HEADLINE),
    ("<title>" + HEADLINE + " -- 澄州新闻网</title>", "", HEADLINE),
    ("<title>" + HEADLINE + "|澄州日报</title>", "<h1>" + HEADLINE + "</h1>", HEADLINE),
    ("<title>" + HEADLINE + " - 澄州日报 - 澄州新闻网</title>", "", HEADLINE),
    ("<title>" + HEADLINE + "</title>", "<div class='yinti'>交通强市</div><h1>" + HEADLINE + "</h1>", HEADLINE),
    ("<title>" + HEADLINE + "_手机澄州网</title>", "<h1>" + HEADLINE + "</h1>", HEADLINE),
    ("<title>" + HEADLINE + " – 澄州新闻</title>", "", HEADLINE),
    ("<title>" + HEADLINE + " · 澄州新闻</title>", "", HEADLINE),
    ("<title>" + HEADLINE + "：市民出行更便捷_澄州新闻网</title>",
     "<h1>" + HEADLINE + "：市民出行更便捷</h1>",
     HEADLINE + "：市民出行更便捷"),
    ("<title>" + HEADLINE + "_澄州新闻网</title>",
     "<h1 class='logo'><img alt='澄州新闻网'>澄州新闻网</h1><div class='headline'>" + HEADLINE + "</div>",
     HEADLINE),
    ("<title>" + HEADLINE + "_澄州新闻网</title>", "<h1>" + HEADLINE + "</h1><h1>相关新闻</h1>", HEADLINE),
    ("", "<h1>" + HEADLINE + "</h1>", HEADLINE),
    ("<title>" + HEADLINE + "-新闻频道-澄州新闻网</title>",
     "<h1>新闻频道</h1><div class='tit'>" + HEADLINE + "</div>",
     HEADLINE),
    ("<title>" + HEADLINE + "_新闻中心_澄州新闻网</title>", "", HEADLINE),
]

PUBLISHED = "2024-04-29T09:36:00+08:00"
DATELINES = [  # (the dateline, the page's <head> extras, the publication time)
    ("发布时间：2024-04-29 09:36", "", PUBLISHED),
    ("发布日期：2024年04月29日 09:36", "", PUBLISHED),
    ("时间：2024-04-29 09:36 来源：澄州日报", "", PUBLISHED),
    ("来源：澄州日报 时间：2024-04-29 09:36", "", PUBLISHED),
    ("[2024-04-29 09:36]", "", PUBLISHED),
    ("2024年04月29日 09:36 | 来源：澄州日报", "", PUBLISHED),
    ("2024-04-29 09:36:00", "", PUBLISHED),
    ("更新时间：2024-04-30 10:00", "", "2024-04-30T10:00:00+08:00"),
    ("发布时间：2024-04-29 09:36 更新时间：2024-04-30 10:00", "", PUBLISHED),
    ("更新时间：2024-04-30 10:00 发布时间：2024-04-29 09:36", "", PUBLISHED),
    ("04-29 09:36", "<meta property='article:published_time' content='2024-04-29T09:36:00+08:00'>", PUBLISHED),
    ("2024.04.29 09:36", "", PUBLISHED),
    ("2024/4/29 9:36", "", PUBLISHED),
    ("发表于 2024-4-29 09:36", "", PUBLISHED),
    ("澄州日报 2024-04-29 09:36", "", PUBLISHED),
    ("2024-04-29 09:36 星期一", "", PUBLISHED),
    ("2024年4月29日09:36", "", PUBLISHED),
    ("2024-04-29 09:36 阅读：1024", "", PUBLISHED),
    ("作者：李澄 2024-04-29 09:36 浏览：1024次", "", PUBLISHED),
    ("2024-04-29 09:36 北京", "", PUBLISHED),
    ("2024-04-29 09:36 来自 北京", "", PUBLISHED),
    ("2024-04-29 09:36 发布于北京", "", PUBLISHED),
    ("2024-04-29 09:36 IP属地：北京", "", PUBLISHED),
    ("2024-04-29 09:36:00 +0800", "", PUBLISHED),
    ("2024-04-29T01:36:00Z", "", "2024-04-29T01:36:00+00:00"),
    ("原创 2024-04-29 09:36 澄州日报", "", PUBLISHED),
    ("2024-04-29", "<meta name='publishdate' content='2024-04-29 09:36:00'>", PUBLISHED),
    ("2024年4月29日 周一", "", "2024-04-29"),
    ("2024-04-29 09:36 ", "<meta property='article:published_time' content='2024-04-28T09:36:00+08:00'>", PUBLISHED),
]


@pytest.mark.parametrize(("where", "line", "author"), BYLINES)
def test_byline_forms(where: str, line: str, author: str | None):
    html = {"first": page(first=line), "last": page(last=line), "above": page(above=f"<div>{line}</div>")}[where]
    assert extract_html(html).author == author


@pytest.mark.parametrize("line", NO_WRITER)
def test_lines_that_name_no_writer(line: str):
    assert extract_html(page(above=f"<div>{line}</div>")).author is None


@pytest.mark.parametrize(("head", "blocks", "headline"), HEADLINES)
def test_headline_layouts(head: str, blocks: str, headline: str):
    assert extract_html(_bare_page(head, blocks)).title == headline


@pytest.mark.parametrize(("line", "head", "published"), DATELINES)
def test_dateline_forms(line: str, head: str, published: str):
    assert extract_html(page(above=f"<div>{line}</div>", head=head)).published_at == published
