-- Every person-bearing record (CRM contacts, trade-fair contacts, the Christmas-card list,
-- the contact named on a field-sales sheet) with the company record it belongs to, for
-- person matching in resolution/people.py.
select
    'crm_contacts' as source_entity,
    _record_key as record_key,
    case when company_id is not null then 'crm_companies|' || company_id end as company_record_id,
    first_name,
    last_name,
    lower(email) as email,
    phone
from {{ ref('stg_crm__contacts') }}

union all

select
    'excel_trade_fair', _record_key, 'excel_trade_fair|' || _record_key,
    first_name, last_name, lower(email), phone
from {{ ref('stg_excel__trade_fair') }}

union all

select
    'excel_christmas_cards', _record_key, 'excel_christmas_cards|' || _record_key,
    first_name, last_name, cast(null as varchar), cast(null as varchar)
from {{ ref('stg_excel__christmas_cards') }}
where last_name is not null

union all

-- the sheets name the contact in one cell: "Vorname Nachname"
select
    'excel_field_sales', _record_key, 'excel_field_sales|' || _record_key,
    nullif(regexp_replace(contact_name, '\s*\S+$', ''), ''),
    {{ regex_group('contact_name', "'(\\S+)$'") }},
    lower(email), phone
from {{ ref('stg_excel__field_sales') }}
where contact_name is not null
