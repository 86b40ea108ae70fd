-- The customer golden record: one row per customer_key from the crosswalk.
-- Attribute precedence follows quality/survivorship.yaml (system of record first): legal
-- name, address and VAT ID from the ERP, else the CRM, else the Excel islands; among records
-- of one source the most recent wins. Each *_source / *_record column names the source
-- entity / record an attribute came from.
with crosswalk as (
    select * from {{ ref('int_customer_crosswalk') }}
),

erp as (
    select
        x.customer_key,
        c.debtor_no,
        c.industry_key,
        c.customer_group,
        c.sales_rep
    from {{ ref('stg_erp__customers') }} as c
    inner join crosswalk as x
        on x.source_entity = 'erp_customers' and x.record_key = c._record_key
),

crm as (
    select
        x.customer_key,
        min(c.industry_key) as industry_key,
        min(c.owner_email) as owner_email
    from {{ ref('stg_crm__companies') }} as c
    inner join crosswalk as x
        on x.source_entity = 'crm_companies' and x.record_key = c._record_key
    group by x.customer_key
),

field_sales_rep as (
    select
        x.customer_key,
        arg_max(f.sales_rep, coalesce(f.last_visit_date, date '1900-01-01')) as sales_rep
    from {{ ref('stg_excel__field_sales') }} as f
    inner join crosswalk as x
        on x.source_entity = 'excel_field_sales' and x.record_key = f._record_key
    where f.sales_rep is not null
    group by x.customer_key
),

-- survivorship as in quality/survivorship.yaml: the system of record first, then the most
-- recent record, then the most complete, then record_key
best_name as (
    select
        customer_key, company_name as legal_name,
        source_entity as legal_name_source, record_key as legal_name_record
    from crosswalk
    where company_name is not null
    qualify row_number() over (
        partition by customer_key
        order by source_priority, record_date desc nulls last, record_key
    ) = 1
),

-- an address is taken whole from one record: a complete one (street, postcode, city) from
-- ERP, CRM, Christmas-card list or field-sales sheet in that order; only when a customer has
-- no complete address anywhere, the best partial one (e.g. postcode and city from a fair)
best_address as (
    select
        customer_key, street, postcode, city, country,
        source_entity as address_source, record_key as address_record,
        street is not null and postcode is not null and city is not null as address_is_complete
    from crosswalk
    where postcode is not null or street is not null or city is not null
    qualify row_number() over (
        partition by customer_key
        order by (street is not null and postcode is not null and city is not null) desc,
                 case source_entity
                     when 'erp_customers' then 1 when 'crm_companies' then 2
                     when 'excel_christmas_cards' then 3 when 'excel_field_sales' then 4
                     when 'excel_trade_fair' then 5 when 'excel_referrals' then 6 else 7 end,
                 record_date desc nulls last,
                 (street is not null)::int + (postcode is not null)::int + (city is not null)::int desc,
                 record_key
    ) = 1
),

best_vat as (
    select customer_key, vat_id
    from crosswalk
    where vat_id is not null
    qualify row_number() over (partition by customer_key order by source_priority, record_key) = 1
),

record_counts as (
    select
        customer_key,
        count(*) as source_record_count,
        string_agg(distinct source_entity, ', ' order by source_entity) as sources,
        max(match_rule = 'erp_master')::boolean as has_erp_record
    from crosswalk
    group by customer_key
),

contacts as (
    select
        cc.customer_key,
        count(*) as contact_count,
        count(*) filter (where ct.consent_email = 'granted') as contacts_email_consent_granted,
        count(*) filter (where ct.consent_email = 'withdrawn') as contacts_email_consent_withdrawn
    from {{ ref('stg_crm__contacts') }} as ct
    inner join {{ ref('int_crm_company_customers') }} as cc
        on ct.company_id = cc.company_id
    group by cc.customer_key
),

lifecycle as (
    select * from {{ ref('int_customer_lifecycle') }}
),

revenue as (
    select customer_key, sum(signed_amount) as revenue_12m
    from {{ ref('int_invoices_signed') }}
    where customer_key is not null
      and invoice_date > cast({{ as_of_date() }} - interval 12 month as date)
    group by customer_key
),

industries as (
    select * from {{ ref('industries') }}
),

