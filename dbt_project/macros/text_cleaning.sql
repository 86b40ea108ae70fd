{#- Text helpers for raw values (everything from files arrives as untrimmed text). -#}

{#- Trim, collapse inner whitespace (incl. non-breaking spaces), empty -> null. -#}
{% macro clean_text(col) -%}
    nullif(trim(regexp_replace(replace(cast({{ col }} as varchar), chr(160), ' '), '\s+', ' ', 'g')), '')
{%- endmacro %}

{#- An identifier (debtor number, record id): trimmed, upper-case, no inner blanks, and a
    numeric cell's trailing ".0" removed ("10001.0" -> "10001"). -#}
{% macro clean_id(col) -%}
    nullif(regexp_replace(upper(regexp_replace(cast({{ col }} as varchar), '\s+', '', 'g')), '^(\d+)\.0+$', '\1'), '')
{%- endmacro %}

{#- Lower-case code value (consent, status, stage, role, team ...), blanks -> '_'. -#}
{% macro clean_code(col) -%}
    nullif(regexp_replace(lower(trim(cast({{ col }} as varchar))), '[\s\-]+', '_', 'g'), '')
{%- endmacro %}

{#- E-mail: trimmed, lower-case, "mailto:" removed; null when it has no "@". -#}
{% macro clean_email(col) -%}
    case
        when regexp_full_match(lower(trim(cast({{ col }} as varchar))), '^(mailto:)?[^@\s]+@[^@\s]+\.[a-z]{2,}$')
            then regexp_replace(lower(trim(cast({{ col }} as varchar))), '^mailto:', '')
    end
{%- endmacro %}

{#- The company domain of an e-mail address or URL; null for free-mail providers, which
    say nothing about the company. -#}
{% macro email_domain(col) -%}
    nullif(
        case
            when lower(trim(cast({{ col }} as varchar))) like '%@%'
                then regexp_replace(split_part(lower(trim(cast({{ col }} as varchar))), '@', 2), '^www\.', '')
            else regexp_replace(regexp_replace(lower(trim(cast({{ col }} as varchar))), '^(https?://)?(www\.)?', ''), '/.*$', '')
        end
        , '')
{%- endmacro %}

{% macro is_free_mail_domain(domain_expr) -%}
    ({{ domain_expr }} in ('gmail.com', 'googlemail.com', 'web.de', 'gmx.de', 'gmx.net', 'gmx.at',
        'gmx.ch', 't-online.de', 'outlook.com', 'outlook.de', 'hotmail.com', 'hotmail.de',
        'live.com', 'live.de', 'yahoo.com', 'yahoo.de', 'freenet.de', 'arcor.de', 'aol.com',
        'icloud.com', 'me.com', 'posteo.de', 'mailbox.org', 'bluewin.ch', 'mail.de', 'online.de', 'aon.at'))
{%- endmacro %}

{#- A person's display name from first and last name. -#}
{% macro full_name(first_name, last_name) -%}
    nullif(trim(concat_ws(' ', {{ first_name }}, {{ last_name }})), '')
{%- endmacro %}

{#- The provenance columns every raw table carries, typed, kept through staging. -#}
{% macro provenance_columns(alias=none) -%}
    {%- set p = (alias ~ '.') if alias else '' -%}
    cast({{ p }}_record_key as varchar) as _record_key,
    cast({{ p }}_source_file as varchar) as _source_file,
    cast({{ p }}_source_sheet as varchar) as _source_sheet,
    cast({{ p }}_source_row as bigint) as _source_row,
    cast({{ p }}_load_id as varchar) as _load_id,
    cast({{ p }}_loaded_at as timestamp) as _loaded_at
{%- endmacro %}
