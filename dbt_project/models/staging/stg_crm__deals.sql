-- CRM deals (opportunities) with HubSpot stage and amount.
with source as (
    select * from {{ source('crm', 'crm_deals') }}
),

typed as (
    select
        {{ clean_id('deal_id') }} as deal_id,
        {{ clean_id('company_id') }} as company_id,
        {{ clean_id('lead_id') }} as lead_id,
        {{ clean_text('deal_name') }} as deal_name,
        replace({{ clean_code('stage') }}, '_', '') as stage,
        {{ to_money(parse_german_number('amount')) }} as amount,
        {{ parse_german_date('close_date') }} as close_date,
        {{ clean_email('owner_email') }} as owner_email,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ provenance_columns() }}
    from source
)

select
    deal_id,
    company_id,
    lead_id,
    deal_name,
    stage,
    stage in ('closedwon', 'closedlost') as is_closed,
    stage = 'closedwon' as is_won,
    amount,
    close_date,
    owner_email,
    created_at,
    updated_at,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
