"""Line re-joining: e-paper columns become paragraphs; web articles are left alone."""

from __future__ import annotations

import pytest

from cleaning.text.linejoin import is_hard_wrapped, join_wrapped_lines

COLUMN = """做好全球创新网络关键枢纽
本报记者
杨学聪
一年一度的科技盛会如约而
至。2024 中关村论坛吸引了来
自 100 多个国家和地区的顶尖科
学家、知名企业家、投资人与会，
为 来 自 40 多 个 国 家 和 地 区 的
3000 多项科技成果搭建交易共
享平台。
科技让未来之光照进现实。
在 2024 中关村论坛上，“我和小
关的科技探索之旅”互动装置台
前排起了长队，参会者通过互动
装置拍照上传，即可 AI 实时制作
生成融入前沿科技场景的数字海
报。写实数字人体验区域，参会
者可在现场进行人像扫描、建模，
还有全模拟光电智能计算芯
片、量子云算力集群、“北脑二号”
高性能侵入式智能脑机系统⋯⋯
第三代“香山”RISC-
V 开源高性能处理器核，由自研
通用人工智能操作系统 TongOS2.0
和编程语言。
图① 观众正在新能源发电沙盘
参观。 本报记者 赵 晶摄
观众在中关村展示中
心常设展京津冀协同发展
板块参观。
本报记者 赵 晶摄"""


def test_column_is_joined_into_sentences() -> None:
    text, joins, _ = join_wrapped_lines(COLUMN)
    assert text.split("\n") == [
        "做好全球创新网络关键枢纽",
        "本报记者",
        "杨学聪",
        "一年一度的科技盛会如约而至。2024 中关村论坛吸引了来自 100 多个国家和地区的顶尖科"
        "学家、知名企业家、投资人与会，为 来 自 40 多 个 国 家 和 地 区 的3000 多项科技成果"
        "搭建交易共享平台。",
        "科技让未来之光照进现实。",
        "在 2024 中关村论坛上，“我和小关的科技探索之旅”互动装置台前排起了长队，参会者通过互动"
        "装置拍照上传，即可 AI 实时制作生成融入前沿科技场景的数字海报。写实数字人体验区域，参会"
        "者可在现场进行人像扫描、建模，还有全模拟光电智能计算芯片、量子云算力集群、“北脑二号”"
        "高性能侵入式智能脑机系统⋯⋯",
        "第三代“香山”RISC-V 开源高性能处理器核，由自研通用人工智能操作系统 TongOS2.0和编程语言。",
        "图① 观众正在新能源发电沙盘参观。 本报记者 赵 晶摄",
        "观众在中关村展示中心常设展京津冀协同发展板块参观。",
        "本报记者 赵 晶摄",
    ]
    assert joins == 21


def test_web_article_with_headings_is_not_joined() -> None:
    article = "\n".join(
        ["19项重大科技成果发布", "重大科技成果发布涉及四大版块共19项成果，" * 4 + "。"] * 5
    )
    assert not is_hard_wrapped(article.split("\n"))
    assert join_wrapped_lines(article) == (article, 0, [])


def test_list_of_short_items_is_not_joined() -> None:
    items = "\n".join(f"{n}号选手 张{n}" for n in range(12))
    assert join_wrapped_lines(items) == (items, 0, [])


@pytest.mark.parametrize("lines", [
    ["2024年北京马拉松报名启动", "本届赛事将于11月3日开跑，详情如下。", "比赛时间：2024年11月3日7:30",
     "起点：天安门广场", "终点：奥林匹克公园", "项目设置：全程马拉松", "参赛规模：30000人",
     "报名时间：9月10日至9月20日", "报名费用：200元"],
    ["今日收盘", "上证指数：3050.12点，涨0.52%", "深证成指：9876.54点，跌0.12%",
     "创业板指：1890.33点，涨1.05%", "沪深两市成交额：8765亿元", "北向资金：净流入35.6亿元", "涨停个股：56只",
     "跌停个股：8只", "两市上涨个股：3200只"],
])
def test_a_web_notice_of_labelled_fields_is_not_joined(lines: list[str]) -> None:
    """An event notice or a market brief: short lines without full stops, each "label：value". They are
    no wrapped column, and joined they ran into one line ("…7:30起点：天安门广场终点：…")."""
    text = "\n".join(lines)
    assert join_wrapped_lines(text) == (text, 0, [])


def test_a_subheading_of_the_column_stays_on_its_own_line() -> None:
    """A feature's subheadings carry no full stop: joined, "加装电梯惠及更多家庭" ran into the paragraph
    below it ("…更多家庭在朝阳区某小区，…")."""
    column = "\n".join([
        "今年以来，本市加快推进老旧小", "区综合整治，已完成改造项目126", "个，惠及居民5.3万户。",
        "加装电梯惠及更多家庭",
        "在朝阳区某小区，加装电梯工程", "正在紧张施工。居民张大爷说：", "“以前上下楼太难了，现在好了。”",
        "据悉，该区今年将加装电梯300部", "，比去年增加一倍。",
        "社区服务更加便民",
        "今年，全市新建社区养老服务驿", "站50个，社区食堂30个，居民在", "家门口就能享受到便捷服务。",
    ])
    assert join_wrapped_lines(column)[0].split("\n") == [
        "今年以来，本市加快推进老旧小区综合整治，已完成改造项目126个，惠及居民5.3万户。",
        "加装电梯惠及更多家庭",
        "在朝阳区某小区，加装电梯工程正在紧张施工。居民张大爷说：“以前上下楼太难了，现在好了。”",
        "据悉，该区今年将加装电梯300部，比去年增加一倍。",
        "社区服务更加便民",
        "今年，全市新建社区养老服务驿站50个，社区食堂30个，居民在家门口就能享受到便捷服务。",
    ]


def test_list_items_start_new_lines_in_a_column() -> None:
    column = "\n".join(["科技创新实现新突破，催生新"] * 6 + ["一、新产业、新模式", "（二）新动能，已成为"] * 2)
    lines = join_wrapped_lines(column)[0].split("\n")
    assert lines[1:] == ["一、新产业、新模式", "（二）新动能，已成为"] * 2


def test_joining_reads_a_bounded_tail_of_the_paragraph_so_far(monkeypatch):
    """Joining stays linear in the text: the credit checks never see more than the paragraph's tail
    (they were given the whole growing paragraph at every join: 40,000 short lines took 100 s)."""
    from cleaning.text import linejoin

    seen: list[int] = []
    original = linejoin.ends_with_credit
    monkeypatch.setattr(linejoin, "ends_with_credit", lambda text: seen.append(len(text)) or original(text))
    text, joins, _ = linejoin.join_wrapped_lines("短句内容，\n" * 5000)
    assert joins == 4999 and text == "短句内容，" * 5000
    assert max(seen) <= linejoin._TAIL
