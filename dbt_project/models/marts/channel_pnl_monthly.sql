-- Channel P&L per month (invoice month) and sales channel (channel of the order invoiced):
--   revenue              invoices ('INV') net
--   credit_notes         credit notes ('CRN') net, shown positive; a credit note without an
--                        order takes the channel of the invoice it references
--   net_revenue          revenue - credit_notes
--   cost_of_goods        quantity x standard cost of the orders first invoiced in the month
--   channel_cost         cost accounting's cost of the channel in the month (erp_channel_costs)
--   contribution_margin  net_revenue - cost_of_goods - channel_cost
--   orders / customers   distinct orders / debtors invoiced in the month
--   average_order_value  revenue / orders
-- Invoices whose order (or channel) is unknown are kept under channel_code 'UNASSIGNED', so
-- that the revenue reconciles to the ERP to the cent.
with invoices as (
    select * from {{ ref('int_invoices_signed') }}
),

invoice_totals as (
    select
        invoice_month as month,
        channel_code,
        sum(net_amount) filter (where doc_type = 'INV') as revenue,
        sum(net_amount) filter (where doc_type = 'CRN') as credit_notes,
        count(distinct order_no) filter (where doc_type = 'INV') as orders,
        count(distinct debtor_no) filter (where doc_type = 'INV') as customers
    from invoices
    group by invoice_month, channel_code
),

order_first_invoice as (
    select order_no, min(invoice_month) as month
    from invoices
    where doc_type = 'INV' and order_no is not null
    group by order_no
),

cogs as (
    select
        f.month,
        o.channel_code,
        sum(o.cost_of_goods) as cost_of_goods
    from {{ ref('int_orders') }} as o
    inner join order_first_invoice as f
        on o.order_no = f.order_no
    group by f.month, o.channel_code
),

channel_costs as (
    select period_month as month, channel_code, sum(cost_amount) as channel_cost
    from {{ ref('stg_erp__channel_costs') }}
    where period_month <= {{ as_of_date() }}
    group by period_month, channel_code
),

grid as (
    select month, channel_code from invoice_totals
    union
    select month, channel_code from cogs
    union
    select month, channel_code from channel_costs
),

channels as (
    select * from {{ ref('channels') }}
),

combined as (
    select
        grid.month,
        grid.channel_code,
        coalesce(channels.channel_name, 'Unassigned') as channel_name,
        coalesce(channels.channel_type, 'unknown') as channel_type,
        cast(coalesce(invoice_totals.revenue, 0) as decimal(18, 2)) as revenue,
        cast(coalesce(invoice_totals.credit_notes, 0) as decimal(18, 2)) as credit_notes,
        cast(coalesce(cogs.cost_of_goods, 0) as decimal(18, 2)) as cost_of_goods,
        cast(coalesce(channel_costs.channel_cost, 0) as decimal(18, 2)) as channel_cost,
        coalesce(invoice_totals.orders, 0) as orders,
        coalesce(invoice_totals.customers, 0) as customers
    from grid
    left join invoice_totals on grid.month = invoice_totals.month and grid.channel_code = invoice_totals.channel_code
    left join cogs on grid.month = cogs.month and grid.channel_code = cogs.channel_code
    left join channel_costs on grid.month = channel_costs.month and grid.channel_code = channel_costs.channel_code
    left join channels on grid.channel_code = channels.channel_code
)

select
    left(cast(month as varchar), 7) || '|' || channel_code as channel_month_key,
    month,
    channel_code,
    channel_name,
    channel_type,
    revenue,
    credit_notes,
    cast(revenue - credit_notes as decimal(18, 2)) as net_revenue,
    cost_of_goods,
    cast(revenue - credit_notes - cost_of_goods as decimal(18, 2)) as gross_margin,
    channel_cost,
    cast(revenue - credit_notes - cost_of_goods - channel_cost as decimal(18, 2)) as contribution_margin,
    case when revenue - credit_notes <> 0
        then round((revenue - credit_notes - cost_of_goods - channel_cost) / (revenue - credit_notes), 4)
    end as contribution_margin_pct,
    orders,
    customers,
    case when orders > 0 then cast(round(revenue / orders, 2) as decimal(18, 2)) end as average_order_value
from combined
