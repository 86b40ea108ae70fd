-- ERP invoices ('INV') and credit notes ('CRN'). net_amount is positive in the source;
-- signed_amount carries the sign (credit notes negative).
{{ config(
    materialized='incremental',
    unique_key='_record_key',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    post_hook="{{ delete_rows_gone_from(source('erp', 'erp_invoices')) }}",
) }}

-- incremental: see macros/incremental.sql
with source as (
    select * from {{ source('erp', 'erp_invoices') }}
    {{ rows_loaded_since_last_build() }}
),

typed as (
    select
        {{ clean_id('invoice_no') }} as invoice_no,
        upper({{ clean_text('doc_type') }}) as doc_type,
        {{ clean_id('order_no') }} as order_no,
        {{ clean_id('debtor_no') }} as debtor_no,
        {{ parse_german_date('invoice_date') }} as invoice_date,
        {{ parse_german_date('due_date') }} as due_date,
        {{ to_money('net_amount') }} as net_amount,
        {{ clean_id('reference_invoice_no') }} as reference_invoice_no,
        {{ clean_code('credit_reason') }} as credit_reason,
        {{ parse_german_date('paid_date') }} as paid_date,
        {{ parse_timestamp('changed_at') }} as changed_at,
        {{ provenance_columns() }}
    from source
)

select
    invoice_no,
    doc_type,
    doc_type = 'CRN' as is_credit_note,
    order_no,
    debtor_no,
    invoice_date,
    due_date,
    net_amount,
    case when doc_type = 'CRN' then -net_amount else net_amount end as signed_amount,
    reference_invoice_no,
    credit_reason,
    paid_date,
    changed_at,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
