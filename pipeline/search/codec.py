"""How Courrier's index segments store postings (part of the engine: only engine.py uses it).

Whoosh's W3 codec pickles each block of 128 postings (ids, weights and positions together) and
zlib-compresses the pickle: reading one posting costs about 2 microseconds (measured on a
60 000-document term), so a common word in a 100 000-letter archive takes over 100 ms to read
before any matching starts. This codec keeps W3's files, term index, block headers and skip
logic, and changes only the block body to flat little-endian arrays:

    ids      uint32 x n           absolute document numbers
    weights  float32 x n          only when not all 1.0 (flag WEIGHTS)
    lengths  uint32 x n           byte length of each posting's value (variable-size formats)
    values   the values (positions), concatenated, not compressed

so `block_arrays()` turns a block into NumPy arrays without a Python loop, and Whoosh's own
matchers (used for merges and the queries the fast path leaves to Whoosh) still get tuples.
Classes here are pickled into every segment: changing them needs a SCHEMA_VERSION bump.
"""

from __future__ import annotations

import mmap
import pickle
import sys
import zlib
from array import array
from bisect import bisect_left
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.matching import ListMatcher, ReadTooFar
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

WEIGHTS = 1  # block flag: a weights array follows the ids
ZLIB = 2  # block flag: the values part is zlib-compressed
_BIG_ENDIAN = sys.byteorder == "big"
# Whoosh's one-byte field length code -> length (code 0: no value)
_LENGTHS = np.array([0] + [byte_to_length(b) for b in range(1, 256)], dtype=np.int64)


def to_le_bytes(values: array[Any]) -> bytes:
    if _BIG_ENDIAN:  # the files are little-endian whatever the machine
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def from_le_bytes(typecode: str, data: bytes) -> array[Any]:
    values = array(typecode)
    values.frombytes(data)
    if _BIG_ENDIAN:
        values.byteswap()
    return values


