-- ERP customer master (debtors): the system of record for legal name, billing address, VAT ID.
with source as (
    select * from {{ source('erp', 'erp_customers') }}
),

typed as (
    select
        {{ clean_id('debtor_no') }} as debtor_no,
        {{ clean_text('legal_name') }} as legal_name,
        {{ clean_text('street') }} as street,
        {{ clean_text('postcode') }} as postcode_raw,
        {{ clean_text('city') }} as city,
        {{ normalise_country('country') }} as country,
        {{ normalise_vat_id('vat_id') }} as vat_id,
        upper({{ clean_text('industry_key') }}) as industry_key,
        upper({{ clean_text('customer_group') }}) as customer_group,
        {{ clean_text('sales_rep') }} as sales_rep,
        {{ parse_german_date('created_on') }} as created_on,
        {{ parse_timestamp('changed_at') }} as changed_at,
        {{ provenance_columns() }}
    from source
)

select
    debtor_no,
    legal_name,
    {{ company_match_key('legal_name') }} as company_match_key,
    street,
    {{ normalise_postcode('postcode_raw', 'country') }} as postcode,
    city,
    country,
    vat_id,
    industry_key,
    customer_group,
    sales_rep,
    created_on,
    changed_at,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
