-- Every company record with the customer it was resolved to by entity resolution
-- (resolution/ in Python: deterministic rules, then Splink, then stable keys).
with records as (
    select * from {{ ref('int_company_records') }}
),

resolved as (
    select source_entity, record_key, customer_key, link_rule, match_probability
    from {{ source('resolution', 'record_customer_keys') }}
),

joined as (
    select
        records.*,
        resolved.customer_key,
        resolved.link_rule as match_rule,
        resolved.match_probability
    from records
    inner join resolved
        on records.source_entity = resolved.source_entity
        and records.record_key = resolved.record_key
)

select
    source_entity,
    source_system,
    record_key,
    customer_key,
    match_rule,
    match_probability,
    first_value(source_entity) over customer_order as anchor_source_entity,
    first_value(record_key) over customer_order as anchor_record_key,
    row_number() over customer_order = 1 as is_anchor,
    source_priority,
    company_name,
    match_key,
    street,
    postcode,
    city,
    country,
    vat_id,
    debtor_no,
    email_domain,
    phone,
    record_date
from joined
window customer_order as (
    partition by customer_key
    order by source_priority, record_date desc nulls last, record_key
    rows between unbounded preceding and unbounded following
)
