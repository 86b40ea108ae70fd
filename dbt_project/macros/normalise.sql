{#- Normalisation of addresses and company names for matching. -#}

{#- Country to ISO 3166 alpha-2. Missing means Germany (the sheets of a German company
    leave it out); unknown names give null so that a test can catch them. -#}
{% macro normalise_country(col) -%}
    (
        case
            when nullif(trim(cast({{ col }} as varchar)), '') is null then 'DE'
            else case regexp_replace(lower(strip_accents(replace(replace(replace(trim(cast({{ col }} as varchar)),
                                   'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'))), '[\s\.\-]+', '', 'g')
                when 'de' then 'DE' when 'd' then 'DE' when 'deu' then 'DE' when 'ger' then 'DE'
                when 'deutschland' then 'DE' when 'germany' then 'DE' when 'brd' then 'DE'
                when 'bundesrepublikdeutschland' then 'DE'
                when 'at' then 'AT' when 'a' then 'AT' when 'aut' then 'AT' when 'oesterreich' then 'AT'
                when 'osterreich' then 'AT' when 'austria' then 'AT'
                when 'ch' then 'CH' when 'che' then 'CH' when 'schweiz' then 'CH' when 'switzerland' then 'CH'
                when 'suisse' then 'CH' when 'svizzera' then 'CH'
                when 'fr' then 'FR' when 'frankreich' then 'FR' when 'france' then 'FR'
                when 'nl' then 'NL' when 'niederlande' then 'NL' when 'netherlands' then 'NL' when 'holland' then 'NL'
                when 'be' then 'BE' when 'belgien' then 'BE' when 'belgium' then 'BE'
                when 'lu' then 'LU' when 'luxemburg' then 'LU' when 'luxembourg' then 'LU'
                when 'it' then 'IT' when 'italien' then 'IT' when 'italy' then 'IT'
                when 'pl' then 'PL' when 'polen' then 'PL' when 'poland' then 'PL'
                when 'cz' then 'CZ' when 'tschechien' then 'CZ' when 'czechia' then 'CZ' when 'czechrepublic' then 'CZ'
                when 'dk' then 'DK' when 'daenemark' then 'DK' when 'denmark' then 'DK'
                when 'es' then 'ES' when 'spanien' then 'ES' when 'spain' then 'ES'
                when 'gb' then 'GB' when 'uk' then 'GB' when 'grossbritannien' then 'GB' when 'unitedkingdom' then 'GB'
                when 'se' then 'SE' when 'schweden' then 'SE' when 'sweden' then 'SE'
                when 'us' then 'US' when 'usa' then 'US' when 'unitedstates' then 'US'
                when 'li' then 'LI' when 'liechtenstein' then 'LI'
            end
        end
    )
{%- endmacro %}

{#- Postcode: blanks and a country prefix ("D-", "A-", "CH-") removed; a German postcode
    that lost its leading zero in Excel ("1067") is left-padded to 5 digits. `country_expr`
    is an ISO2 expression (already normalised). -#}
{% macro normalise_postcode(col, country_expr) -%}
    (
        case
            when nullif(trim(cast({{ col }} as varchar)), '') is null then null
            else
                case
                    when {{ country_expr }} = 'DE'
                         and regexp_full_match(regexp_replace(upper(regexp_replace(cast({{ col }} as varchar), '\s+', '', 'g')), '^(D|DE|A|AT|CH)-', ''), '^\d{3,4}(\.0+)?$')
                        then lpad(regexp_replace(regexp_replace(upper(regexp_replace(cast({{ col }} as varchar), '\s+', '', 'g')), '^(D|DE|A|AT|CH)-', ''), '\.0+$', ''), 5, '0')
                    else regexp_replace(regexp_replace(upper(regexp_replace(cast({{ col }} as varchar), '\s+', '', 'g')), '^(D|DE|A|AT|CH)-', ''), '\.0+$', '')
                end
        end
    )
{%- endmacro %}

{#- Country implied by a postcode prefix ("A-1010", "CH-8001", "D-01067") or null. -#}
{% macro country_from_postcode_prefix(col) -%}
    (
        case
            when {{ regex_contains('upper(trim(cast(' ~ col ~ ' as varchar)))', "'^(A|AT)-'") }} then 'AT'
            when {{ regex_contains('upper(trim(cast(' ~ col ~ ' as varchar)))', "'^CH-'") }} then 'CH'
            when {{ regex_contains('upper(trim(cast(' ~ col ~ ' as varchar)))', "'^(D|DE)-'") }} then 'DE'
        end
    )
{%- endmacro %}

{#- VAT ID: upper-case, no blanks, dots or dashes ("DE 123 456 789" -> "DE123456789"). -#}
{% macro normalise_vat_id(col) -%}
    nullif(regexp_replace(upper(cast({{ col }} as varchar)), '[\s\.\-/]', '', 'g'), '')
{%- endmacro %}

{#- Phone: digits and a leading +, German national format turned international
    ("0711 / 123-45" -> "+4971112345"). For matching and display, not validation. -#}
{% macro normalise_phone(col) -%}
    (
        case
            when regexp_replace(cast({{ col }} as varchar), '[^0-9+]', '', 'g') = '' then null
            when regexp_replace(cast({{ col }} as varchar), '[^0-9+]', '', 'g') like '+%'
                then regexp_replace(cast({{ col }} as varchar), '[^0-9+]', '', 'g')
            when regexp_replace(cast({{ col }} as varchar), '[^0-9]', '', 'g') like '00%'
                then '+' || substr(regexp_replace(cast({{ col }} as varchar), '[^0-9]', '', 'g'), 3)
            when regexp_replace(cast({{ col }} as varchar), '[^0-9]', '', 'g') like '0%'
                then '+49' || substr(regexp_replace(cast({{ col }} as varchar), '[^0-9]', '', 'g'), 2)
            else regexp_replace(cast({{ col }} as varchar), '[^0-9]', '', 'g')
        end
    )
{%- endmacro %}

{#- The normalised company match key: lower case, umlauts to ae/oe/ue/ss, other accents
    removed, "&"/"+" and punctuation to blanks, legal forms removed as whole words
    (GmbH & Co. KG, GmbH, G.m.b.H., AG, KG, e.K., UG (haftungsbeschränkt), SE, OHG, Ltd,
    SA, SARL, ...), the word "und" dropped, then all blanks removed:
    "Müller & Söhne GmbH & Co. KG" -> "muellersoehne". Null when nothing is left. -#}
{% macro company_match_key(col) -%}
    {%- set gmbh = '(gmbh|g m b h|ges m b h|gesmbh)' -%}
    {%- set und = '(und |u |and )?' -%}
    {%- set legal_forms = [
        gmbh ~ ' ' ~ und ~ 'co kgaa', gmbh ~ ' ' ~ und ~ 'co kg', gmbh ~ ' ' ~ und ~ 'co ohg',
        '(ag|se|ug) ' ~ und ~ 'co kgaa', '(ag|se|ug) ' ~ und ~ 'co kg',
        'ug haftungsbeschraenkt', 'ug haftungsbeschrankt', 'ug h b',
        'gesellschaft mit beschraenkter haftung', 'aktiengesellschaft', 'kommanditgesellschaft',
        gmbh, 'mbh', 'kgaa', 'e kfm', 'e kfr', 'e k', 'ek', 'e v', 'e g', 'eg',
        'a g', 'ag', 'k g', 'kg', 'ug', 's e', 'se', 'o h g', 'ohg', 'gbr', 'partg',
        'ltd', 'limited', 'llc', 'inc', 'corp', 'plc', 's a r l', 'sarl', 'sagl', 's a', 'sa', 'sas',
        'bv', 'b v', 'nv', 'n v', 'spa', 's p a', 'srl', 's r l', 'sp z o o', 'ab', 'as', 'aps', 'oy',
        'co', 'und', 'u'
    ] -%}
    {#- Words are separated by two blanks so that adjacent legal-form words ("AG KG")
        each keep a blank on both sides for the pattern. -#}
    {%- set pattern = ' (' ~ (legal_forms | join('|') | replace(' ', ' +')) ~ ') ' -%}
    {%- set base -%}
        '  ' || trim(regexp_replace(strip_accents(
            replace(replace(replace(replace(lower(cast({{ col }} as varchar)), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss')
        ), '[^a-z0-9]+', '  ', 'g')) || '  '
    {%- endset -%}
    nullif(
        replace(
            regexp_replace({{ base }}, '{{ pattern }}', ' ', 'g'),
            ' ', ''),
        '')
{%- endmacro %}

{#- For matching only: fold the umlaut transliterations of a match key to the bare vowel
    ("schroeder" / "schroder" -> "schroder"), so that names typed without umlauts at all
    (badge scanners, old systems) meet their "ae/oe/ue" spelling. -#}
{% macro fold_umlaut_spellings(col) -%}
    replace(replace(replace({{ col }}, 'ae', 'a'), 'oe', 'o'), 'ue', 'u')
{%- endmacro %}
