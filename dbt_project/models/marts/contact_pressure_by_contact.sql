-- Contact pressure per CRM contact: CRM activities logged against the contact (notes
-- excluded) in the last 30 and 90 days up to the as-of date, by team. Service visits are not
-- logged per person and count only in contact_pressure (per customer).
{%- set teams = ['marketing', 'sales', 'service'] %}
with contacts as (
    select contact_key, customer_key from {{ ref('contacts') }}
),

counts as (
    {{ touchpoint_counts('contact_id', 'contact_id is not null') }}
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
