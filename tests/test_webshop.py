"""The web-shop order export, added by following README "Adding a source", end to end."""

from __future__ import annotations

import csv

import pytest

pytestmark = pytest.mark.xdist_group("pipeline")


def test_webshop_orders_load_and_reach_the_channel_mart(run):
    _, con, _, _, settings = run
    with open(settings.sources_dir / "webshop" / "orders.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert con.execute("select count(*) from raw.webshop_orders").fetchone()[0] == len(rows) > 100
    assert con.execute(
        "select owner, status from meta.load_log where entity = 'webshop_orders'").fetchall() == [("team:ecommerce", "success")]
    shop, transferred, in_erp, cancelled = con.execute(
        "select sum(shop_orders), sum(transferred_orders), sum(transferred_orders_in_erp), sum(cancelled_orders) "
        "from mart.webshop_orders_monthly").fetchone()
    assert shop == len(rows) and cancelled == sum(r["Status"] == "cancelled" for r in rows) > 0
    # every transferred shop order is an ERP sales order of channel WEB, and every such ERP order came from the shop
    erp_web = con.execute("select count(*) from intermediate.int_orders where channel_code = 'WEB'").fetchone()[0]
    assert transferred == in_erp == erp_web
    basket, erp_value = con.execute(
        "select sum(transferred_basket_net), sum(erp_web_order_value) from mart.webshop_orders_monthly").fetchone()
    assert basket == erp_value  # the shop's basket net is the ERP order's net value, to the cent
