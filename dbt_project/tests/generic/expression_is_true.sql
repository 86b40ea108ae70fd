{#- Every row satisfies the SQL boolean `expression` (rows returned break it). Use on a model
    or on a column (then `column_name` may appear in the expression). Null counts as false. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}
