{#- Touchpoints in the last 30 and 90 days before the as-of date, in total and per team,
    grouped by `grain` (customer_key or contact_id). One definition for both contact-pressure
    marts. -#}
{% macro touchpoint_counts(grain, where) %}
    {%- set teams = ['marketing', 'sales', 'service'] %}
    select
        {{ grain }},
        count(*) filter (where in_30d) as touchpoints_30d,
        count(*) filter (where in_90d) as touchpoints_90d,
        {%- for team in teams %}
        count(*) filter (where in_30d and team = '{{ team }}') as {{ team }}_touchpoints_30d,
        count(*) filter (where in_90d and team = '{{ team }}') as {{ team }}_touchpoints_90d,
        {%- endfor %}
        count(distinct team) filter (where in_30d) as teams_30d,
        max(touchpoint_date) as last_touchpoint_date
    from (
        select
            *,
            touchpoint_date > {{ as_of_date() }} - 30 as in_30d,
            touchpoint_date > {{ as_of_date() }} - 90 as in_90d
        from {{ ref('int_touchpoints') }}
        where {{ where }}
    ) as touchpoints
    group by {{ grain }}
{% endmacro %}
