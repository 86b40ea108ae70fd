-- The customer golden record: one row per customer_key from the crosswalk.
-- Attribute precedence follows quality/survivorship.yaml (system of record first): legal
-- name, address and VAT ID from the ERP, else the CRM, else the Excel islands; among records
-- of one source the most recent wins. Each *_source / *_record column names the source
-- entity / record an attribute came from.
with crosswalk as (
    select * from {{ ref('int_customer_crosswalk') }}
),

-- The golden record: each attribute from its system of record as quality/survivorship.yaml
-- says (ERP for legal name, billing address, VAT ID, industry, segment; CRM for phone and
-- domain; field-sales sheets for potential and notes), with the source and record it came from.
golden as (
    select * from {{ source('resolution', 'golden_customers') }}
),

record_counts as (
    select
        customer_key,
        count(*) as source_record_count,
        string_agg(distinct source_entity, ', ' order by source_entity) as sources,
        bool_or(source_entity = 'erp_customers') as has_erp_record
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

-- one definition of 12-month revenue: the value inputs (invoices minus credit notes)
revenue as (
    select customer_key, revenue_12m from {{ ref('int_customer_value_inputs') }}
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
        golden.debtor_no,
        golden.legal_name,
        golden.legal_name_source,
        golden.legal_name_record,
        golden.street,
        golden.postcode,
        golden.city,
        golden.country,
        golden.billing_address_source as address_source,
        golden.billing_address_record as address_record,
        coalesce(golden.street is not null and golden.postcode is not null and golden.city is not null, false)
            as address_is_complete,
        golden.vat_id,
        golden.vat_id_source,
        golden.industry_key,
        golden.industry_key_source as industry_source,
        case golden.segment
            when 'KEY' then 'key_account'
            when 'STANDARD' then 'standard'
            when 'SMALL' then 'small'
            else case when golden.debtor_no is null then 'prospect' else 'unclassified' end
        end as segment,
        golden.sales_rep,
        golden.sales_rep_source,
        golden.phone,
        golden.email_domain,
        golden.potential_eur,
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
    left join golden on record_counts.customer_key = golden.customer_key
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
    assembled.vat_id_source,
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
    assembled.phone,
    assembled.email_domain,
    assembled.potential_eur,
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
