-- CRM contacts with buying-center role and consent per purpose (e-mail, phone, postal).
-- Personal data (name, e-mail, phone) stays in staging; marts expose it only with consent.
with source as (
    select * from {{ source('crm', 'crm_contacts') }}
)

select
    {{ clean_id('contact_id') }} as contact_id,
    {{ clean_id('company_id') }} as company_id,
    {{ clean_text('first_name') }} as first_name,
    {{ clean_text('last_name') }} as last_name,
    {{ clean_email('email') }} as email,
    {{ normalise_phone('phone') }} as phone,
    {{ clean_text('job_title') }} as job_title,
    {{ clean_code('buying_role') }} as buying_role,
    {{ clean_code('consent_email') }} as consent_email,
    {{ parse_timestamp('consent_email_at') }} as consent_email_at,
    {{ clean_code('consent_phone') }} as consent_phone,
    {{ parse_timestamp('consent_phone_at') }} as consent_phone_at,
    {{ clean_code('consent_postal') }} as consent_postal,
    {{ parse_timestamp('consent_postal_at') }} as consent_postal_at,
    {{ parse_timestamp('created_at') }} as created_at,
    {{ parse_timestamp('updated_at') }} as updated_at,
    {{ provenance_columns() }}
from source
