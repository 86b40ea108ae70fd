-- The assistant's Christmas-card address list: one row per addressee.
with source as (
    select * from {{ source('excel', 'excel_christmas_cards') }}
),

typed as (
    select
        {{ clean_text('company_name') }} as company_name,
        {{ clean_text('salutation') }} as salutation,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('street') }} as street,
        {{ clean_text('postcode') }} as postcode_raw,
        {{ clean_text('city') }} as city,
        -- a written country wins (unknown names give null); else a postcode prefix; else DE
        case
            when {{ clean_text('country') }} is not null then {{ normalise_country('country') }}
            else coalesce({{ country_from_postcode_prefix('postcode') }}, 'DE')
        end as country,
        {{ provenance_columns() }}
    from source
)

select
    _record_key as christmas_card_record_key,
    company_name,
    {{ company_match_key('company_name') }} as company_match_key,
    salutation,
    first_name,
    last_name,
    street,
    {{ normalise_postcode('postcode_raw', 'country') }} as postcode,
    city,
    country,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
