-- Completeness per source entity, load and column: how many of the rows read had a value.
select
    completeness.load_id || '|' || completeness.entity || '|' || completeness.column_name as load_column_key,
    completeness.load_id,
    completeness.entity,
    loads.owner,
    loads.started_at,
    completeness.column_name,
    completeness.is_key_field,
    completeness.rows_read,
    completeness.rows_filled,
    round(cast(completeness.rows_filled as double precision) / nullif(completeness.rows_read, 0), 4) as completeness
from {{ source('meta', 'field_completeness') }} as completeness
inner join {{ source('meta', 'load_log') }} as loads
    on completeness.load_id = loads.load_id and completeness.entity = loads.entity
