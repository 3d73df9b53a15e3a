"""Character shingles, MinHash signatures and LSH bands, in numpy, deterministic across machines.

- Text is normalised (NFKC, lower case, no whitespace or punctuation) so that furniture spacing and
  full/half-width differences do not hide a copy.
- A shingle is `ngram` consecutive characters (the whole text if it is shorter), hashed to 64 bits
  by a polynomial over code points and the splitmix64 finaliser. Its upper 32 bits identify it in
  the stored set (the set the exact Jaccard is computed on); its lower bits place it in a bin.
- The signature is one-permutation MinHash (Li, Owen and Zhang 2012): the smallest shingle of each
  of `permutations` bins, with empty bins filled from the next non-empty bin to the right (rotation
  densification, Shrivastava and Li 2014), so two signatures agree in a bin with probability about
  their Jaccard. It hashes each shingle once, where classic MinHash hashes it once per permutation.
- Bands of `permutations / bands` bins each give one bucket key; two documents sharing any bucket
  are candidates, and only their real Jaccard decides (cleaning/dedup/layers.py).

Documents are hashed in batches (`sketch`): one pass of numpy over all their characters, so the
per-document cost is a sort and a few slices.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_POLY = np.uint64(0x100000001B3)
_EMPTY = np.uint64(2**64 - 1)  # above any 32-bit minimum
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)  # whitespace and punctuation; letters, digits and Han stay


def normalise(text: str) -> str:
    """What two copies of an article still share after different sites have formatted them."""
    kept = _DROP.sub("", text.lower())  # first: full-width punctuation is what NFKC would change most
    if unicodedata.is_normalized("NFKC", kept):  # a quick check, true for most Chinese text by now
        return kept
    return _DROP.sub("", unicodedata.normalize("NFKC", kept).lower())


def _mix(values: np.ndarray) -> np.ndarray:
    x = values.copy()
    x ^= x >> np.uint64(30)
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return x


def _polynomial(chars: np.ndarray, width: int) -> np.ndarray:
    """Hash of every window of `width` code points (uint64 arithmetic wraps, as intended)."""
    count = chars.size - width + 1
    rolled = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        rolled = rolled * _POLY + chars[offset:offset + count] + np.uint64(1)
    return rolled


@dataclass
class Sketches:
    """A batch of documents, hashed: per document its shingle set and its LSH bucket keys."""

    shingles: list[np.ndarray]  # sorted unique uint32 per document
    buckets: np.ndarray  # (documents, bands) int64


def sketch(normalised: list[str], ngram: int, permutations: int, bands: int) -> Sketches:
    """Shingle sets and bucket keys of `normalised` texts (each already through `normalise`)."""
    hashes = _batch_shingle_hashes(normalised, ngram)
    shingles = [_top_unique(h) for h in hashes]
    return Sketches(shingles, _band_keys(_signatures(hashes, permutations), bands))


def _batch_shingle_hashes(texts: list[str], ngram: int) -> list[np.ndarray]:
    """Sorted unique 64-bit shingle hashes of each text, the rolling hash computed once for all."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    chars = np.frombuffer("".join(texts).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    starts = np.concatenate(([0], np.cumsum(lengths)))
    result: list[np.ndarray] = []
    with np.errstate(over="ignore"):
        mixed = _mix(_polynomial(chars, ngram)) if chars.size >= ngram else np.zeros(0, dtype=np.uint64)
        for i, length in enumerate(lengths.tolist()):
            if length >= ngram:  # windows that start and end inside this text
                own = mixed[starts[i]:starts[i] + length - ngram + 1]
            elif length:  # shorter than one shingle: the whole text is its one shingle
                own = _mix(_polynomial(chars[starts[i]:starts[i] + length], length))
            else:
                own = np.zeros(0, dtype=np.uint64)
            own = np.sort(own)
            result.append(own[np.concatenate(([True], own[1:] != own[:-1]))] if own.size else own)
    return result


def _top_unique(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit shingle identities (upper halves) of sorted unique hashes: sorted and unique too."""
    top = (hashes >> np.uint64(32)).astype(np.uint32)
    return top[np.concatenate(([True], top[1:] != top[:-1]))] if top.size else top


def _signatures(hashes: list[np.ndarray], permutations: int) -> np.ndarray:
    """One-permutation MinHash with rotation densification, for a batch: (documents, permutations)."""
    documents = len(hashes)
    sizes = np.fromiter((h.size for h in hashes), dtype=np.int64, count=documents)
    flat = np.concatenate(hashes) if documents else np.zeros(0, dtype=np.uint64)
    owner = np.repeat(np.arange(documents, dtype=np.int64), sizes)
    smallest = np.full(documents * permutations, _EMPTY, dtype=np.uint64)
    slots = owner * permutations + (flat % np.uint64(permutations)).astype(np.int64)
    np.minimum.at(smallest, slots, flat >> np.uint64(32))
    smallest = smallest.reshape(documents, permutations)
    # every bin takes the next filled bin at or to its right, circularly, plus its distance
    doubled = np.concatenate([smallest, smallest], axis=1)
    positions = np.arange(2 * permutations)
    filled_at = np.where(doubled != _EMPTY, positions, 2 * permutations)
    nearest = np.minimum.accumulate(filled_at[:, ::-1], axis=1)[:, ::-1][:, :permutations]
    nearest = np.minimum(nearest, 2 * permutations - 1)  # a text without shingles: all bins empty
    values = np.take_along_axis(doubled, nearest, axis=1)
    distance = (nearest - positions[:permutations]).astype(np.uint64)
    with np.errstate(over="ignore"):
        return np.where(values == _EMPTY, np.uint64(0), values + (distance << np.uint64(32)))


def _band_keys(signatures: np.ndarray, bands: int) -> np.ndarray:
    """One signed 64-bit bucket key per band (SQLite's INTEGER), the band's number in the top byte."""
    documents, permutations = signatures.shape
    rows = permutations // bands
    with np.errstate(over="ignore"):
        grouped = _mix(signatures[:, : rows * bands].reshape(documents, bands, rows).copy())
        folded = grouped.sum(axis=2, dtype=np.uint64)
        keys = (_mix(folded) >> np.uint64(8)) | (np.arange(bands, dtype=np.uint64) << np.uint64(56))
    return keys.view(np.int64)


@dataclass
class HashedTexts:
    """What dedup needs of each text of a batch, in order: small enough to send back from a worker."""

    text_hashes: list[int]  # of the normalised text, signed 64-bit (SQLite's INTEGER)
    shingles: list[np.ndarray] | None  # None unless asked for: most documents never need theirs
    buckets: np.ndarray  # (documents, bands) int64


def hash_texts(texts: list[str], ngram: int, permutations: int, bands: int,
               with_shingles: bool = True) -> HashedTexts:
    """Normalise, hash and sketch raw texts: the part of dedup that runs in parallel, one batch a job."""
    normalised = [normalise(text) for text in texts]
    sketches = sketch(normalised, ngram, permutations, bands)
    digests = (hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest() for text in normalised)
    return HashedTexts([int.from_bytes(d, "big", signed=True) for d in digests],
                       sketches.shingles if with_shingles else None, sketches.buckets)


def shingle_set(text: str, ngram: int) -> np.ndarray:
    """The shingle set of one raw text, as dedup compares it."""
    return sketch([normalise(text)], ngram, 1, 1).shingles[0]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique shingle sets."""
    if a.size == 0 and b.size == 0:
        return 1.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (a.size + b.size - shared)
