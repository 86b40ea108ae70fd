-- Contact pressure per customer: touchpoints (CRM activities without notes, plus service
-- visits) in the last 30 and 90 days up to the as-of date, by team. A customer is
-- over-contacted when it had more than var('contact_pressure_limit_30d') touchpoints in 30 days.
{%- set teams = ['marketing', 'sales', 'service'] %}
with customers as (
    select distinct customer_key from {{ ref('int_customer_crosswalk') }}
),

counts as (
    {{ touchpoint_counts('customer_key', 'customer_key is not null') }}
)

select
    customers.customer_key,
    coalesce(counts.touchpoints_30d, 0) as touchpoints_30d,
    coalesce(counts.touchpoints_90d, 0) as touchpoints_90d,
    {%- for team in teams %}
    coalesce(counts.{{ team }}_touchpoints_30d, 0) as {{ team }}_touchpoints_30d,
    coalesce(counts.{{ team }}_touchpoints_90d, 0) as {{ team }}_touchpoints_90d,
    {%- endfor %}
    coalesce(counts.teams_30d, 0) as teams_30d,
    counts.last_touchpoint_date,
    {{ var('contact_pressure_limit_30d') }} as contact_pressure_limit_30d,
    coalesce(counts.touchpoints_30d, 0) > {{ var('contact_pressure_limit_30d') }} as is_over_contacted
from customers
left join counts
    on customers.customer_key = counts.customer_key
