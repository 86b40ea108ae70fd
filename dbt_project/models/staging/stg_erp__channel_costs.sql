-- Monthly cost per distribution channel from cost accounting.
with typed as (
    select
        {{ clean_text('period') }} as period,
        {{ clean_id('channel_code') }} as channel_code,
        {{ to_money('cost_amount') }} as cost_amount,
        {{ provenance_columns() }}
    from {{ source('erp', 'erp_channel_costs') }}
)

select
    period,
    {{ safe_cast("period || '-01'", 'date') }} as period_month,
    channel_code,
    cost_amount,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
