-- Data quality per source entity and load, for stewards and BI: what was read, what was
-- accepted, what went to quarantine and why, who owns the source.
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
    loads.message as failure_message,
    max(case when loads.status = 'success' then loads.finished_at end)
        over (partition by loads.entity) as last_successful_load_at
from loads
left join violations
    on loads.load_id = violations.load_id and loads.entity = violations.entity
