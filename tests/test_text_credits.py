"""Credits: bylines, editors, sources, photographers and captions leave the text for metadata."""

from __future__ import annotations

import pytest

from cleaning.text.credits import Credits, ends_with_credit, extract_credits, split_names

# Longer than a caption: a paragraph before a photo credit stays a paragraph.
BODY = "北京科创实力的跃升，离不开系统性政策的支撑。近年来，北京构建了覆盖企业全生命周期的政策体系。"


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("文/北京青年报记者 宋霞", "author", "宋霞"),
        ("本报记者 王昊男", "author", "王昊男"),
        ("作者：张三", "author", "张三"),
        ("编辑/樊宏伟", "editor", "樊宏伟"),
        ("[ 责编:袁晴 ]", "editor", "袁晴"),
        ("（责任编辑：李四）", "editor", "李四"),
        ("摄影/北京青年报记者 蔺丽爽", "photographer", "蔺丽爽"),
        ("本报记者 赵 晶摄", "photographer", "赵晶"),
        ("来源:人民网-人民日报2025-06-04 14:44", "source", "人民网-人民日报"),
        ("来源：新华社", "source", "新华社"),
        ("北京青年报客户端 2025-05-09 09:36", "source", "北京青年报客户端"),
        # the bars of magazine-style bylines, 执笔, and the Traditional labels of Taiwan and Hong Kong pages
        ("文丨本报特约评论员 张三", "author", "张三"),
        ("作者︱春春", "author", "春春"),
        ("作者｜李四", "author", "李四"),
        ("执笔/张三、李四&王五", "author", "张三、李四、王五"),
        ("責任編輯：王小明", "editor", "王小明"),
        ("攝影：陳大文", "photographer", "陳大文"),
        ("來源：中央社", "source", "中央社"),
        ("記者 林曉文", "author", "林曉文"),
        # Taiwan's sign-off: the reporter, then where the report comes from
        ("記者林悅／南市報導", "author", "林悅"),
        ("（王小明／台中報導）", "author", "王小明"),
        ("记者张明／北京报道", "author", "张明"),
        # trafilatura prints a list item as "- …": a credit in the page's list of credits
        ("- 责任编辑：刘响", "editor", "刘响"),
    ],
)
def test_credit_line_moves_to_metadata(line: str, field: str, value: str) -> None:
    text, credits = extract_credits(f"{BODY}\n{line}\n{BODY}")
    assert text == f"{BODY}\n{BODY}"
    assert getattr(credits, field) == value
    assert credits.removed == [(field, line)]


def test_source_line_gives_published_at_in_beijing_time() -> None:
    credits = extract_credits("来源:人民网-人民日报2025-06-04 14:44")[1]
    assert credits.published_at == "2025-06-04T14:44:00+08:00"
    assert extract_credits("来源：澄州晨报 2025年6月4日")[1].published_at == "2025-06-04"
    impossible = extract_credits("北京青年报客户端 2025-13-45 29:99")[1]
    assert impossible.published_at is None


def test_byline_at_the_end_of_a_paragraph_is_cut_off() -> None:
    text, credits = extract_credits(f"{BODY}为科技强国建设作出新的更大贡献。本报记者 王昊男")
    assert text == f"{BODY}为科技强国建设作出新的更大贡献。"
    assert credits.author == "王昊男"
    assert credits.removed == [("author", "本报记者 王昊男")]


def test_epaper_byline_at_the_top() -> None:
    text, credits = extract_credits(f"前沿科技领航新赛道\n本报记者\n杨学聪\n{BODY}")
    assert text == f"前沿科技领航新赛道\n{BODY}"
    assert credits.author == "杨学聪"


def test_captions_and_their_photo_credits() -> None:
    text = "\n".join(
        [
            BODY,
            "观众在中关村论坛标识前参观。",
            "本报记者 赵 晶摄",
            "图① 观众正在新能源发电沙盘参观。 本报记者 赵 晶摄",
            "△奥克福机器人科技CEO柴建伟现场展示多功能AI+“爬墙机器人”",
            "图为工作人员在调试设备。",
            BODY,
        ]
    )
    kept, credits = extract_credits(text)
    assert kept == f"{BODY}\n{BODY}"
    assert credits.photographer == "赵晶"
    assert credits.captions == [
        "观众在中关村论坛标识前参观。",
        "观众正在新能源发电沙盘参观。",
        "奥克福机器人科技CEO柴建伟现场展示多功能AI+“爬墙机器人”",
        "图为工作人员在调试设备。",
    ]


