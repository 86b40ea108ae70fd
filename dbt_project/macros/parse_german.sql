{#- Parsers for the German formats found in the Excel islands. Both return null rather
    than fail on values they cannot read (the quality contract already reported them). -#}

{#- A number written the German way ("12.500,00 €", "8.000 €", "1.234,56", "-3,5") or
    a numeric cell rendered with a dot decimal ("12500.5", "8000"), or the rare English
    "1,234.56". Currency signs, "EUR", "Stk." and blanks are ignored. Returns DOUBLE;
    callers cast (money: round to 2 decimals and DECIMAL(18,2), see to_money).
    "8.000" (dot followed by exactly three digits) is read as German thousands. -#}
{% macro parse_german_number(col) -%}
    {%- set cleaned -%}
        regexp_replace(replace(lower(cast({{ col }} as varchar)), chr(160), ''), '[\s€]|eur|stk\.?|std\.?|h$', '', 'g')
    {%- endset -%}
    ({{ with_cleaned_number(cleaned) }})
{%- endmacro %}

{#- The CASE behind parse_german_number, over already cleaned text `s`. -#}
{% macro with_cleaned_number(s) -%}
    case
        when {{ s }} is null or {{ s }} = '' then null
        {# German with thousands dots, optional decimal comma: 1.234.567,89 / 8.000 #}
        when regexp_full_match({{ s }}, '^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$')
            then {{ safe_cast("replace(replace(" ~ s ~ ", '.', ''), ',', '.')", 'double precision') }}
        {# German decimal comma without thousands: 1234,56 / -3,5 #}
        when regexp_full_match({{ s }}, '^[+-]?\d*,\d+$|^[+-]?\d+,$')
            then {{ safe_cast("replace(rtrim(" ~ s ~ ", ','), ',', '.')", 'double precision') }}
        {# English thousands commas: 1,234,567.89 #}
        when regexp_full_match({{ s }}, '^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$')
            then {{ safe_cast("replace(" ~ s ~ ", ',', '')", 'double precision') }}
        {# Plain / numeric cell: 12500.5 / 8000 / 1e3 #}
        when regexp_full_match({{ s }}, '^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$')
            then {{ safe_cast(s, 'double precision') }}
    end
{%- endmacro %}

{#- A date as "31.12.2024", "31.12.24", "1.2.2024", "2024-12-31" (a date cell, possibly
    with a time part "2024-12-31 00:00:00" / "2024-12-31T10:00:00Z") or an Excel serial
    day number ("45657"). Returns DATE or null. -#}
{% macro parse_german_date(col) -%}
    (
        case
            when regexp_full_match(trim(cast({{ col }} as varchar)), '^\d{1,2}\.\d{1,2}\.\d{4}$')
                then {{ parse_date_format('trim(cast(' ~ col ~ ' as varchar))', '%d.%m.%Y') }}
            when regexp_full_match(trim(cast({{ col }} as varchar)), '^\d{1,2}\.\d{1,2}\.\d{2}$')
                then {{ parse_date_format('trim(cast(' ~ col ~ ' as varchar))', '%d.%m.%y') }}
            when regexp_full_match(trim(cast({{ col }} as varchar)), '^\d{4}-\d{1,2}-\d{1,2}([T ].*)?$')
                then {{ safe_cast(regex_group('trim(cast(' ~ col ~ ' as varchar))', "'^(\\d{4}-\\d{1,2}-\\d{1,2})'"), 'date') }}
            when regexp_full_match(trim(cast({{ col }} as varchar)), '^\d{5}(\.0+)?$')
                then cast(date '1899-12-30' + cast(cast(trim(cast({{ col }} as varchar)) as double precision) as integer) as date)
        end
    )
{%- endmacro %}

{#- An ISO timestamp from the CRM ("2025-03-04T09:15:00Z", "2025-03-04 09:15:00",
    "2025-03-04") or a German date; UTC offsets are dropped (the CRM exports UTC).
    Returns TIMESTAMP or null. -#}
{% macro parse_timestamp(col) -%}
    coalesce(
        {{ safe_cast("regexp_replace(trim(cast(" ~ col ~ " as varchar)), '(Z|[+-]\\d{2}:?\\d{2})$', '')", 'timestamp') }},
        cast({{ parse_german_date(col) }} as timestamp)
    )
{%- endmacro %}

{#- Money: rounded to the cent, DECIMAL(18,2). `expr` is numeric (DOUBLE, DECIMAL) or text
    a plain cast can read; use parse_german_number first for German text. -#}
{% macro to_money(expr) -%}
    cast(round({{ safe_cast(expr, 'decimal(38, 6)') }}, 2) as decimal(18, 2))
{%- endmacro %}
