-- Contact pressure per CRM contact: CRM activities logged against the contact (notes
-- excluded) in the last 30 and 90 days up to the as-of date, by team. Service visits are not
-- logged per person and count only in contact_pressure (per customer).
{%- set teams = ['marketing', 'sales', 'service'] %}
with contacts as (
    select contact_key, customer_key from {{ ref('contacts') }}
),

touchpoints as (
    select
        *,
        touchpoint_date > {{ as_of_date() }} - 30 as in_30d,
        touchpoint_date > {{ as_of_date() }} - 90 as in_90d
    from {{ ref('int_touchpoints') }}
    where contact_id is not null
),

counts as (
    select
        contact_id,
        count(*) filter (where in_30d) as touchpoints_30d,
        count(*) filter (where in_90d) as touchpoints_90d,
        {%- for team in teams %}
        count(*) filter (where in_30d and team = '{{ team }}') as {{ team }}_touchpoints_30d,
        count(*) filter (where in_90d and team = '{{ team }}') as {{ team }}_touchpoints_90d,
        {%- endfor %}
        max(touchpoint_date) as last_touchpoint_date
    from touchpoints
    group by contact_id
)

select
    contacts.contact_key,
    contacts.customer_key,
    coalesce(counts.touchpoints_30d, 0) as touchpoints_30d,
    coalesce(counts.touchpoints_90d, 0) as touchpoints_90d,
    {%- for team in teams %}
    coalesce(counts.{{ team }}_touchpoints_30d, 0) as {{ team }}_touchpoints_30d,
    coalesce(counts.{{ team }}_touchpoints_90d, 0) as {{ team }}_touchpoints_90d,
    {%- endfor %}
    counts.last_touchpoint_date,
    {{ var('contact_pressure_limit_30d') }} as contact_pressure_limit_30d,
    coalesce(counts.touchpoints_30d, 0) > {{ var('contact_pressure_limit_30d') }} as is_over_contacted
from contacts
left join counts
    on contacts.contact_key = counts.contact_id
