-- Web-shop orders: one row per shop order, typed. Transferred orders carry the ERP sales order
-- they became; cancelled baskets never reached the ERP. basket_net is the shop's net value,
-- not revenue (ERP invoices are the money truth).
with source as (
    select * from {{ source('webshop', 'webshop_orders') }}
),

typed as (
    select
        {{ clean_id('shop_order_id') }} as shop_order_id,
        {{ clean_id('erp_order_no') }} as erp_order_no,
        {{ clean_id('debtor_no') }} as debtor_no,
        {{ parse_timestamp('ordered_at') }} as ordered_at,
        lower({{ clean_text('status') }}) as status,
        lower({{ clean_text('payment_method') }}) as payment_method,
        lower({{ clean_text('device') }}) as device,
        cast({{ safe_cast(clean_text('items'), 'double precision') }} as integer) as items,
        {{ to_money('basket_net') }} as basket_net,  -- the export writes a dot decimal
        {{ provenance_columns() }}
    from source
)

select
    shop_order_id,
    erp_order_no,
    debtor_no,
    ordered_at,
    cast(ordered_at as date) as order_date,
    status,
    payment_method,
    device,
    items,
    basket_net,
    _record_key, _source_file, _source_sheet, _source_row,
    _load_id, _loaded_at
from typed