@pytest.mark.parametrize("sentence_start", ["记者了解到", "本报记者走访", "新华社记者注意到", "记者从市"])
def test_a_sentence_about_the_reporter_at_a_wrapped_line_end_is_no_byline(sentence_start: str) -> None:
    """An e-paper column wraps anywhere: a line may end "。记者了解到" and the next go on "，今年计划…".
    Read as a byline, the words were cut from the text and made an author; a trailing byline has a
    space after the title, or brackets ("。本报记者 王昊男", "。（记者张三）")."""
    from cleaning.text.linejoin import join_wrapped_lines

    line = f"{BODY}惠及居民5.3万户。{sentence_start}"
    assert not ends_with_credit(line)
    assert extract_credits(line) == (line, Credits())
    column = [BODY[:16], BODY[16:32], line[-20:], "，今年计划再改造老旧小区120个，", "涉及居民2.1万户。"]
    wrapped = "\n".join(column * 3)
    joined = join_wrapped_lines(wrapped)[0]
    assert extract_credits(joined)[0] == joined and f"{sentence_start}，今年计划" in joined
    assert ends_with_credit(f"{BODY}。（记者张三）") and ends_with_credit(f"{BODY}。(记者 张三)")


@pytest.mark.parametrize(
    "line",
    [
        "北青报记者了解到，截至2024年底，北京科技型企业已突破85万家。",
        "记者手记",
        "图1显示了实验结果。",
        "该片由张艺谋拍摄",
        "来源于生活的灵感，终将回到生活。",
        "19项重大科技成果发布",
        "致敬一线记者 最美逆行者",  # a headline: "最美逆行者" is no name
        "记者 观察",  # a column's headline: a bare title before words that start with no surname
        "战地记者 生死时速",
        "。记者 观察",
        "图：工作人员在调试设备",
        "执笔者的名字没有写在信上",
        "（北京／上海報導）後續發展",
        "- 文化",
        "社會中心／綜合報導",  # a desk: no author (METADATA.md)
        "人民日报／北京报道",  # an outlet, not a person
        "华夏时报／北京报道",  # an outlet whose name starts as a surname does
        "钱江晚报／杭州报道",
        "文化新聞／綜合報導",
        "高雄／綜合報導",  # a place: compiled there, by no one named
    ],
)
def test_article_lines_are_not_credits(line: str) -> None:
    text = f"{BODY}\n{line}\n{BODY}"
    assert extract_credits(text)[0] == text


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("记者 王昊男", "王昊男"),  # a bare title: the name starts with a common surname
        ("本报记者 蔺丽爽", "蔺丽爽"),  # an outlet's title vouches for a rarer surname
        ("新华社驻京记者 靳少伟", "靳少伟"),
        ("央视记者 翟宇", "翟宇"),
        ("通讯员 蔺丽爽", "蔺丽爽"),
        ("文/记者 蔺丽爽", "蔺丽爽"),  # a label vouches too
        ("记者 努尔买买提·阿布都热合曼", "努尔买买提·阿布都热合曼"),
    ],
)
def test_bylines_with_a_bare_or_an_outlets_title(line: str, author: str) -> None:
    text, credits = extract_credits(f"{BODY}\n{line}\n{BODY}")
    assert (text, credits.author) == (f"{BODY}\n{BODY}", author)


def test_a_trailing_bare_title_needs_a_surname() -> None:
    assert extract_credits(f"{BODY}记者 观察")[0] == f"{BODY}记者 观察"
    assert extract_credits(f"{BODY}（记者 王昊男）") == (BODY, extract_credits(f"{BODY}（记者 王昊男）")[1])
    assert extract_credits(f"{BODY}本报记者 蔺丽爽")[1].author == "蔺丽爽"


def test_names() -> None:
    assert split_names("赵 晶") == ["赵晶"]
    assert split_names("张三 李四") == ["张三", "李四"]
    assert split_names("欧阳 修") == ["欧阳修"]
    assert split_names("万玛加、王雯静") == ["万玛加", "王雯静"]


def test_several_reporters_are_joined() -> None:
    credits = extract_credits(f"{BODY}\n本报记者 张三 李四\n文/记者 王五")[1]
    assert credits.author == "张三、李四、王五"
