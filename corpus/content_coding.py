"""HTTP content codings undone by us, bounded: an archived body is stored as it came (compressed), and
whoever reads it inflates it here, never past a size limit.

Every coding the crawl asks for is read (`gzip`, `x-gzip`, `deflate`, `br`, `zstd`, and any stack of
them, `Content-Encoding: gzip, br` meaning br was applied last); warcio's own decoding reads gzip and
deflate only and breaks on brotli. A 1.7 KB brotli body can inflate to 2 GB, so each layer stops at
`limit` + 1 bytes: a result longer than `limit` means "too large", and no more was ever inflated.
This module imports nothing of ours.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable
from io import BytesIO

import brotli

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

_CHUNK = 1 << 16


class CodingError(ValueError):
    """A body that cannot be decoded: an unknown coding, or damaged compressed data."""


def _zlib(data: bytes, limit: int, wbits: int) -> bytes:
    """Inflate gzip (every member) or zlib/raw deflate data, stopping past `limit` bytes."""
    out, pending, members = bytearray(), data, 0
    while pending and len(out) <= limit:
        inflater = zlib.decompressobj(wbits)
        try:
            out += inflater.decompress(pending, limit + 1 - len(out))
            while inflater.unconsumed_tail and len(out) <= limit:
                out += inflater.decompress(inflater.unconsumed_tail, limit + 1 - len(out))
        except zlib.error:
            if not members:
                raise
            break  # padding or junk after a whole member: what browsers ignore, so do we
        members += 1
        pending = inflater.unused_data if inflater.eof else b""
    return bytes(out[: limit + 1])


def _gzip(data: bytes, limit: int) -> bytes:
    return _zlib(data, limit, 16 + zlib.MAX_WBITS)


def _deflate(data: bytes, limit: int) -> bytes:
    try:
        return _zlib(data, limit, zlib.MAX_WBITS)
    except zlib.error:  # raw deflate, without the zlib header, as some servers send it
        return _zlib(data, limit, -zlib.MAX_WBITS)


def _brotli(data: bytes, limit: int) -> bytes:
    decompressor = brotli.Decompressor()
    out = bytearray(decompressor.process(data, output_buffer_limit=_CHUNK))
    while not decompressor.is_finished() and len(out) <= limit:
        chunk = decompressor.process(b"", output_buffer_limit=_CHUNK)
        if not chunk:
            break
        out += chunk
    return bytes(out[: limit + 1])


def _zstd(data: bytes, limit: int) -> bytes:
    with zstd.ZstdFile(BytesIO(data)) as reader:
        return reader.read(limit + 1)


DECODERS: dict[str, Callable[[bytes, int], bytes]] = {
    "gzip": _gzip, "x-gzip": _gzip, "deflate": _deflate, "br": _brotli, "zstd": _zstd}


def codings(header: str | None) -> list[str]:
    """The codings a Content-Encoding header names, in the order they were applied (`identity` is none)."""
    return [name.strip().lower() for name in (header or "").split(",") if name.strip().lower() not in ("", "identity")]


def decode_content(body: bytes, header: str | None, limit: int) -> bytes:
    """`body` with every coding of `header` undone, last applied first; at most `limit` + 1 bytes.
    Raises CodingError for a coding we do not know or data that does not decode."""
    for name in reversed(codings(header)):
        if len(body) > limit:
            break
        decoder = DECODERS.get(name)
        if decoder is None:
            raise CodingError(f"unknown content coding {name!r}")
        try:
            body = decoder(body, limit)
        except (zlib.error, brotli.error, zstd.ZstdError, EOFError, OSError) as error:
            raise CodingError(f"damaged {name} data ({error})") from None
    return body
