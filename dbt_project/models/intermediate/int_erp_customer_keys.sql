-- ERP debtor number -> customer_key. Duplicate debtor records of one company (merged by
-- entity resolution) map to the same customer_key.
select debtor_no, customer_key
from (
    select
        c.debtor_no,
        x.customer_key,
        row_number() over (partition by c.debtor_no order by c._record_key) as record_rank
    from {{ ref('stg_erp__customers') }} as c
    inner join {{ ref('int_customer_crosswalk') }} as x
        on x.source_entity = 'erp_customers'
        and x.record_key = c._record_key
    where c.debtor_no is not null
) as ranked
where record_rank = 1
