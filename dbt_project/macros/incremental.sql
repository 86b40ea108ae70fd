{#- Incremental staging of the large ERP facts. The ERP extract merges only changed rows
    into raw (each load stamps its rows' _loaded_at), so a nightly build transforms just
    the rows loaded since the last build and replaces them by _record_key. A full
    reconciliation read replaces raw whole: every row is then new, and rows gone from the
    source are deleted here too. Only row-wise models may use this (no joins, no
    aggregates); `dbt build --full-refresh` rebuilds them from scratch. -#}

{% macro rows_loaded_since_last_build() -%}
    {%- if is_incremental() %}
    where _loaded_at > (select coalesce(max(_loaded_at), cast('1900-01-01' as timestamp)) from {{ this }})
    {%- endif %}
{%- endmacro %}

{% macro delete_rows_gone_from(relation) -%}
    {%- if is_incremental() -%}
    delete from {{ this }} where _record_key not in (select _record_key from {{ relation }})
    {%- endif -%}
{%- endmacro %}
