-- Customer value per ERP customer: raw drivers, component scores (0-100), the weighted total
-- from the scoring matrix (seed value_score_weights), ABC by value beside ABC by revenue,
-- and a plain-English explanation of the score.
--   value_class    A = top 20 % of customers by total score, B = next 30 %, C = the rest
--                  (position in the ranking / number of customers; ties by customer_key)
--   revenue_class  classic ABC by cumulative revenue share: A = the customers that make the
--                  first 80 % of revenue_12m, B = the next 15 %, C = the last 5 % and every
--                  customer without positive revenue
with inputs as (
    select * from {{ ref('int_customer_value_inputs') }}
),

components as (
    select * from {{ ref('customer_value_components') }}
),

texts as (
    select component, positive_text, negative_text from {{ ref('value_score_weights') }}
),

scores as (
    select
        customer_key,
        max(score) filter (where component = 'revenue') as revenue_score,
        max(score) filter (where component = 'gross_margin') as gross_margin_score,
        max(score) filter (where component = 'contribution') as contribution_score,
        max(score) filter (where component = 'cost_to_serve') as cost_to_serve_score,
        max(score) filter (where component = 'payment') as payment_score,
        max(score) filter (where component = 'reference') as reference_score,
        max(score) filter (where component = 'trend') as trend_score,
        max(score) filter (where component = 'cross_sell') as cross_sell_score,
        max(score) filter (where component = 'repeat_purchase') as repeat_purchase_score,
        cast(round(sum(weighted_points) / nullif(sum(weight), 0), 1) as decimal(5, 1)) as total_score
    from components
    group by customer_key
),

-- drivers: how far each component pulls the total above or below a neutral 50
drivers as (
    select
        components.customer_key,
        components.component,
        components.score,
        (components.score - 50) * components.weight as impact,
        texts.positive_text,
        texts.negative_text
    from components
    inner join texts on components.component = texts.component
),

explanations as (
    select
        customer_key,
        string_agg(
            case when impact > 0 then positive_text || ' (score ' || cast(score as varchar) || ')' end,
            ', ' order by impact desc, component
        ) filter (where positive_rank <= 2 and impact > 0) as strengths,
        max(
            case when negative_rank = 1 and impact < 0 then negative_text || ' (score ' || cast(score as varchar) || ')' end
        ) as weakness
    from (
        select
            *,
            row_number() over (partition by customer_key order by impact desc, component) as positive_rank,
            row_number() over (partition by customer_key order by impact asc, component) as negative_rank
        from drivers
    ) as ranked_drivers
    group by customer_key
),

ranked as (
    select
        inputs.*,
        scores.revenue_score,
        scores.gross_margin_score,
        scores.contribution_score,
        scores.cost_to_serve_score,
        scores.payment_score,
        scores.reference_score,
        scores.trend_score,
        scores.cross_sell_score,
        scores.repeat_purchase_score,
        scores.total_score,
        row_number() over (order by scores.total_score desc, inputs.customer_key) as value_rank,
        count(*) over () as customers_ranked,
        coalesce(sum(greatest(inputs.revenue_12m, 0)) over (
            order by inputs.revenue_12m desc, inputs.customer_key
            rows between unbounded preceding and 1 preceding), 0) as revenue_before,
        sum(greatest(inputs.revenue_12m, 0)) over () as revenue_total
    from inputs
    inner join scores on inputs.customer_key = scores.customer_key
),

classified as (
    select
        *,
        case
            when value_rank <= 0.2 * customers_ranked then 'A'
            when value_rank <= 0.5 * customers_ranked then 'B'
            else 'C'
        end as value_class,
        case
            when revenue_12m <= 0 or revenue_total <= 0 then 'C'
            when revenue_before / revenue_total < 0.80 then 'A'
            when revenue_before / revenue_total < 0.95 then 'B'
            else 'C'
        end as revenue_class,
        case when revenue_total > 0 then round(greatest(revenue_12m, 0) / revenue_total, 6) end as revenue_share
    from ranked
)

select
    classified.customer_key,
    classified.debtor_no,
    classified.industry_key,
    classified.revenue_12m,
    classified.revenue_prior_12m,
    classified.revenue_share,
    classified.order_gross_12m,
    classified.order_net_12m,
    classified.cogs_12m,
    classified.gross_margin_12m,
    classified.service_cost_12m,
    classified.sales_visits_12m,
    classified.sales_visit_cost_12m,
    classified.discounts_12m,
    classified.returns_12m,
    classified.cost_to_serve_12m,
    classified.cost_to_serve_ratio,
    classified.contribution_after_cost_to_serve,
    classified.avg_days_late,
    classified.invoices_due_24m,
    classified.referrals_made,
    classified.referred_customers,
    classified.referred_revenue_12m,
    classified.revenue_trend,
    classified.cross_sell_gap,
    classified.cross_sell_gap_groups,
    classified.expected_repeat_purchases_12m,
    classified.revenue_score,
    classified.gross_margin_score,
    classified.contribution_score,
    classified.cost_to_serve_score,
    classified.payment_score,
    classified.reference_score,
    classified.trend_score,
    classified.cross_sell_score,
    classified.repeat_purchase_score,
    classified.total_score,
    classified.value_rank,
    classified.value_class,
    classified.revenue_class,
    classified.value_class <> classified.revenue_class as classes_disagree,
    'Total score ' || cast(classified.total_score as varchar)
        || ' (value class ' || classified.value_class || ', revenue class ' || classified.revenue_class || '). '
        || 'Strengths: ' || coalesce(explanations.strengths, 'none above average') || '. '
        || 'Weakness: ' || coalesce(explanations.weakness, 'none below average') || '.'
        as score_explanation
from classified
left join explanations
    on classified.customer_key = explanations.customer_key
