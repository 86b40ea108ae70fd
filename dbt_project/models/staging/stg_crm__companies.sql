-- CRM companies: one row per CRM company record.
with source as (
    select * from {{ source('crm', 'crm_companies') }}
),

industry_aliases as (
    select lower(trim(alias)) as alias, industry_key from {{ ref('industry_aliases') }}
),

typed as (
    select
        {{ clean_id('company_id') }} as company_id,
        {{ clean_text('company_name') }} as company_name,
        {{ email_domain('domain') }} as domain,
        {{ normalise_phone('phone') }} as phone,
        {{ clean_text('street') }} as street,
        {{ clean_text('postcode') }} as postcode_raw,
        {{ clean_text('city') }} as city,
        case
            when {{ clean_text('country') }} is not null then {{ normalise_country('country') }}
            else coalesce({{ country_from_postcode_prefix('postcode') }}, 'DE')
        end as country,
        {{ clean_text('industry') }} as industry,
        {{ clean_id('erp_debtor_no') }} as erp_debtor_no,
        {{ clean_email('owner_email') }} as owner_email,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ provenance_columns() }}
    from source
)

select
    typed.company_id,
    typed.company_name,
    {{ company_match_key('typed.company_name') }} as company_match_key,
    typed.domain,
    typed.phone,
    typed.street,
    {{ normalise_postcode('typed.postcode_raw', 'typed.country') }} as postcode,
    typed.city,
    typed.country,
    typed.industry,
    industry_aliases.industry_key,
    typed.erp_debtor_no,
    typed.owner_email,
    typed.created_at,
    typed.updated_at,
    typed._record_key, typed._source_file, typed._source_sheet, typed._source_row,
    typed._load_id, typed._loaded_at
from typed
left join industry_aliases
    on lower(typed.industry) = industry_aliases.alias
