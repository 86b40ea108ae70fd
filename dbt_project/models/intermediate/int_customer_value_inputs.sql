-- The raw value drivers of every customer with an ERP record, all relative to the as-of
-- date. Scored in customer_value_components. A customer whose duplicate ERP debtors entity
-- resolution merged is one row (lowest debtor number shown).
with customers as (
    select k.customer_key, min(c.debtor_no) as debtor_no, min(c.industry_key) as industry_key
    from {{ ref('stg_erp__customers') }} as c
    inner join {{ ref('int_erp_customer_keys') }} as k
        on c.debtor_no = k.debtor_no
    group by k.customer_key
),

windows as (
    select
        {{ as_of_date() }} as as_of,
        cast({{ dbt.dateadd('month', -12, as_of_date()) }} as date) as start_12m,
        cast({{ dbt.dateadd('month', -24, as_of_date()) }} as date) as start_24m
),

invoices as (
    select * from {{ ref('int_invoices_signed') }} where customer_key is not null
),

revenue as (
    select
        invoices.customer_key,
        sum(invoices.signed_amount) filter (where invoices.invoice_date > windows.start_12m) as revenue_12m,
        sum(invoices.signed_amount) filter (where invoices.invoice_date > windows.start_24m
                                              and invoices.invoice_date <= windows.start_12m) as revenue_prior_12m,
        avg(invoices.days_late) filter (where invoices.doc_type = 'INV'
                                          and invoices.invoice_date > windows.start_24m) as avg_days_late,
        count(invoices.days_late) filter (where invoices.doc_type = 'INV'
                                            and invoices.invoice_date > windows.start_24m) as invoices_due_24m
    from invoices
    cross join windows
    group by invoices.customer_key
),

-- margin of the orders placed in the last 12 months: net order value (after discounts)
-- minus cost of goods (quantity x standard cost)
order_margin as (
    select
        o.customer_key,
        sum(o.gross_amount) as order_gross_12m,
        sum(o.net_amount) as order_net_12m,
        sum(o.cost_of_goods) as cogs_12m
    from {{ ref('int_orders') }} as o
    cross join windows
    where o.customer_key is not null
      and o.order_date > windows.start_12m
    group by o.customer_key
),

order_counts as (
    select customer_key, orders_12m, orders_prior_12m
    from {{ ref('int_customer_lifecycle') }}
),

costs as (
    select * from {{ ref('int_customer_costs_to_serve') }}
),

referrals as (
    select
        r.referrer_customer_key as customer_key,
        count(*) as referrals_made,
        count(distinct r.referred_customer_key) as referred_customers
    from {{ ref('int_referrals') }} as r
    cross join windows
    where r.referrer_customer_key is not null
      and (r.referral_date is null or r.referral_date <= windows.as_of)
    group by r.referrer_customer_key
),

referred_revenue as (
    select
        referred.referrer_customer_key as customer_key,
        sum(coalesce(revenue.revenue_12m, 0)) as referred_revenue_12m
    from (
        select distinct r.referrer_customer_key, r.referred_customer_key
        from {{ ref('int_referrals') }} as r
        cross join windows
        where r.referrer_customer_key is not null
          and r.referred_customer_key is not null
          and r.referred_customer_key <> r.referrer_customer_key
          and (r.referral_date is null or r.referral_date <= windows.as_of)
    ) as referred
    left join revenue
        on referred.referred_customer_key = revenue.customer_key
    group by referred.referrer_customer_key
),

-- cross-sell gap: product groups that at least half of the ordering customers of the same
-- industry bought in the last 24 months and this customer did not
groups_bought as (
    select distinct l.customer_key, l.product_group
    from {{ ref('int_order_lines') }} as l
    cross join windows
    where l.customer_key is not null and l.order_date > windows.start_24m
),

industry_buyers as (
    select customers.industry_key, count(distinct groups_bought.customer_key) as buyers
    from groups_bought
    inner join customers on groups_bought.customer_key = customers.customer_key
    where customers.industry_key is not null
    group by customers.industry_key
),

industry_groups as (
    select
        customers.industry_key,
        groups_bought.product_group,
        count(distinct groups_bought.customer_key) as group_buyers
    from groups_bought
    inner join customers on groups_bought.customer_key = customers.customer_key
    where customers.industry_key is not null
    group by customers.industry_key, groups_bought.product_group
),

