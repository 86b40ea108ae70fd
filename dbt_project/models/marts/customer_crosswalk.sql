-- Every source company record and the customer it was resolved to, with the rule that matched.
select
    source_entity || '|' || record_key as crosswalk_key,
    source_entity,
    source_system,
    record_key,
    customer_key,
    match_rule,
    match_probability,
    is_anchor,
    anchor_source_entity,
    anchor_record_key,
    company_name as source_company_name,
    match_key
from {{ ref('int_customer_crosswalk') }}
