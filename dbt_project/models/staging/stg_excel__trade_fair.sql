-- Contacts collected at trade fairs: one row per business card / lead sheet line.
with source as (
    select * from {{ source('excel', 'excel_trade_fair') }}
),

typed as (
    select
        {{ clean_text('company_name') }} as company_name,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('job_title') }} as job_title,
        {{ clean_text('email') }} as email_raw,
        {{ clean_text('phone') }} as phone_raw,
        {{ clean_text('postcode') }} as postcode_raw,
        {{ clean_text('city') }} as city,
        -- a written country wins (unknown names give null); else a postcode prefix; else DE
        case
            when {{ clean_text('country') }} is not null then {{ normalise_country('country') }}
            else coalesce({{ country_from_postcode_prefix('postcode') }}, 'DE')
        end as country,
        {{ clean_text('fair') }} as fair,
        {{ parse_german_date('contact_date') }} as contact_date,
        {{ clean_text('interest') }} as interest,
        {{ provenance_columns() }}
    from source
)

select
    _record_key as trade_fair_record_key,
    company_name,
    {{ company_match_key('company_name') }} as company_match_key,
    first_name,
    last_name,
    job_title,
    {{ clean_email('email_raw') }} as email,
    {{ normalise_phone('phone_raw') }} as phone,
    {{ normalise_postcode('postcode_raw', 'country') }} as postcode,
    city,
    country,
    fair,
    contact_date,
    interest,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
