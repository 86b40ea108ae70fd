-- The clean mailing list (the Christmas-card list): one row per customer with a complete
-- postal address (street, postcode, city), the golden-record address (ERP billing address
-- first, then CRM, then Excel). A contact person is named only if the CRM records postal
-- consent 'granted' for them (preferring decision maker, purchaser, influencer, user, then the
-- most recent consent); otherwise the letter goes to the company address only.
-- Deduplicated: customers with the same normalised name, postcode and street get one row
-- (the one with an ERP record, then the smallest customer_key). Sorted by country, postcode,
-- name (sort_order).
with customers as (
    select * from {{ ref('customers') }}
    where street is not null and postcode is not null and city is not null
),

postal_contacts_ranked as (
    select
        cc.customer_key,
        {{ full_name('c.first_name', 'c.last_name') }} as contact_name,
        c.job_title,
        c.consent_postal_at,
        row_number() over (
            partition by cc.customer_key
            order by case c.buying_role
                         when 'decision_maker' then 1 when 'purchaser' then 2
                         when 'influencer' then 3 when 'user' then 4 else 5 end,
                     c.consent_postal_at desc nulls last,
                     c.contact_id
        ) as contact_rank
    from {{ ref('stg_crm__contacts') }} as c
    inner join {{ ref('int_crm_company_customers') }} as cc
        on c.company_id = cc.company_id
    where c.consent_postal = 'granted'
      and c.last_name is not null
),

postal_contacts as (
    select * from postal_contacts_ranked where contact_rank = 1
),

deduplicated as (
    select * from (
        select
            customers.*,
            {{ company_match_key('customers.legal_name') }} as name_key,
            lower(regexp_replace(replace(replace(customers.street, 'ß', 'ss'), 'str.', 'strasse'), '[^A-Za-z0-9]', '', 'g')) as street_key,
            row_number() over (
                partition by {{ company_match_key('customers.legal_name') }}, customers.postcode,
                             lower(regexp_replace(replace(replace(customers.street, 'ß', 'ss'), 'str.', 'strasse'), '[^A-Za-z0-9]', '', 'g'))
                order by customers.has_erp_record desc, customers.customer_key
            ) as duplicate_rank
        from customers
    ) as ranked
    where duplicate_rank = 1
)

select
    row_number() over (
        order by deduplicated.country, deduplicated.postcode, deduplicated.legal_name, deduplicated.customer_key
    ) as sort_order,
    deduplicated.customer_key,
    deduplicated.legal_name as company_name,
    postal_contacts.contact_name,
    postal_contacts.job_title as contact_job_title,
    deduplicated.street,
    deduplicated.postcode,
    deduplicated.city,
    deduplicated.country,
    deduplicated.address_source,
    case when postal_contacts.contact_name is not null then 'contact_person' else 'company_only' end as addressee_type,
    postal_contacts.consent_postal_at as contact_postal_consent_at,
    deduplicated.lifecycle_status,
    deduplicated.segment,
    deduplicated.sales_rep
from deduplicated
left join postal_contacts
    on deduplicated.customer_key = postal_contacts.customer_key
order by sort_order
