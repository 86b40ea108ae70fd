{#- Use the configured schema name as is (staging, intermediate, mart, reference), so BI
    tools find the mart in a schema called `mart`, not `main_mart`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
