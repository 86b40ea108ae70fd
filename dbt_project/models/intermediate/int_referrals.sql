-- Referrals with the referring customer (by debtor number, else by a match key that
-- belongs to exactly one ERP customer) and the referred company's customer_key.
with referrals as (
    select * from {{ ref('stg_excel__referrals') }}
),

crosswalk as (
    select * from {{ ref('int_customer_crosswalk') }}
),

erp_keys as (
    select * from {{ ref('int_erp_customer_keys') }}
),

erp_names as (
    select match_key, min(customer_key) as customer_key
    from crosswalk
    where source_entity = 'erp_customers' and match_key is not null
    group by match_key
    having count(distinct customer_key) = 1
)

select
    referrals.referral_record_key,
    referrals.referrer_name,
    referrals.referrer_debtor_no,
    coalesce(by_debtor.customer_key, by_name.customer_key) as referrer_customer_key,
    case
        when by_debtor.customer_key is not null then 'debtor_no'
        when by_name.customer_key is not null then 'name_only'
    end as referrer_match_rule,
    referrals.referred_company,
    referred.customer_key as referred_customer_key,
    referrals.referral_date,
    referrals.status
from referrals
left join erp_keys as by_debtor
    on referrals.referrer_debtor_no = by_debtor.debtor_no
left join erp_names as by_name
    on referrals.referrer_match_key = by_name.match_key
left join crosswalk as referred
    on referred.source_entity = 'excel_referrals'
    and referred.record_key = referrals._record_key