class BlockPostingsWriter(W3PostingsWriter):
    """W3's postings writer with the array block body described in the module docstring."""

    def _variable(self) -> bool:
        fixedsize = self._format.fixed_value_size()
        return fixedsize is None or fixedsize < 0

    def _write_block(self, last: bool = False) -> None:
        if self._byteids:  # vector postings (unused by Courrier's schema): W3's own format
            super()._write_block(last)
            return
        values = self._values
        lengths = None
        if self._variable():
            if len(values) != len(self._ids):
                raise ValueError("every posting of a variable-size format needs a value")
            lengths = array("I", map(len, values))
        body = emptybytes.join(values) if self._format.fixed_value_size() != 0 else emptybytes
        self._emit(array("I", self._ids), array("f", self._weights), lengths, body, last)

    def _emit(self, ids: array[Any], weights: array[Any], lengths: array[Any] | None,
              body: bytes, last: bool) -> None:
        """Write one block; self._ids, _weights and the length and weight bounds describe it
        (W3TermInfo.add_block reads them)."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)  # checked by the reader
        self._terminfo.add_block(self)
        flags = 0
        parts = [to_le_bytes(ids)]
        if any(w != 1.0 for w in weights):
            flags |= WEIGHTS
            parts.append(to_le_bytes(weights))
        if lengths is not None:
            parts.append(to_le_bytes(lengths))
        # Values (positions) stay uncompressed: zlib cost more than all the rest of a phrase
        # search on common words; readers still accept ZLIB blocks.
        parts.append(body)
        data = emptybytes.join(parts)
        info = pickle.dumps((len(ids), ids[-1], self._maxweight, flags,
                             length_to_byte(self._minlength),
                             length_to_byte(self._maxlength)), 2)
        size = len(info) + len(data)
        self._postfile.write_int(-size if last else size)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def add_arrays(self, ids: array[Any], weights: array[Any], value_lengths: array[Any],
                   values: bytes, doc_lengths: np.ndarray) -> None:
        """Every posting of the current term at once (writer.GroupedPool's arrays): the same
        blocks as add_posting() one posting at a time, without a Python call per posting."""
        count, limit = len(ids), self._blocklimit
        variable = self._variable()
        ends = np.cumsum(np.frombuffer(value_lengths, dtype=np.uint32), dtype=np.int64)
        for start in range(0, count, limit):
            end = min(count, start + limit)
            self._ids, self._weights = ids[start:end], weights[start:end]
            block = doc_lengths[start:end]
            self._maxlength = int(block.max())
            self._minlength = int(block.min()) or None
            self._maxweight = max(self._weights)
            first = int(ends[start - 1]) if start else 0
            body = values[first: int(ends[end - 1])] if count else emptybytes
            self._emit(self._ids, self._weights, value_lengths[start:end] if variable else None,
                       body if self._format.fixed_value_size() != 0 else emptybytes,
                       last=end == count)


class BlockMatcher(W3LeafMatcher):
    """Reads the array blocks; `_compression` holds the block flags."""

    _i: int  # position in the block (set by W3LeafMatcher)

    def _read_data(self) -> None:
        self._data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = from_le_bytes("I", self._data[: 4 * self._blocklength])

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        count = self._blocklength
        if self._compression & WEIGHTS:
            self._weights = from_le_bytes("f", self._data[4 * count: 8 * count])
        else:
            self._weights = array("f", [1.0]) * count

    def _values_part(self) -> tuple[int, bytes]:
        """(offset after the ids and weights, the values part, decompressed)."""
        if self._data is None:
            self._read_data()
        count = self._blocklength
        start = 8 * count if self._compression & WEIGHTS else 4 * count
        fixedsize = self._fixedsize
        if fixedsize is None or fixedsize < 0:
            body = self._data[start + 4 * count:]
        else:
            body = self._data[start:]
        if self._compression & ZLIB:
            body = zlib.decompress(body)
        return start, body

    def _read_values(self) -> None:
        count = self._blocklength
        fixedsize = self._fixedsize
        if fixedsize == 0:
            self._values = (None,) * count
            return
        start, body = self._values_part()
        if fixedsize is None or fixedsize < 0:
            lengths = from_le_bytes("I", self._data[start: start + 4 * count])
            values, offset = [], 0
            for size in lengths:
                values.append(body[offset: offset + size])
                offset += size
            self._values = tuple(values)
        else:
            self._values = tuple(body[i: i + fixedsize] for i in range(0, len(body), fixedsize))

    def skip_to(self, targetid: int) -> None:
        """As W3's, but a binary search inside the block instead of one posting at a time."""
        if not self.is_active():
            raise ReadTooFar
        if targetid <= self.id():
            return
        if targetid > self._maxid:
            self._skip_to_block(lambda: targetid > self._maxid)
            if not self.is_active():
                return
        if self._ids is None:
            self._read_ids()
        position: int = bisect_left(self._ids, targetid, self._i)
        self._i = position
        if position >= self._blocklength:  # cannot happen (targetid <= max id), but be safe
            self._next_block()

    # --- bulk reading for the vectorised search (engine.fast) -------------------------------

    def block_arrays(self, values: bool = False) -> tuple[Any, Any, Any, Any]:
        """The current block as (ids, weights, value lengths, values bytes); the last two only
        when `values` (and None for fixed-size formats). Does not move the matcher."""
        count = self._blocklength
        if self._data is None:
            self._read_data()
        data = self._data
        ids = np.frombuffer(data, dtype="<u4", count=count)
        if self._compression & WEIGHTS:
            weights = np.frombuffer(data, dtype="<f4", count=count, offset=4 * count)
        else:
            weights = None
        if not values or not (self._fixedsize is None or self._fixedsize < 0):
            return ids, weights, None, None
        start, body = self._values_part()
        lengths = np.frombuffer(data, dtype="<u4", count=count, offset=start)
        return ids, weights, lengths, body

    def next_block(self) -> bool:
        """Move to the next block; False at the end of the postings."""
        if self._lastblock:
            self._atend = True
            return False
        self._goto(self._nextoffset)
        return True


class _PerDocReader(W3PerDocReader):
    """Field lengths read once per segment and field into a list. Whoosh reads the length
    column once per posting when it writes a segment (a third of a commit's time) and once
    per scored document when it searches."""

    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._length_lists: dict[str, list[int | None]] = {}
        self._length_arrays: dict[str, Any] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> Any:
        lengths = self._length_lists.get(fieldname)
        if lengths is None:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if reader is None:
                return default
            lengths = [byte_to_length(b) if b else None for b in reader]
            self._length_lists[fieldname] = lengths
        return lengths[docnum]

    def length_ints(self, fieldname: str) -> np.ndarray | None:
        """Every document's length in `fieldname` (0 where absent), None without a column."""
        reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return None
        return _LENGTHS[np.fromiter(reader, dtype=np.uint8, count=len(reader))]

    def field_length_array(self, fieldname: str) -> Any:
        """Every document's length in `fieldname` as float64 (1 where absent, as Whoosh's
        scorer reads it), or None if the segment has no such column (cached)."""
        found = self._length_arrays.get(fieldname)
        if found is None:
            lengths = self.length_ints(fieldname)
            if lengths is None:
                return None
            found = self._length_arrays[fieldname] = np.maximum(lengths, 1).astype(np.float64)
        return found


class Codec(W3Codec):
    """Whoosh's W3 codec with array posting blocks and per-segment length lists."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return BlockPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                   compression=self._compression,
                                   inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None,
                        scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(ids, weights, values, format_, scorer=scorer, term=term,
                               terminfo=terminfo)
        offset, length = terminfo.extent()
        return BlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        return _PerDocReader(storage, segment)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return FieldWriter(self, storage, segment)


class FieldWriter(W3FieldWriter):
    """Writes a grouped pool's terms an array at a time (any other postings: W3's way)."""

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        grouped = getattr(items, "grouped", None)
        if grouped is None:
            super().add_postings(schema, lengths, items)
            return
        current = None
        doc_lengths: np.ndarray | None = None
        for fieldname, text, ids, weights, value_lengths, values in grouped():
            if fieldname != current:
                if current is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                current = fieldname
                doc_lengths = lengths.length_ints(fieldname) if lengths else None
            self.start_term(text)
            docnums = np.frombuffer(ids, dtype=np.uint32)
            self._postwriter.add_arrays(
                ids, weights, value_lengths, values,
                doc_lengths[docnums] if doc_lengths is not None
                else np.zeros(len(ids), dtype=np.int64))
            self.finish_term()
        if current is not None:
            self.finish_field()


class MappedStorage(FileStorage):
    """Index files opened memory-mapped. Whoosh maps only compound segments and then copies
    each part into a BytesIO (the searcher's heap held the whole index: 1.5 GB at 100 000
    letters); plain files are read with a seek and a read per posting block. Here the reads
    are slices of the mapping: file pages, shared and reclaimable, no copy."""

    def open_file(self, name: str, **kwargs: Any) -> Any:
        with open(self._fpath(name), "rb") as handle:
            try:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
        return StructFile(mapped, name=name, **kwargs)
