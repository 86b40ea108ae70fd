-- ERP sales order headers with the distribution channel of each order.
with source as (
    select * from {{ source('erp', 'erp_sales_orders') }}
),

channels as (
    select * from {{ ref('channels') }}
),

typed as (
    select
        {{ clean_id('order_no') }} as order_no,
        {{ clean_id('debtor_no') }} as debtor_no,
        {{ parse_german_date('order_date') }} as order_date,
        {{ clean_id('channel_code') }} as channel_code,
        {{ clean_text('sales_rep') }} as sales_rep,
        {{ parse_timestamp('changed_at') }} as changed_at,
        {{ provenance_columns() }}
    from source
)

select
    typed.order_no,
    typed.debtor_no,
    typed.order_date,
    typed.channel_code,
    channels.channel_name,
    channels.channel_type,
    typed.sales_rep,
    typed.changed_at,
    typed._record_key, typed._source_file, typed._source_sheet, typed._source_row,
    typed._load_id, typed._loaded_at
from typed
left join channels
    on typed.channel_code = channels.channel_code
