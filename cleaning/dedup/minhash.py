"""Character shingles, MinHash signatures and LSH bands, in numpy, deterministic across machines.

- Text is normalised (NFKC, lower case, no whitespace or punctuation) so that furniture spacing and
  full/half-width differences do not hide a copy.
- A shingle is `ngram` consecutive characters, hashed to 64 bits by a polynomial over code points
  and the splitmix64 finaliser. Its upper 32 bits identify it in the stored set (the set the exact
  Jaccard is computed on); its lower bits place it in one of `permutations` bins.
- The signature is one-permutation MinHash (Li, Owen and Zhang 2012): the smallest shingle of each
  bin, with empty bins filled from the next non-empty bin to the right (rotation densification,
  Shrivastava and Li 2014), so two signatures agree in a bin with probability about their Jaccard.
  It hashes each shingle once, where classic MinHash hashes it once per permutation.
- Bands of `permutations / bands` bins each give one bucket key; two documents sharing any bucket
  are candidates, and only their real Jaccard decides (cleaning/dedup/layers.py).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_POLY = np.uint64(0x100000001B3)
_EMPTY = np.uint64(2**64 - 1)  # above any 32-bit minimum
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)  # whitespace and punctuation; letters, digits and Han stay


def normalise(text: str) -> str:
    """What two copies of an article still share after different sites have formatted them."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def _mix(values: np.ndarray) -> np.ndarray:
    x = values.copy()
    x ^= x >> np.uint64(30)
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return x


def shingle_hashes(text: str, ngram: int) -> np.ndarray:
    """64-bit hashes of the distinct character n-grams of the normalised text (sorted, unique)."""
    chars = np.frombuffer(normalise(text).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if chars.size == 0:
        return np.zeros(0, dtype=np.uint64)
    width = min(ngram, chars.size)
    count = chars.size - width + 1
    with np.errstate(over="ignore"):
        rolled = np.zeros(count, dtype=np.uint64)
        for offset in range(width):
            rolled = rolled * _POLY + chars[offset:offset + count] + np.uint64(1)
        mixed = np.sort(_mix(rolled))
    return mixed[np.concatenate(([True], mixed[1:] != mixed[:-1]))]


def shingle_set(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit shingle identities the exact Jaccard is computed on (sorted, unique)."""
    top = (hashes >> np.uint64(32)).astype(np.uint32)  # sorted already: `hashes` is
    return top[np.concatenate(([True], top[1:] != top[:-1]))] if top.size else top


def signature(hashes: np.ndarray, permutations: int) -> np.ndarray:
    """One-permutation MinHash with rotation densification: `permutations` uint64 values."""
    if hashes.size == 0:
        return np.zeros(permutations, dtype=np.uint64)
    bins = (hashes % np.uint64(permutations)).astype(np.intp)
    smallest = np.full(permutations, _EMPTY, dtype=np.uint64)
    np.minimum.at(smallest, bins, hashes >> np.uint64(32))
    filled_bins = np.flatnonzero(smallest != _EMPTY)
    minima = smallest[filled_bins]
    # every bin takes the next filled bin at or to its right (circularly), plus its distance
    positions = np.arange(permutations)
    nearest = np.searchsorted(filled_bins, positions) % filled_bins.size
    distance = (filled_bins[nearest] - positions) % permutations
    return minima[nearest] + (distance.astype(np.uint64) << np.uint64(32))


def band_keys(sig: np.ndarray, bands: int) -> list[int]:
    """One signed 64-bit bucket key per band (SQLite's INTEGER), the band's number in the top byte."""
    rows = sig.size // bands
    with np.errstate(over="ignore"):
        folded = _mix(sig[: rows * bands].reshape(bands, rows)).sum(axis=1, dtype=np.uint64)
        keys = (_mix(folded) >> np.uint64(8)) | (np.arange(bands, dtype=np.uint64) << np.uint64(56))
    return keys.view(np.int64).tolist()


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique shingle sets."""
    if a.size == 0 and b.size == 0:
        return 1.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (a.size + b.size - shared)
