-- Channel behaviour per customer with at least one order up to the as-of date (all order
-- history): share of orders and of order value per channel, the preferred channel (highest
-- order value; ties by number of orders, then channel order), channels used, and channel
-- switches = how often two consecutive orders (by date, then order number) used different channels.
{%- set channel_codes = ['FS', 'IS', 'WEB', 'MKT', 'DIST', 'EDI'] %}
with orders as (
    select * from {{ ref('int_orders') }}
    where customer_key is not null
),

channels as (
    select * from {{ ref('channels') }}
),

per_channel as (
    select
        customer_key,
        channel_code,
        count(*) as orders,
        sum(net_amount) as revenue
    from orders
    group by customer_key, channel_code
),

totals as (
    select
        customer_key,
        count(*) as orders_total,
        sum(net_amount) as revenue_total,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date
    from orders
    group by customer_key
),

preferred as (
    select customer_key, preferred_channel_code, preferred_channel_name
    from (
        select
            per_channel.customer_key,
            per_channel.channel_code as preferred_channel_code,
            channels.channel_name as preferred_channel_name,
            row_number() over (
                partition by per_channel.customer_key
                order by per_channel.revenue desc, per_channel.orders desc, channels.sort_order nulls last, per_channel.channel_code
            ) as channel_rank
        from per_channel
        left join channels on per_channel.channel_code = channels.channel_code
    ) as ranked
    where channel_rank = 1
),

sequenced as (
    select
        customer_key,
        channel_code,
        lag(channel_code) over (partition by customer_key order by order_date, order_no) as previous_channel_code
    from orders
),

switches as (
    select
        customer_key,
        count(*) filter (where previous_channel_code is not null and channel_code is distinct from previous_channel_code)
            as channel_switches
    from sequenced
    group by customer_key
),

used as (
    select
        per_channel.customer_key,
        count(*) as channels_used,
        string_agg(per_channel.channel_code, ', ' order by channels.sort_order nulls last, per_channel.channel_code) as channels_used_list
    from per_channel
    left join channels on per_channel.channel_code = channels.channel_code
    group by per_channel.customer_key
),

pivoted as (
    select
        customer_key,
        {%- for code in channel_codes %}
        coalesce(sum(orders) filter (where channel_code = '{{ code }}'), 0) as orders_{{ code | lower }},
        coalesce(sum(revenue) filter (where channel_code = '{{ code }}'), 0) as revenue_{{ code | lower }}{{ ',' if not loop.last }}
        {%- endfor %}
    from per_channel
    group by customer_key
)

select
    totals.customer_key,
    totals.orders_total,
    cast(totals.revenue_total as decimal(18, 2)) as order_value_total,
    totals.first_order_date,
    totals.last_order_date,
    preferred.preferred_channel_code,
    preferred.preferred_channel_name,
    used.channels_used,
    used.channels_used_list,
    used.channels_used > 1 as is_multichannel,
    coalesce(switches.channel_switches, 0) as channel_switches,
    {%- for code in channel_codes %}
    round(pivoted.orders_{{ code | lower }} / totals.orders_total, 4) as order_share_{{ code | lower }},
    round(pivoted.revenue_{{ code | lower }} / nullif(totals.revenue_total, 0), 4) as revenue_share_{{ code | lower }}{{ ',' if not loop.last }}
    {%- endfor %}
from totals
inner join pivoted on totals.customer_key = pivoted.customer_key
left join preferred on totals.customer_key = preferred.customer_key
left join used on totals.customer_key = used.customer_key
left join switches on totals.customer_key = switches.customer_key
