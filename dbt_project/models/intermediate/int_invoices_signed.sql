-- Invoices and credit notes up to the as-of date with a signed amount (credit notes
-- negative), the channel of the underlying order (a credit note without an order takes the
-- order of the invoice it references) and payment lateness.
with invoices as (
    select * from {{ ref('stg_erp__invoices') }}
    where invoice_date <= {{ as_of_date() }}
),

all_invoices as (
    select invoice_no, order_no from {{ ref('stg_erp__invoices') }}
),

orders as (
    select order_no, channel_code, channel_name, channel_type, order_date
    from {{ ref('stg_erp__sales_orders') }}
),

customer_keys as (
    select * from {{ ref('int_erp_customer_keys') }}
),

with_order as (
    select
        invoices.*,
        coalesce(invoices.order_no, referenced.order_no) as resolved_order_no
    from invoices
    left join all_invoices as referenced
        on invoices.reference_invoice_no = referenced.invoice_no
)

select
    with_order.invoice_no,
    with_order.doc_type,
    with_order.is_credit_note,
    with_order.invoice_date,
    date_trunc('month', with_order.invoice_date)::date as invoice_month,
    with_order.due_date,
    with_order.paid_date,
    with_order.debtor_no,
    customer_keys.customer_key,
    with_order.resolved_order_no as order_no,
    coalesce(orders.channel_code, 'UNASSIGNED') as channel_code,
    with_order.net_amount,
    with_order.signed_amount,
    with_order.reference_invoice_no,
    with_order.credit_reason,
    with_order.is_credit_note and with_order.credit_reason = 'return' as is_return,
    -- days paid after the due date (negative = paid early); an invoice still open at the
    -- as-of date counts as late up to that date once it is due, and not at all before
    case
        when with_order.doc_type <> 'INV' or with_order.due_date is null then null
        when with_order.paid_date is not null and with_order.paid_date <= {{ as_of_date() }}
            then {{ dbt.datediff("with_order.due_date", "with_order.paid_date", 'day') }}
        when with_order.due_date < {{ as_of_date() }}
            then {{ dbt.datediff("with_order.due_date", as_of_date(), 'day') }}
    end as days_late,
    with_order.paid_date is null or with_order.paid_date > {{ as_of_date() }} as is_open
from with_order
left join orders
    on with_order.resolved_order_no = orders.order_no
left join customer_keys
    on with_order.debtor_no = customer_keys.debtor_no
