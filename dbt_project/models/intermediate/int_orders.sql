-- One row per sales order up to the as-of date, with its line totals and customer_key.
with orders as (
    select * from {{ ref('stg_erp__sales_orders') }}
    where order_date <= {{ as_of_date() }}
),

line_totals as (
    select
        order_no,
        count(*) as line_count,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(net_amount) as net_amount,
        sum(cost_of_goods) as cost_of_goods,
        count(distinct product_group) as product_groups
    from {{ ref('int_order_lines') }}
    group by order_no
),

customer_keys as (
    select * from {{ ref('int_erp_customer_keys') }}
)

select
    orders.order_no,
    orders.debtor_no,
    customer_keys.customer_key,
    orders.order_date,
    date_trunc('month', orders.order_date)::date as order_month,
    orders.channel_code,
    orders.channel_name,
    orders.channel_type,
    orders.sales_rep,
    coalesce(line_totals.line_count, 0) as line_count,
    coalesce(line_totals.gross_amount, 0) as gross_amount,
    coalesce(line_totals.discount_amount, 0) as discount_amount,
    coalesce(line_totals.net_amount, 0) as net_amount,
    coalesce(line_totals.cost_of_goods, 0) as cost_of_goods
from orders
left join line_totals
    on orders.order_no = line_totals.order_no
left join customer_keys
    on orders.debtor_no = customer_keys.debtor_no
