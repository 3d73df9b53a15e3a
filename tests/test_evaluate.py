"""The extraction metric, pinned on hand-counted examples."""

import pytest

from cleaning.eval.metric import macro, score, tokens


def test_tokens_follow_the_definition():
    assert tokens("北京，Beijing 2024年！") == {"北": 1, "京": 1, "beijing": 1, "2024": 1, "年": 1}
    assert tokens("ＡＢＣ１２３") == {"abc123": 1}  # NFKC folds full-width Latin and digits
    assert tokens("——（）“”。") == {}


def test_multiset_scoring():
    assert score("新闻新闻", "新闻").precision == pytest.approx(0.5)
    perfect = score("今天下雨。", "今天 下雨")
    assert perfect.f1 == 1.0
    half = score("今天", "今天下雨")  # 2 of 4 gold tokens, both extracted tokens right
    assert (half.precision, half.recall) == (1.0, 0.5) and half.f1 == pytest.approx(2 / 3)
    assert score("", "正文").f1 == 0.0 and score("", "").f1 == 1.0


def test_macro_counts_failures():
    scores = [score("今天下雨", "今天下雨"), score("广告", "今天下雨")]
    mean, failed = macro(scores)
    assert mean == pytest.approx(0.5) and failed == 0.5
