-- Order lines with their order header (customer, date, channel) and product (group, cost).
-- Orders dated after the as-of date are left out, so a run "as of" a day sees that day's data.
with lines as (
    select * from {{ ref('stg_erp__order_lines') }}
),

orders as (
    select * from {{ ref('stg_erp__sales_orders') }}
    where order_date <= {{ as_of_date() }}
),

products as (
    select * from {{ ref('stg_erp__products') }}
),

customer_keys as (
    select * from {{ ref('int_erp_customer_keys') }}
)

select
    lines.order_no || ':' || cast(lines.line_no as varchar) as order_line_key,
    lines.order_no,
    lines.line_no,
    orders.order_date,
    date_trunc('month', orders.order_date)::date as order_month,
    orders.debtor_no,
    customer_keys.customer_key,
    orders.channel_code,
    orders.channel_name,
    orders.channel_type,
    orders.sales_rep,
    lines.product_no,
    products.product_name,
    coalesce(products.product_group, 'unknown') as product_group,
    lines.quantity,
    lines.unit_price,
    lines.discount_pct,
    lines.gross_amount,
    lines.discount_amount,
    lines.net_amount,
    products.standard_cost,
    {{ to_money('lines.quantity * coalesce(products.standard_cost, 0)') }} as cost_of_goods,
    products.standard_cost is null as is_missing_product_cost
from lines
inner join orders
    on lines.order_no = orders.order_no
left join products
    on lines.product_no = products.product_no
left join customer_keys
    on orders.debtor_no = customer_keys.debtor_no