regions as (
    select country, cast(postcode_prefix as varchar) as postcode_prefix, region
    from {{ ref('postcode_regions') }}
),

assembled as (
    select
        record_counts.customer_key,
        erp.debtor_no,
        best_name.legal_name,
        best_name.legal_name_source,
        best_name.legal_name_record,
        best_address.street,
        best_address.postcode,
        best_address.city,
        best_address.country,
        best_address.address_source,
        best_address.address_record,
        coalesce(best_address.address_is_complete, false) as address_is_complete,
        best_vat.vat_id,
        coalesce(erp.industry_key, crm.industry_key) as industry_key,
        case
            when erp.industry_key is not null then 'erp_customers'
            when crm.industry_key is not null then 'crm_companies'
        end as industry_source,
        case erp.customer_group
            when 'KEY' then 'key_account'
            when 'STANDARD' then 'standard'
            when 'SMALL' then 'small'
            else case when erp.debtor_no is null then 'prospect' else 'unclassified' end
        end as segment,
        coalesce(erp.sales_rep, crm.owner_email, field_sales_rep.sales_rep) as sales_rep,
        case
            when erp.sales_rep is not null then 'erp_customers'
            when crm.owner_email is not null then 'crm_companies'
            when field_sales_rep.sales_rep is not null then 'excel_field_sales'
        end as sales_rep_source,
        lifecycle.lifecycle_status,
        lifecycle.first_order_date,
        lifecycle.last_order_date,
        lifecycle.orders_total,
        lifecycle.orders_12m,
        cast(coalesce(revenue.revenue_12m, 0) as decimal(18, 2)) as revenue_12m,
        coalesce(contacts.contact_count, 0) as contact_count,
        coalesce(contacts.contacts_email_consent_granted, 0) as contacts_email_consent_granted,
        case
            when coalesce(contacts.contact_count, 0) = 0 then 'no_contact'
            when contacts.contacts_email_consent_granted > 0 then 'granted'
            when contacts.contacts_email_consent_withdrawn > 0 then 'withdrawn'
            else 'unknown'
        end as email_consent_status,
        record_counts.source_record_count,
        record_counts.sources,
        record_counts.has_erp_record
    from record_counts
    left join erp on record_counts.customer_key = erp.customer_key
    left join crm on record_counts.customer_key = crm.customer_key
    left join field_sales_rep on record_counts.customer_key = field_sales_rep.customer_key
    left join best_name on record_counts.customer_key = best_name.customer_key
    left join best_address on record_counts.customer_key = best_address.customer_key
    left join best_vat on record_counts.customer_key = best_vat.customer_key
    left join contacts on record_counts.customer_key = contacts.customer_key
    left join lifecycle on record_counts.customer_key = lifecycle.customer_key
    left join revenue on record_counts.customer_key = revenue.customer_key
)

select
    assembled.customer_key,
    assembled.debtor_no,
    assembled.legal_name,
    assembled.legal_name_source,
    assembled.legal_name_record,
    assembled.street,
    assembled.postcode,
    assembled.city,
    assembled.country,
    assembled.address_source,
    assembled.address_record,
    assembled.address_is_complete,
    assembled.vat_id,
    assembled.industry_key,
    industries.industry_name_en as industry,
    industries.industry_name_de as industry_de,
    assembled.industry_source,
    assembled.segment,
    coalesce(
        regions_de.region,
        regions_country.region,
        case when assembled.country is null or assembled.country = 'DE' then 'Unknown' else 'International' end
    ) as region,
    assembled.sales_rep,
    assembled.sales_rep_source,
    assembled.lifecycle_status,
    assembled.first_order_date,
    assembled.last_order_date,
    assembled.orders_total,
    assembled.orders_12m,
    assembled.revenue_12m,
    assembled.contact_count,
    assembled.contacts_email_consent_granted,
    assembled.email_consent_status,
    assembled.source_record_count,
    assembled.sources,
    assembled.has_erp_record
from assembled
left join industries
    on assembled.industry_key = industries.industry_key
left join regions as regions_de
    on assembled.country = regions_de.country
    and regions_de.postcode_prefix is not null
    and left(assembled.postcode, 2) = regions_de.postcode_prefix
left join regions as regions_country
    on assembled.country = regions_country.country
    and regions_country.postcode_prefix is null
