-- CRM leads with the timestamp of each funnel stage.
with source as (
    select * from {{ source('crm', 'crm_leads') }}
)

select
    {{ clean_id('lead_id') }} as lead_id,
    {{ clean_id('company_id') }} as company_id,
    {{ clean_id('contact_id') }} as contact_id,
    {{ clean_code('source_channel') }} as source_channel,
    {{ clean_text('campaign') }} as campaign,
    {{ parse_timestamp('created_at') }} as created_at,
    {{ parse_timestamp('mql_at') }} as mql_at,
    {{ parse_timestamp('handed_to_sales_at') }} as handed_to_sales_at,
    {{ parse_timestamp('first_follow_up_at') }} as first_follow_up_at,
    {{ parse_timestamp('opportunity_at') }} as opportunity_at,
    {{ parse_timestamp('closed_at') }} as closed_at,
    {{ clean_code('status') }} as status,
    {{ clean_email('owner_email') }} as owner_email,
    {{ parse_timestamp('updated_at') }} as updated_at,
    {{ provenance_columns() }}
from source
