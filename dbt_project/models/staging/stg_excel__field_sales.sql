-- Field-sales reps' customer sheets: one row per customer line of a workbook.
with source as (
    select * from {{ source('excel', 'excel_field_sales') }}
),

typed as (
    select
        {{ clean_text('company_name') }} as company_name,
        {{ clean_text('street') }} as street,
        {{ clean_text('postcode') }} as postcode_raw,
        {{ clean_text('city') }} as city,
        coalesce({{ country_from_postcode_prefix('postcode') }}, 'DE') as country,
        {{ clean_text('contact_name') }} as contact_name,
        {{ clean_text('phone') }} as phone_raw,
        {{ clean_text('email') }} as email_raw,
        {{ parse_german_number('potential_eur') }} as potential_eur_number,
        {{ parse_german_date('last_visit') }} as last_visit_date,
        {{ parse_german_number('visits_12m') }} as visits_12m_number,
        {{ clean_text('sales_rep') }} as sales_rep,
        {{ clean_id('debtor_no') }} as debtor_no,
        {{ clean_text('notes') }} as notes,
        {{ provenance_columns() }}
    from source
)

select
    _record_key as field_sales_record_key,
    company_name,
    {{ company_match_key('company_name') }} as company_match_key,
    street,
    {{ normalise_postcode('postcode_raw', 'country') }} as postcode,
    city,
    country,
    contact_name,
    {{ normalise_phone('phone_raw') }} as phone,
    {{ clean_email('email_raw') }} as email,
    {{ to_money('potential_eur_number') }} as potential_eur,
    last_visit_date,
    cast(round(visits_12m_number) as integer) as visits_12m,
    sales_rep,
    debtor_no,
    notes,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
