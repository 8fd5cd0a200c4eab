"""Content-addressed, compressed bytes: raw snapshot bodies (table `blobs`) and extracted version
texts (table `texts`).

Identical bytes are stored once, under their sha256. Consecutive versions of a policy differ in
a few sentences, so a blob is stored as a zstd delta against a base (the policy's previous blob,
used as a raw dictionary) when that is much smaller than compressing it alone: 1,000 versions of
a 45 KB policy then cost about what one does. A base is always a whole blob, never a delta, so
reading any blob decompresses at most two, however long the history.

Codecs: `zlib` (bodies stored before schema 4), `zstd` (a whole blob), `zstd-delta` (against
`base_sha256`).
"""

from __future__ import annotations

import hashlib
import zlib
from typing import Literal

import sqlite_utils

from policywatch.monitor.errors import NotFound

try:  # the standard library's from Python 3.14
    from compression import zstd  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - depends on the Python version
    from backports import zstd  # type: ignore[no-redef,unused-ignore]

Table = Literal["blobs", "texts"]
_TABLES: frozenset[str] = frozenset(("blobs", "texts"))
LEVEL = 9  # 0.6 ms for 45 KB of text, ~5 % smaller than level 3
# A delta this much smaller than the data is kept without also compressing the data alone.
_CLEARLY_SMALL = 16
_MIN_BASE = 256  # a smaller base saves nothing (and zstd wants some content in a dictionary)
_WINDOW_LOG_MIN, _WINDOW_LOG_MAX = 17, 27  # 27: the largest window a decoder accepts by default


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(db: sqlite_utils.Database, table: Table, data: bytes, reference: str | None = None
        ) -> str:
    """Store `data` once (as a delta against `reference`'s base when that pays); return its
    sha256. `reference`: a blob of the same table likely to share most of `data`."""
    _check(table)
    digest = sha256_of(data)
    if db.execute(f"SELECT 1 FROM {table} WHERE sha256 = ?", [digest]).fetchone():
        return digest
    codec, payload = "zstd", b""
    base = _base_of(db, table, reference) if reference else None
    base_bytes = _raw(db, table, base) if base is not None else b""
    if len(base_bytes) >= _MIN_BASE:
        codec, payload = "zstd-delta", _compress(data, base_bytes)
    else:
        base = None
    if base is None or len(payload) * _CLEARLY_SMALL > len(data):
        whole = _compress(data, None)
        if base is None or len(whole) <= 2 * len(payload):
            codec, base, payload = "zstd", None, whole
    # Another process may have stored the same bytes meanwhile: theirs are as good.
    db.execute(f"INSERT INTO {table} (sha256, size, codec, base_sha256, data) "
               "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
               [digest, len(data), codec, base, payload])
    return digest


def get(db: sqlite_utils.Database, table: Table, digest: str) -> bytes:
    _check(table)
    row = db.execute(f"SELECT codec, base_sha256, data FROM {table} WHERE sha256 = ?",
                     [digest]).fetchone()
    if row is None:
        raise NotFound(f"{table}: no blob {digest}")
    return decode(db, table, str(row[0]), row[1], bytes(row[2]))


def get_many(db: sqlite_utils.Database, table: Table, digests: list[str]) -> list[bytes]:
    """Several blobs, in order; a base shared by many deltas is decompressed once."""
    _check(table)
    bases: dict[str, zstd.ZstdDict] = {}
    out = []
    for digest in digests:
        row = db.execute(f"SELECT codec, base_sha256, data FROM {table} WHERE sha256 = ?",
                         [digest]).fetchone()
        if row is None:
            raise NotFound(f"{table}: no blob {digest}")
        base = row[1]
        if row[0] == "zstd-delta" and base is not None and base not in bases:
            bases[base] = zstd.ZstdDict(_raw(db, table, str(base)), is_raw=True)
        out.append(decode(db, table, str(row[0]), base, bytes(row[2]), bases.get(base)))
    return out


def decode(db: sqlite_utils.Database, table: Table, codec: str, base: str | None,
           payload: bytes, dictionary: zstd.ZstdDict | None = None) -> bytes:
    """The bytes of a stored row, given its codec, base and data (and the base as a zstd
    dictionary, when the caller has it already)."""
    if codec == "zlib":
        return zlib.decompress(payload)
    if codec == "zstd":
        return bytes(zstd.decompress(payload))
    if codec == "zstd-delta" and base is not None:
        if dictionary is None:
            dictionary = zstd.ZstdDict(_raw(db, table, base), is_raw=True)
        return bytes(zstd.decompress(payload, zstd_dict=dictionary))
    raise NotFound(f"{table}: unknown codec {codec!r}")


def _base_of(db: sqlite_utils.Database, table: Table, reference: str) -> str | None:
    """The whole blob a delta of something like `reference` is taken against."""
    row = db.execute(f"SELECT codec, base_sha256 FROM {table} WHERE sha256 = ?",
                     [reference]).fetchone()
    if row is None:
        return None
    return str(row[1]) if row[0] == "zstd-delta" else reference


def _raw(db: sqlite_utils.Database, table: Table, digest: str) -> bytes:
    """The bytes of a whole (non-delta) blob."""
    row = db.execute(f"SELECT codec, data FROM {table} WHERE sha256 = ?", [digest]).fetchone()
    if row is None or row[0] == "zstd-delta":
        raise NotFound(f"{table}: no whole blob {digest} to serve as a base")
    return decode(db, table, str(row[0]), None, bytes(row[1]))


def _compress(data: bytes, base: bytes | None) -> bytes:
    # The window covers base and data, so a sentence of the data can refer to its place in
    # the base however far into the document it is.
    window = (len(data) + len(base or b"")).bit_length()
    options = {zstd.CompressionParameter.compression_level: LEVEL,
               zstd.CompressionParameter.window_log:
                   min(_WINDOW_LOG_MAX, max(_WINDOW_LOG_MIN, window))}
    if base is None:
        return bytes(zstd.compress(data, options=options))
    return bytes(zstd.compress(data, options=options,
                               zstd_dict=zstd.ZstdDict(base, is_raw=True)))


def _check(table: str) -> None:
    if table not in _TABLES:  # table names go into SQL text: only these two
        raise ValueError(f"not a blob table: {table!r}")
