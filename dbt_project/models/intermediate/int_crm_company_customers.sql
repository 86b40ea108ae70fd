-- CRM company id -> customer_key, for contacts, leads, deals and activities.
select company_id, customer_key, match_rule
from (
    select
        c.company_id,
        x.customer_key,
        x.match_rule,
        row_number() over (partition by c.company_id order by c._record_key) as record_rank
    from {{ ref('stg_crm__companies') }} as c
    inner join {{ ref('int_customer_crosswalk') }} as x
        on x.source_entity = 'crm_companies'
        and x.record_key = c._record_key
    where c.company_id is not null
) as ranked
where record_rank = 1
