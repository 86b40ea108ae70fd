-- ERP sales order lines: quantity, list price and discount; line values computed here.
-- discount_pct is a percentage (5 = 5 %); net line value = quantity * unit_price * (1 - discount_pct / 100).
{{ config(
    materialized='incremental',
    unique_key='_record_key',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_rows_gone_from(source('erp', 'erp_order_lines')) }}",
) }}

-- incremental: see macros/incremental.sql
with source as (
    select * from {{ source('erp', 'erp_order_lines') }}
    {{ rows_loaded_since_last_build() }}
),

typed as (
    select
        {{ clean_id('order_no') }} as order_no,
        cast({{ safe_cast(clean_id('line_no'), 'double precision') }} as integer) as line_no,
        {{ clean_id('product_no') }} as product_no,
        cast(round({{ safe_cast('quantity', 'double precision') }}, 3) as decimal(18, 3)) as quantity,
        {{ to_money('unit_price') }} as unit_price,
        cast(round(coalesce({{ safe_cast('discount_pct', 'double precision') }}, 0), 4) as decimal(9, 4)) as discount_pct,
        {{ parse_timestamp('changed_at') }} as changed_at,
        {{ provenance_columns() }}
    from source
)

select
    order_no,
    line_no,
    product_no,
    quantity,
    unit_price,
    discount_pct,
    {{ to_money('quantity * unit_price') }} as gross_amount,
    {{ to_money('quantity * unit_price * (1 - discount_pct / 100)') }} as net_amount,
    {{ to_money('quantity * unit_price') }} - {{ to_money('quantity * unit_price * (1 - discount_pct / 100)') }} as discount_amount,
    changed_at,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
