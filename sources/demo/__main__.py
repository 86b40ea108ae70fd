"""CLI: python -m sources.demo --customers 600 --seed 42 --as-of 2026-10-31 --out data/sources"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from .generator import MIN_CUSTOMERS, generate
from .universe import Volumes


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _customers(text: str) -> int:
    value = int(text)
    if value < MIN_CUSTOMERS:
        raise argparse.ArgumentTypeError(f"at least {MIN_CUSTOMERS} customers")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sources.demo",
        description="Generate the deterministic demo sources (ERP SQLite, CRM CSV, Excel workbooks) "
                    "and their ground truth.",
    )
    parser.add_argument("--customers", type=_customers, default=600, help="number of true companies (default 600)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--as-of", type=_date, default=None,
                        help="reference date YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--out", type=Path, default=Path("data/sources"), help="output directory (default data/sources)")
    defaults = Volumes()
    parser.add_argument("--order-lines-per-customer", type=float, default=defaults.order_lines_per_customer,
                        help=f"ERP order lines per company (default {defaults.order_lines_per_customer:g})")
    parser.add_argument("--leads-per-crm-company", type=float, default=defaults.leads_per_crm_company,
                        help=f"mean CRM leads per CRM company (default {defaults.leads_per_crm_company:g})")
    parser.add_argument("--field-sales-workbooks", type=int, default=None,
                        help="field-sales workbooks (default: one per 1,500 customers, 2 to 40)")
    args = parser.parse_args(argv)
    volumes = Volumes(args.order_lines_per_customer, args.leads_per_crm_company, args.field_sales_workbooks)
    as_of = args.as_of or dt.datetime.now(dt.timezone.utc).date()
    started = time.perf_counter()
    summary = generate(args.out, args.customers, args.seed, as_of, volumes)
    seconds = time.perf_counter() - started
    print(f"Demo sources in {args.out} ({summary.customers} companies, seed {summary.seed}, "
          f"as of {summary.as_of}) in {seconds:.1f} s")
    width = max(len(k) for k in summary.as_dict())
    for key, value in summary.as_dict().items():
        if key not in ("customers", "seed", "as_of"):
            print(f"  {key:<{width}}  {value:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
