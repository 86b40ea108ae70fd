-- The web shop in the channel mart, per month (month the order was placed): shop orders,
-- how many reached the ERP (transferred) and how many were cancelled before, the shop's net
-- basket value, and the ERP's web-shop channel (WEB) orders of the same month for comparison.
-- Money truth stays with the ERP: revenue per channel is in channel_pnl_monthly (invoices);
-- basket_net here is what the shop saw, useful for conversion and device/payment mix.
with shop as (
    select * from {{ ref('stg_webshop__orders') }}
    where order_date <= {{ as_of_date() }}
),

erp_web as (
    select order_no, order_month, net_amount
    from {{ ref('int_orders') }}
    where channel_code = 'WEB'
),

shop_monthly as (
    select
        date_trunc('month', shop.order_date)::date as month,
        count(*) as shop_orders,
        count(*) filter (where shop.status = 'transferred') as transferred_orders,
        count(*) filter (where shop.status = 'cancelled') as cancelled_orders,
        count(erp_web.order_no) filter (where shop.status = 'transferred') as transferred_orders_in_erp,
        sum(shop.basket_net) filter (where shop.status = 'transferred') as transferred_basket_net,
        count(*) filter (where shop.device in ('mobile', 'tablet')) as mobile_orders,
        count(*) filter (where shop.payment_method = 'invoice') as invoice_payment_orders
    from shop
    left join erp_web on shop.erp_order_no = erp_web.order_no
    group by 1
),

erp_monthly as (
    select order_month as month, count(*) as erp_web_orders, sum(net_amount) as erp_web_order_value
    from erp_web
    group by 1
),

months as (
    select month from shop_monthly
    union
    select month from erp_monthly
)

select
    months.month,
    coalesce(shop_monthly.shop_orders, 0) as shop_orders,
    coalesce(shop_monthly.transferred_orders, 0) as transferred_orders,
    coalesce(shop_monthly.cancelled_orders, 0) as cancelled_orders,
    round(cast(shop_monthly.cancelled_orders as double precision) / nullif(shop_monthly.shop_orders, 0), 4) as cancellation_rate,
    coalesce(shop_monthly.transferred_orders_in_erp, 0) as transferred_orders_in_erp,
    cast(coalesce(shop_monthly.transferred_basket_net, 0) as decimal(18, 2)) as transferred_basket_net,
    coalesce(erp_monthly.erp_web_orders, 0) as erp_web_orders,
    cast(coalesce(erp_monthly.erp_web_order_value, 0) as decimal(18, 2)) as erp_web_order_value,
    round(cast(shop_monthly.mobile_orders as double precision) / nullif(shop_monthly.shop_orders, 0), 4) as mobile_share,
    round(cast(shop_monthly.invoice_payment_orders as double precision) / nullif(shop_monthly.shop_orders, 0), 4) as invoice_payment_share
from months
left join shop_monthly on months.month = shop_monthly.month
left join erp_monthly on months.month = erp_monthly.month
