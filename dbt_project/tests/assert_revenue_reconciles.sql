{{ config(meta={'dagster': {'ref': {'name': 'channel_pnl_monthly'}}}) }}
-- The channel P&L must reconcile to the ERP to the cent: per month, revenue minus credit
-- notes in channel_pnl_monthly equals the ERP's invoices minus credit notes (read here
-- straight from the raw table, independently of the staging and intermediate models).
-- Both sides cover invoices dated up to the as-of date. Returns the months that differ.
with erp as (
    select
        date_trunc('month', {{ parse_german_date('invoice_date') }})::date as month,
        sum(
            case when upper(trim(cast(doc_type as varchar))) = 'CRN' then -1 else 1 end
            * {{ to_money('net_amount') }}
        ) as erp_net_revenue
    from {{ source('erp', 'erp_invoices') }}
    where {{ parse_german_date('invoice_date') }} <= {{ as_of_date() }}
    group by 1
),

pnl as (
    select month, sum(revenue) - sum(credit_notes) as pnl_net_revenue
    from {{ ref('channel_pnl_monthly') }}
    group by month
)

select
    coalesce(erp.month, pnl.month) as month,
    erp.erp_net_revenue,
    pnl.pnl_net_revenue,
    coalesce(pnl.pnl_net_revenue, 0) - coalesce(erp.erp_net_revenue, 0) as difference
from erp
full outer join pnl
    on erp.month = pnl.month
where coalesce(erp.erp_net_revenue, 0) <> coalesce(pnl.pnl_net_revenue, 0)
