-- Service technicians' visit log: one row per visit, with hours and cost.
with source as (
    select * from {{ source('excel', 'excel_service_visits') }}
),

typed as (
    select
        {{ clean_text('company_name') }} as company_name,
        {{ clean_id('debtor_no') }} as debtor_no,
        {{ parse_german_date('visit_date') }} as visit_date,
        {{ clean_text('technician') }} as technician,
        {{ clean_text('visit_type') }} as visit_type,
        {{ parse_german_number('hours') }} as hours_number,
        {{ parse_german_number('cost_eur') }} as cost_number,
        {{ provenance_columns() }}
    from source
)

select
    _record_key as service_visit_record_key,
    company_name,
    {{ company_match_key('company_name') }} as company_match_key,
    debtor_no,
    visit_date,
    technician,
    visit_type,
    cast(round(hours_number, 2) as decimal(9, 2)) as hours,
    {{ to_money('cost_number') }} as cost_eur,
    _record_key, _source_file, _source_sheet, _source_row, _load_id, _loaded_at
from typed