popular_groups as (
    select industry_groups.industry_key, industry_groups.product_group
    from industry_groups
    inner join industry_buyers on industry_groups.industry_key = industry_buyers.industry_key
    where industry_groups.group_buyers >= 0.5 * industry_buyers.buyers
),

cross_sell as (
    select
        customers.customer_key,
        count(popular_groups.product_group) filter (where groups_bought.product_group is null) as cross_sell_gap,
        string_agg(popular_groups.product_group, ', ' order by popular_groups.product_group)
            filter (where groups_bought.product_group is null) as cross_sell_gap_groups
    from customers
    inner join popular_groups on customers.industry_key = popular_groups.industry_key
    left join groups_bought
        on customers.customer_key = groups_bought.customer_key
        and popular_groups.product_group = groups_bought.product_group
    group by customers.customer_key
),

combined as (
    select
        customers.customer_key,
        customers.debtor_no,
        customers.industry_key,
        cast(coalesce(revenue.revenue_12m, 0) as decimal(18, 2)) as revenue_12m,
        cast(coalesce(revenue.revenue_prior_12m, 0) as decimal(18, 2)) as revenue_prior_12m,
        cast(coalesce(order_margin.order_gross_12m, 0) as decimal(18, 2)) as order_gross_12m,
        cast(coalesce(order_margin.order_net_12m, 0) as decimal(18, 2)) as order_net_12m,
        cast(coalesce(order_margin.cogs_12m, 0) as decimal(18, 2)) as cogs_12m,
        costs.service_visits_12m,
        costs.service_cost_12m,
        costs.sales_visits_12m,
        costs.sales_visit_cost_12m,
        costs.discounts_12m,
        costs.returns_12m,
        costs.cost_to_serve_12m,
        cast(round(revenue.avg_days_late, 1) as decimal(9, 1)) as avg_days_late,
        coalesce(revenue.invoices_due_24m, 0) as invoices_due_24m,
        coalesce(referrals.referrals_made, 0) as referrals_made,
        coalesce(referrals.referred_customers, 0) as referred_customers,
        cast(coalesce(referred_revenue.referred_revenue_12m, 0) as decimal(18, 2)) as referred_revenue_12m,
        coalesce(order_counts.orders_12m, 0) as orders_12m,
        coalesce(order_counts.orders_prior_12m, 0) as orders_prior_12m,
        case when customers.industry_key is not null then coalesce(cross_sell.cross_sell_gap, 0) end as cross_sell_gap,
        cross_sell.cross_sell_gap_groups
    from customers
    left join revenue on customers.customer_key = revenue.customer_key
    left join order_margin on customers.customer_key = order_margin.customer_key
    left join costs on customers.customer_key = costs.customer_key
    left join order_counts on customers.customer_key = order_counts.customer_key
    left join referrals on customers.customer_key = referrals.customer_key
    left join referred_revenue on customers.customer_key = referred_revenue.customer_key
    left join cross_sell on customers.customer_key = cross_sell.customer_key
)

select
    *,
    cast(order_net_12m - cogs_12m as decimal(18, 2)) as gross_margin_12m,
    -- discounts are already deducted in the net order value, so only the visit costs and the
    -- returns are subtracted
    cast(order_net_12m - cogs_12m - service_cost_12m - sales_visit_cost_12m - returns_12m as decimal(18, 2))
        as contribution_after_cost_to_serve,
    -- cost to serve per euro of gross order value (list price); costs without any order
    -- rank last (sentinel 99); no orders and no cost -> null (neutral score)
    case
        when order_gross_12m > 0 then round(cost_to_serve_12m / order_gross_12m, 4)
        when cost_to_serve_12m > 0 then 99
    end as cost_to_serve_ratio,
    -- relative revenue change, capped to [-1, 3]; new revenue from nothing counts as +100 %;
    -- no revenue in either year has no trend (null, scored neutral)
    case
        when revenue_prior_12m > 0 then least(greatest(round((revenue_12m - revenue_prior_12m) / revenue_prior_12m, 4), -1), 3)
        when revenue_12m > 0 then 1
    end as revenue_trend,
    cast(round((2 * orders_12m + orders_prior_12m) / 3.0, 1) as decimal(9, 1)) as expected_repeat_purchases_12m
from combined
