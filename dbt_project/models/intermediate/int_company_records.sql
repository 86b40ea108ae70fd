-- Every company-bearing record of every source, in one shape, for entity resolution (the
-- columns are a superset of the input of resolution/matching.py: INPUT_COLUMNS).
-- source_priority orders the sources for golden attributes (1 = ERP, the system of record).
with erp_customers as (
    select
        'erp_customers' as source_entity,
        'erp' as source_system,
        1 as source_priority,
        _record_key as record_key,
        legal_name as company_name,
        company_match_key as match_key,
        street, postcode, city, country, vat_id,
        debtor_no,
        cast(null as varchar) as email_domain,
        cast(null as varchar) as phone,
        created_on as record_date,
        cast(null as varchar) as email,
        cast(null as varchar) as website
    from {{ ref('stg_erp__customers') }}
),

crm_companies as (
    select
        'crm_companies', 'crm', 2,
        _record_key,
        company_name, company_match_key,
        street, postcode, city, country, cast(null as varchar),
        erp_debtor_no,
        case when not {{ is_free_mail_domain('domain') }} then domain end,
        phone,
        cast(coalesce(updated_at, created_at) as date),
        cast(null as varchar),
        domain
    from {{ ref('stg_crm__companies') }}
),

field_sales as (
    select
        'excel_field_sales', 'excel', 3,
        _record_key,
        company_name, company_match_key,
        street, postcode, city, country, cast(null as varchar),
        debtor_no,
        case when not {{ is_free_mail_domain(email_domain('email')) }} then {{ email_domain('email') }} end,
        phone,
        last_visit_date,
        email,
        cast(null as varchar)
    from {{ ref('stg_excel__field_sales') }}
),

christmas_cards as (
    select
        'excel_christmas_cards', 'excel', 4,
        _record_key,
        company_name, company_match_key,
        street, postcode, city, country, cast(null as varchar),
        cast(null as varchar),
        cast(null as varchar),
        cast(null as varchar),
        cast(null as date),
        cast(null as varchar),
        cast(null as varchar)
    from {{ ref('stg_excel__christmas_cards') }}
),

trade_fair as (
    select
        'excel_trade_fair', 'excel', 5,
        _record_key,
        company_name, company_match_key,
        cast(null as varchar), postcode, city, country, cast(null as varchar),
        cast(null as varchar),
        case when not {{ is_free_mail_domain(email_domain('email')) }} then {{ email_domain('email') }} end,
        phone,
        contact_date,
        email,
        cast(null as varchar)
    from {{ ref('stg_excel__trade_fair') }}
),

service_visits as (
    select
        'excel_service_visits', 'excel', 6,
        _record_key,
        company_name, company_match_key,
        cast(null as varchar), cast(null as varchar), cast(null as varchar), cast(null as varchar),
        cast(null as varchar),
        debtor_no,
        cast(null as varchar),
        cast(null as varchar),
        visit_date,
        cast(null as varchar),
        cast(null as varchar)
    from {{ ref('stg_excel__service_visits') }}
),

-- the referred company of a referral (the referrer is an existing customer, resolved
-- by debtor number or name in int_referrals)
referrals as (
    select
        'excel_referrals', 'excel', 7,
        _record_key,
        referred_company, referred_match_key,
        cast(null as varchar), referred_postcode, referred_city, referred_country, cast(null as varchar),
        cast(null as varchar),
        cast(null as varchar),
        cast(null as varchar),
        referral_date,
        cast(null as varchar),
        cast(null as varchar)
    from {{ ref('stg_excel__referrals') }}
)

select * from erp_customers
union all select * from crm_companies
union all select * from field_sales
union all select * from christmas_cards
union all select * from trade_fair
union all select * from service_visits
union all select * from referrals
