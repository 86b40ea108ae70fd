-- Rows per quality rule for each source entity and load, with the rule's severity, its
-- plain-language message and the owner to call: what was quarantined (error) or loaded
-- and counted (warn), and why.
select
    violations.load_id || '|' || violations.entity || '|' || violations.rule || '|' || coalesce(violations.column_name, '')
        as load_rule_key,
    violations.load_id,
    violations.entity,
    loads.system,
    loads.owner,
    loads.steward,
    loads.started_at,
    violations.rule,
    violations.severity,
    violations.column_name,
    violations.rows,
    violations.severity = 'error' as quarantines_rows,
    violations.message
from {{ source('meta', 'rule_violations') }} as violations
inner join {{ source('meta', 'load_log') }} as loads
    on violations.load_id = loads.load_id and violations.entity = loads.entity
