-- The lead funnel by source channel, campaign, created month and owner (sales rep).
-- Stage counts are cumulative (a lead that became an opportunity also counts as handed over).
-- black_hole_rate = black-hole leads / leads eligible for the SLA check (see leads.is_black_hole).
with leads as (
    select * from {{ ref('leads') }}
)

select
    md5(concat_ws('|', source_channel, campaign, cast(created_month as varchar), owner)) as funnel_key,
    source_channel,
    campaign,
    created_month,
    owner,
    count(*) as leads,
    count(*) filter (where reached_mql) as mqls,
    count(*) filter (where reached_handover) as handed_to_sales,
    count(*) filter (where reached_follow_up) as followed_up,
    count(*) filter (where reached_opportunity) as opportunities,
    count(*) filter (where is_won) as won,
    count(*) filter (where is_lost) as lost,
    count(*) filter (where is_disqualified) as disqualified,
    round(cast(count(*) filter (where reached_mql) as double precision) / nullif(count(*), 0), 4) as mql_rate,
    round(cast(count(*) filter (where reached_handover) as double precision) / nullif(count(*) filter (where reached_mql), 0), 4) as handover_rate,
    round(cast(count(*) filter (where reached_follow_up) as double precision) / nullif(count(*) filter (where reached_handover), 0), 4) as follow_up_rate,
    round(cast(count(*) filter (where reached_opportunity) as double precision) / nullif(count(*) filter (where reached_handover), 0), 4) as opportunity_rate,
    round(cast(count(*) filter (where is_won) as double precision) / nullif(count(*) filter (where reached_opportunity), 0), 4) as win_rate,
    round(cast(count(*) filter (where is_won) as double precision) / nullif(count(*), 0), 4) as lead_to_won_rate,
    percentile_cont(0.5) within group (order by days_to_first_follow_up) as median_days_to_first_follow_up,
    count(*) filter (where is_black_hole is not null) as black_hole_eligible,
    count(*) filter (where is_black_hole) as black_hole_leads,
    round(cast(count(*) filter (where is_black_hole) as double precision) / nullif(count(*) filter (where is_black_hole is not null), 0), 4) as black_hole_rate
from leads
group by source_channel, campaign, created_month, owner
