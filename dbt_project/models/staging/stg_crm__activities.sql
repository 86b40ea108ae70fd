-- CRM activities: every logged touchpoint by marketing, sales and service.
with source as (
    select * from {{ source('crm', 'crm_activities') }}
)

select
    {{ clean_id('activity_id') }} as activity_id,
    {{ clean_code('activity_type') }} as activity_type,
    {{ clean_id('company_id') }} as company_id,
    {{ clean_id('contact_id') }} as contact_id,
    {{ parse_timestamp('occurred_at') }} as occurred_at,
    {{ clean_code('team') }} as team,
    {{ clean_email('owner_email') }} as owner_email,
    {{ clean_text('subject') }} as subject,
    {{ provenance_columns() }}
from source
