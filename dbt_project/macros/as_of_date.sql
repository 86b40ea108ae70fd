{#- The reference date of every time window ("last 12 months", SLA, lifecycle).
    Set var('as_of_date') (e.g. --vars '{as_of_date: "2026-10-31"}') to make a run
    reproducible; unset or null means today. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or (value | string | trim) in ('', 'None', 'none', 'null') -%}
        current_date
    {%- else -%}
        cast('{{ value | string | trim }}' as date)
    {%- endif -%}
{%- endmacro %}
