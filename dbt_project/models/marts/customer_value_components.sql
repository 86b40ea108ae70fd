-- Customer value in long format: one row per ERP customer and scoring component, so that
-- every score traces to its raw value. score = percent rank among all ERP customers x 100
-- (0 = worst, 100 = best; for cost_to_serve and payment a lower raw value is better).
-- Tied raw values share the mean of their percent ranks (mid-rank), so that e.g. the many
-- customers without referrals get the same middling score rather than all 0, and a component
-- on which all customers are equal scores 50 for everybody. A missing raw value (e.g. no
-- invoice due yet) scores a neutral 50.
with inputs as (
    select * from {{ ref('int_customer_value_inputs') }}
),

weights as (
    select
        component,
        cast(weight as decimal(9, 4)) as weight,
        cast(higher_is_better as boolean) as higher_is_better,
        label
    from {{ ref('value_score_weights') }}
),

raw_values as (
    select customer_key, 'revenue' as component, cast(revenue_12m as double precision) as raw_value, 0.0 as tiebreak_value from inputs
    union all
    select customer_key, 'gross_margin', cast(gross_margin_12m as double precision), 0.0 from inputs
    union all
    select customer_key, 'contribution', cast(contribution_after_cost_to_serve as double precision), 0.0 from inputs
    union all
    select customer_key, 'cost_to_serve', cast(cost_to_serve_ratio as double precision), 0.0 from inputs
    union all
    select customer_key, 'payment', cast(avg_days_late as double precision), 0.0 from inputs
    union all
    select customer_key, 'reference', cast(referrals_made as double precision), cast(referred_revenue_12m as double precision) from inputs
    union all
    select customer_key, 'trend', cast(revenue_trend as double precision), 0.0 from inputs
    union all
    select customer_key, 'cross_sell', cast(cross_sell_gap as double precision), 0.0 from inputs
    union all
    select customer_key, 'repeat_purchase', cast(expected_repeat_purchases_12m as double precision), 0.0 from inputs
),

ordered as (
    select
        raw_values.customer_key,
        raw_values.component,
        weights.label as component_label,
        weights.higher_is_better,
        raw_values.raw_value,
        weights.weight,
        -- sort key: ascending means better for every component
        case when weights.higher_is_better then raw_values.raw_value else -raw_values.raw_value end as sort_value,
        case when weights.higher_is_better then raw_values.tiebreak_value else -raw_values.tiebreak_value end as sort_tiebreak
    from raw_values
    inner join weights
        on raw_values.component = weights.component
),

ranked as (
    select
        *,
        count(raw_value) over (partition by component) as scored_customers,
        rank() over scored as rank_low,
        cume_dist() over scored as cume
    from ordered
    window scored as (partition by component, raw_value is null order by sort_value, sort_tiebreak)
),

with_pct as (
    select
        *,
        -- mean of the percent ranks of the tied group: ((first rank - 1) + (last rank - 1)) / 2 / (n - 1)
        case
            when raw_value is null or scored_customers < 2 then null
            else ((rank_low - 1) + (cume * scored_customers - 1)) / 2.0 / (scored_customers - 1)
        end as pct_rank
    from ranked
)

select
    customer_key || ':' || component as customer_component_key,
    customer_key,
    component,
    component_label,
    higher_is_better,
    raw_value,
    cast(
        case
            when raw_value is null or scored_customers < 2 then 50
            else round(100 * pct_rank, 1)
        end
    as decimal(5, 1)) as score,
    weight,
    cast(
        round(weight * case when raw_value is null or scored_customers < 2 then 50 else round(100 * pct_rank, 1) end, 2)
    as decimal(7, 2)) as weighted_points
from with_pct
