-- Lifecycle status of every customer from its ERP orders, relative to the as-of date d:
--   prospect  no order ever (up to d)
--   lost      last order more than 24 months before d
--   active    an order in the last 12 months (d - 12 months, d]
--   at_risk   active, but in the last 12 months fewer than 50 % of the orders, or less than
--             50 % of the order value, of the 12 months before (d - 24 months, d - 12 months]
--   inactive  otherwise (last order 12 to 24 months ago)
with customers as (
    select distinct customer_key from {{ ref('int_customer_crosswalk') }}
),

orders as (
    select customer_key, order_no, order_date, net_amount
    from {{ ref('int_orders') }}
    where customer_key is not null
      and order_date <= {{ as_of_date() }}
),

windows as (
    select
        cast({{ dbt.dateadd('month', -12, as_of_date()) }} as date) as start_12m,
        cast({{ dbt.dateadd('month', -24, as_of_date()) }} as date) as start_24m
),

stats as (
    select
        orders.customer_key,
        count(*) as orders_total,
        min(orders.order_date) as first_order_date,
        max(orders.order_date) as last_order_date,
        count(*) filter (where orders.order_date > windows.start_12m) as orders_12m,
        count(*) filter (where orders.order_date > windows.start_24m
                           and orders.order_date <= windows.start_12m) as orders_prior_12m,
        coalesce(sum(orders.net_amount) filter (where orders.order_date > windows.start_12m), 0) as order_value_12m,
        coalesce(sum(orders.net_amount) filter (where orders.order_date > windows.start_24m
                                                  and orders.order_date <= windows.start_12m), 0) as order_value_prior_12m
    from orders
    cross join windows
    group by orders.customer_key
)

select
    customers.customer_key,
    coalesce(stats.orders_total, 0) as orders_total,
    stats.first_order_date,
    stats.last_order_date,
    coalesce(stats.orders_12m, 0) as orders_12m,
    coalesce(stats.orders_prior_12m, 0) as orders_prior_12m,
    cast(coalesce(stats.order_value_12m, 0) as decimal(18, 2)) as order_value_12m,
    cast(coalesce(stats.order_value_prior_12m, 0) as decimal(18, 2)) as order_value_prior_12m,
    case
        when coalesce(stats.orders_total, 0) = 0 then 'prospect'
        when stats.last_order_date <= windows.start_24m then 'lost'
        when stats.last_order_date > windows.start_12m then
            case
                when stats.orders_12m < 0.5 * stats.orders_prior_12m
                  or stats.order_value_12m < 0.5 * stats.order_value_prior_12m then 'at_risk'
                else 'active'
            end
        else 'inactive'
    end as lifecycle_status
from customers
cross join windows
left join stats
    on customers.customer_key = stats.customer_key
