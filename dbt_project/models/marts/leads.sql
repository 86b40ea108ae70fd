-- One row per CRM lead (created up to the as-of date d): each stage timestamp, days between
-- stages and the black-hole flag. Stage timestamps after d are treated as not yet reached.
--   follow_up_status  not_handed_over | pending (handed over less than the SLA before d and
--                     not yet followed up) | within_sla | late (followed up after the SLA)
--                     | missing (no follow-up at all, SLA passed)
--   is_black_hole     true when the lead was handed to sales and had no first follow-up within
--                     var('lead_follow_up_sla_days') days (late or missing); false when it was
--                     followed up in time; null when it is not eligible: not handed over, or
--                     handed over less than the SLA before d (the SLA has not run out yet).
with leads as (
    select * from {{ ref('stg_crm__leads') }}
    where cast(created_at as date) <= {{ as_of_date() }}
),

company_customers as (
    select * from {{ ref('int_crm_company_customers') }}
),

as_of_masked as (
    select
        lead_id,
        company_id,
        contact_id,
        source_channel,
        campaign,
        status,
        owner_email,
        created_at,
        case when cast(mql_at as date) <= {{ as_of_date() }} then mql_at end as mql_at,
        case when cast(handed_to_sales_at as date) <= {{ as_of_date() }} then handed_to_sales_at end as handed_to_sales_at,
        case when cast(first_follow_up_at as date) <= {{ as_of_date() }} then first_follow_up_at end as first_follow_up_at,
        case when cast(opportunity_at as date) <= {{ as_of_date() }} then opportunity_at end as opportunity_at,
        case when cast(closed_at as date) <= {{ as_of_date() }} then closed_at end as closed_at
    from leads
),

measured as (
    select
        *,
        {{ dbt.datediff("cast(created_at as date)", "cast(mql_at as date)", 'day') }} as days_created_to_mql,
        {{ dbt.datediff("cast(mql_at as date)", "cast(handed_to_sales_at as date)", 'day') }} as days_mql_to_handover,
        {{ dbt.datediff("cast(handed_to_sales_at as date)", "cast(first_follow_up_at as date)", 'day') }} as days_to_first_follow_up,
        {{ dbt.datediff("cast(first_follow_up_at as date)", "cast(opportunity_at as date)", 'day') }} as days_follow_up_to_opportunity,
        {{ dbt.datediff("cast(opportunity_at as date)", "cast(closed_at as date)", 'day') }} as days_opportunity_to_close,
        {{ dbt.datediff("cast(created_at as date)", "cast(closed_at as date)", 'day') }} as days_created_to_close,
        handed_to_sales_at is not null
            and cast(handed_to_sales_at as date) + {{ var('lead_follow_up_sla_days') }} <= {{ as_of_date() }}
            as is_sla_elapsed
    from as_of_masked
)

select
    measured.lead_id as lead_key,
    measured.lead_id,
    company_customers.customer_key,
    measured.company_id as crm_company_id,
    measured.contact_id as crm_contact_id,
    measured.source_channel,
    coalesce(measured.campaign, '(none)') as campaign,
    cast(date_trunc('month', measured.created_at) as date) as created_month,
    coalesce(measured.owner_email, '(unassigned)') as owner,
    measured.status,
    measured.created_at,
    measured.mql_at,
    measured.handed_to_sales_at,
    measured.first_follow_up_at,
    measured.opportunity_at,
    measured.closed_at,
    measured.days_created_to_mql,
    measured.days_mql_to_handover,
    measured.days_to_first_follow_up,
    measured.days_follow_up_to_opportunity,
    measured.days_opportunity_to_close,
    measured.days_created_to_close,
    -- a later stage implies the earlier ones (some stage dates are not filled in the CRM)
    measured.mql_at is not null or measured.handed_to_sales_at is not null
        or measured.first_follow_up_at is not null or measured.opportunity_at is not null
        or coalesce(measured.status in ('mql', 'handed_to_sales', 'in_progress', 'opportunity', 'won'), false)
        as reached_mql,
    measured.handed_to_sales_at is not null or measured.first_follow_up_at is not null
        or measured.opportunity_at is not null
        or coalesce(measured.status in ('handed_to_sales', 'in_progress', 'opportunity', 'won'), false)
        as reached_handover,
    measured.first_follow_up_at is not null as reached_follow_up,
    measured.opportunity_at is not null or coalesce(measured.status in ('opportunity', 'won'), false)
        as reached_opportunity,
    coalesce(measured.status = 'won', false) as is_won,
    coalesce(measured.status = 'lost', false) as is_lost,
    coalesce(measured.status = 'disqualified', false) as is_disqualified,
    {{ var('lead_follow_up_sla_days') }} as follow_up_sla_days,
    case
        when measured.handed_to_sales_at is null then 'not_handed_over'
        when measured.first_follow_up_at is not null
             and measured.days_to_first_follow_up <= {{ var('lead_follow_up_sla_days') }} then 'within_sla'
        when not measured.is_sla_elapsed then 'pending'
        when measured.first_follow_up_at is not null then 'late'
        else 'missing'
    end as follow_up_status,
    case
        when measured.is_sla_elapsed then
            measured.first_follow_up_at is null
            or measured.days_to_first_follow_up > {{ var('lead_follow_up_sla_days') }}
    end as is_black_hole
from measured
left join company_customers
    on measured.company_id = company_customers.company_id
