{#- Portability: the models are written in DuckDB's dialect and also build on PostgreSQL
    (`dbt build --target postgres`). Where the syntax differs a dispatched macro renders
    each dialect; functions PostgreSQL lacks under DuckDB's name (regexp_full_match,
    strip_accents, round of a double) are created once per run by portability_functions()
    (on-run-start; nothing on DuckDB). -#}

{#- try_cast(expr as type): null instead of an error. -#}
{% macro safe_cast(expr, type) -%}{{ return(adapter.dispatch('safe_cast')(expr, type)) }}{%- endmacro %}
{% macro default__safe_cast(expr, type) -%}try_cast({{ expr }} as {{ type }}){%- endmacro %}
{% macro postgres__safe_cast(expr, type) -%}smartdata_try_cast(cast({{ expr }} as text), null::{{ type }}){%- endmacro %}

{#- Does the regular expression match anywhere in the text. -#}
{% macro regex_contains(text, pattern) -%}{{ return(adapter.dispatch('regex_contains')(text, pattern)) }}{%- endmacro %}
{% macro default__regex_contains(text, pattern) -%}regexp_matches({{ text }}, {{ pattern }}){%- endmacro %}
{% macro postgres__regex_contains(text, pattern) -%}(({{ text }}) ~ ({{ pattern }})){%- endmacro %}

{#- The first capture group; '' when nothing matches (DuckDB's regexp_extract). -#}
{% macro regex_group(text, pattern) -%}{{ return(adapter.dispatch('regex_group')(text, pattern)) }}{%- endmacro %}
{% macro default__regex_group(text, pattern) -%}regexp_extract({{ text }}, {{ pattern }}, 1){%- endmacro %}
{% macro postgres__regex_group(text, pattern) -%}
    coalesce(substring({{ text }} from {{ pattern }}), case when {{ text }} is not null then '' end)
{%- endmacro %}

{#- A date in the given strptime format ('%d.%m.%Y', '%d.%m.%y'); null when invalid. -#}
{% macro parse_date_format(text, format) -%}{{ return(adapter.dispatch('parse_date_format')(text, format)) }}{%- endmacro %}
{% macro default__parse_date_format(text, format) -%}cast(try_strptime({{ text }}, '{{ format }}') as date){%- endmacro %}
{% macro postgres__parse_date_format(text, format) -%}
    smartdata_try_to_date({{ text }}, '{{ format | replace("%d", "DD") | replace("%m", "MM") | replace("%Y", "YYYY") | replace("%y", "YY") }}')
{%- endmacro %}

{% macro portability_functions() -%}{{ return(adapter.dispatch('portability_functions')()) }}{%- endmacro %}
{% macro default__portability_functions() -%}select 1{%- endmacro %}
{% macro postgres__portability_functions() -%}
    create extension if not exists unaccent;
    create or replace function smartdata_try_cast(value text, target anyelement) returns anyelement
        language plpgsql immutable as $$
        begin
            target := value;  -- plpgsql converts the text to target's type
            return target;
        exception when others then
            return null;
        end $$;
    create or replace function smartdata_try_to_date(value text, format text) returns date
        language plpgsql immutable as $$
        begin
            -- to_date accepts 31.02. and rolls over; DuckDB's strptime does not
            if to_char(to_date(value, format), format) <> value and to_char(to_date(value, format), 'FMDD.FMMM.' || split_part(format, '.', 3)) <> value then
                return null;
            end if;
            return to_date(value, format);
        exception when others then
            return null;
        end $$;
    create or replace function regexp_full_match(value text, pattern text) returns boolean
        language sql immutable as $$ select value ~ ('^(?:' || pattern || ')$') $$;
    create or replace function strip_accents(value text) returns text
        language sql stable as $$ select unaccent(value) $$;
    create or replace function round(value double precision, digits integer) returns double precision
        language sql immutable as $$ select round(value::numeric, digits)::double precision $$;
{%- endmacro %}
