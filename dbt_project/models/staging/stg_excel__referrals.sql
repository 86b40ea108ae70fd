-- Referrals made by existing customers: one row per referred company.
with source as (
    select * from {{ source('excel', 'excel_referrals') }}
),

typed as (
    select
        {{ clean_text('referrer_name') }} as referrer_name,
        {{ clean_id('referrer_debtor_no') }} as referrer_debtor_no,
        {{ clean_text('referred_company') }} as referred_company,
        {{ clean_text('referred_postcode') }} as referred_postcode_raw,
        {{ clean_text('referred_city') }} as referred_city,
        coalesce({{ country_from_postcode_prefix('referred_postcode') }}, 'DE') as referred_country,
        {{ parse_german_date('referral_date') }} as referral_date,
        {{ clean_code('status') }} as status,
        {{ provenance_columns() }}
    from source
)

select
    _record_key as referral_record_key,
    referrer_name,
    {{ company_match_key('referrer_name') }} as referrer_match_key,
    referrer_debtor_no,
    referred_company,
    {{ company_match_key('referred_company') }} as referred_match_key,
    {{ normalise_postcode('referred_postcode_raw', 'referred_country') }} as referred_postcode,
    referred_city,
    referred_country,
    referral_date,
    status,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
