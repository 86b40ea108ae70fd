{#- One customer_key per source key: the key's first record (by _record_key) as entity
    resolution keyed it in the crosswalk. Used for the keys other tables of a source refer
    by (CRM company id, ERP debtor number). -#}
{% macro customer_key_per_source_key(staging, crosswalk, source_entity, key_column, extra_columns=[]) %}
select {{ key_column }}, customer_key{% for column in extra_columns %}, {{ column }}{% endfor %}
from (
    select
        c.{{ key_column }},
        x.customer_key,
        {%- for column in extra_columns %}
        x.{{ column }},
        {%- endfor %}
        row_number() over (partition by c.{{ key_column }} order by c._record_key) as record_rank
    from {{ staging }} as c
    inner join {{ crosswalk }} as x
        on x.source_entity = '{{ source_entity }}'
        and x.record_key = c._record_key
    where c.{{ key_column }} is not null
) as ranked
where record_rank = 1
{% endmacro %}
