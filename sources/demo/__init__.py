"""Deterministic demo data: a German Mittelstand manufacturer's ERP, CRM and Excel islands.

    uv run python -m sources.demo --customers 600 --seed 42 --as-of 2026-10-31 --out data/sources

or from Python: `generate(out_dir, customers, seed, as_of) -> GenerationSummary`.
The same arguments always give byte-identical files; `<out>/_truth/` holds the answer key.
"""

from .generator import GenerationSummary, generate
from .universe import Volumes

__all__ = ["GenerationSummary", "Volumes", "generate"]
