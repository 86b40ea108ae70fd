-- One row per CRM contact: the buying-center role and consent per purpose.
-- Personal data is consent-gated: e-mail only if e-mail consent is granted, phone only if
-- phone consent is granted, the name only if at least one consent is granted.
with contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

company_customers as (
    select * from {{ ref('int_crm_company_customers') }}
)

select
    contacts.contact_id as contact_key,
    company_customers.customer_key,
    contacts.company_id as crm_company_id,
    contacts.buying_role,
    contacts.job_title,
    coalesce(contacts.consent_email, 'unknown') as consent_email,
    contacts.consent_email_at,
    coalesce(contacts.consent_phone, 'unknown') as consent_phone,
    contacts.consent_phone_at,
    coalesce(contacts.consent_postal, 'unknown') as consent_postal,
    contacts.consent_postal_at,
    coalesce('granted' in (contacts.consent_email, contacts.consent_phone, contacts.consent_postal), false) as has_any_consent,
    case when coalesce('granted' in (contacts.consent_email, contacts.consent_phone, contacts.consent_postal), false)
        then {{ full_name('contacts.first_name', 'contacts.last_name') }} end as contact_name,
    case when contacts.consent_email = 'granted' then contacts.email end as email,
    case when contacts.consent_phone = 'granted' then contacts.phone end as phone,
    contacts.created_at,
    contacts.updated_at
from contacts
left join company_customers
    on contacts.company_id = company_customers.company_id
