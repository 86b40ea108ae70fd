-- Data quality per source entity and load, for stewards and BI: what was read, what was
-- accepted, what went to quarantine and why, how complete the key fields were, how many
-- duplicates entity resolution merged, who owns the source.
with loads as (
    select * from {{ source('meta', 'load_log') }}
),

violations as (
    select
        load_id,
        entity,
        sum(rows) filter (where severity = 'error') as error_rule_hits,
        sum(rows) filter (where severity = 'warn') as warn_rule_hits,
        string_agg(rule || ' (' || coalesce(column_name, 'row') || '): ' || rows, '; ' order by rows desc)
            as rule_summary
    from {{ source('meta', 'rule_violations') }}
    group by load_id, entity
),

completeness as (
    select
        load_id,
        entity,
        min(cast(rows_filled as double precision) / nullif(rows_read, 0)) filter (where is_key_field) as key_field_completeness,
        avg(cast(rows_filled as double precision) / nullif(rows_read, 0)) as field_completeness
    from {{ source('meta', 'field_completeness') }}
    group by load_id, entity
),

-- the resolution step of the same run (its run id is the load id)
resolution as (
    select run_id as load_id, source_entity as entity, records as records_resolved, customers as customers_resolved,
        duplicates_merged
    from {{ source('resolution', 'match_run_sources') }}
)

select
    loads.load_id || '|' || loads.entity as load_entity_key,
    loads.load_id,
    loads.entity,
    loads.system,
    loads.owner,
    loads.steward,
    loads.status,
    loads.started_at,
    loads.finished_at,
    loads.rows_read,
    loads.rows_accepted,
    loads.rows_quarantined,
    loads.rows_warned,
    loads.rows_skipped,
    case when loads.rows_read > 0 then round(cast(loads.rows_quarantined as double precision) / loads.rows_read, 4) end as quarantine_rate,
    coalesce(violations.error_rule_hits, 0) as error_rule_hits,
    coalesce(violations.warn_rule_hits, 0) as warn_rule_hits,
    violations.rule_summary,
    round(completeness.key_field_completeness, 4) as key_field_completeness,
    round(completeness.field_completeness, 4) as field_completeness,
    resolution.records_resolved,
    resolution.customers_resolved,
    resolution.duplicates_merged,
    loads.message as failure_message,
    max(case when loads.status = 'success' then loads.finished_at end)
        over (partition by loads.entity) as last_successful_load_at,
    loads.started_at = max(loads.started_at) over (partition by loads.entity) as is_latest_load
from loads
left join violations
    on loads.load_id = violations.load_id and loads.entity = violations.entity
left join completeness
    on loads.load_id = completeness.load_id and loads.entity = completeness.entity
left join resolution
    on loads.load_id = resolution.load_id and loads.entity = resolution.entity
