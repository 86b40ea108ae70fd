-- Every touchpoint with a customer up to the as-of date: CRM activities (calls, e-mails,
-- meetings, visits, newsletters; notes are internal and not a touchpoint) and the service
-- technicians' visits from the service visit log. A CRM activity without a company takes the
-- company of its contact. A CRM activity without a team counts for marketing if it is a
-- newsletter, else for sales.
with activities as (
    select * from {{ ref('stg_crm__activities') }}
    where activity_type is distinct from 'note'
      and cast(occurred_at as date) <= {{ as_of_date() }}
),

contacts as (
    select contact_id, company_id from {{ ref('stg_crm__contacts') }}
),

company_customers as (
    select * from {{ ref('int_crm_company_customers') }}
),

crm_touchpoints as (
    select
        'crm_activities' as source_entity,
        activities._record_key as record_key,
        company_customers.customer_key,
        activities.contact_id,
        coalesce(
            activities.team,
            case when activities.activity_type = 'newsletter' then 'marketing' else 'sales' end
        ) as team,
        activities.activity_type as touchpoint_type,
        cast(activities.occurred_at as date) as touchpoint_date
    from activities
    left join contacts
        on activities.contact_id = contacts.contact_id
    left join company_customers
        on coalesce(activities.company_id, contacts.company_id) = company_customers.company_id
),

service_touchpoints as (
    select
        'excel_service_visits' as source_entity,
        visits._record_key as record_key,
        crosswalk.customer_key,
        cast(null as varchar) as contact_id,
        'service' as team,
        'service_visit' as touchpoint_type,
        visits.visit_date as touchpoint_date
    from {{ ref('stg_excel__service_visits') }} as visits
    inner join {{ ref('int_customer_crosswalk') }} as crosswalk
        on crosswalk.source_entity = 'excel_service_visits' and crosswalk.record_key = visits._record_key
    where visits.visit_date <= {{ as_of_date() }}
)

select * from crm_touchpoints
union all
select * from service_touchpoints
