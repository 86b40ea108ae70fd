-- CRM company id -> customer_key, for contacts, leads, deals and activities.
select
    c.company_id,
    x.customer_key,
    x.match_rule
from {{ ref('stg_crm__companies') }} as c
inner join {{ ref('int_customer_crosswalk') }} as x
    on x.source_entity = 'crm_companies'
    and x.record_key = c._record_key
where c.company_id is not null
qualify row_number() over (partition by c.company_id order by c._record_key) = 1
