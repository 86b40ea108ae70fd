-- Deterministic entity resolution (first version; Splink will deepen it later).
-- Every company record from int_company_records gets exactly one customer_key:
--   erp_master     the ERP customer record itself (each ERP debtor is its own customer)
--   debtor_no      a CRM / Excel record carrying a debtor number known to the ERP
--   name_postcode  match key + postcode equal an ERP customer's or an already keyed record's
--                  (or, among prospects, the cluster anchor's)
--   name_only      the record has no postcode and its match key belongs to exactly one
--                  customer (e.g. service visits, which carry no address)
--   own_record     the anchor of a new prospect cluster (CRM / Excel records no ERP customer matched)
-- customer_key = 'C' || first 10 hex digits of md5(anchor source_entity || ':' || anchor record_key);
-- the anchor is the ERP record if any, else the CRM record, else the Excel record with the
-- smallest record_key.
-- For matching only, the match key folds the remaining umlaut spellings (ae/oe/ue -> a/o/u, so
-- "Schröder", "Schroeder" and "Schroder" agree) and the postcode is compared without leading
-- zeros ("1003" from a sheet without country, padded to "01003", still meets CH "1003");
-- postcodes that are not 4-5 digits (e.g. "ABCDE") do not take part. The output keeps the
-- record's own match_key and postcode.
with company_records as (
    select * from {{ ref('int_company_records') }}
),

records as (
    select
        * replace (
            {{ fold_umlaut_spellings('match_key') }} as match_key,
            case when regexp_full_match(postcode, '\d{4,5}') then ltrim(postcode, '0') end as postcode
        )
    from company_records
),

erp as (
    select
        source_entity, record_key, match_key, postcode, debtor_no,
        source_entity as anchor_source_entity,
        record_key as anchor_record_key
    from records
    where source_entity = 'erp_customers'
),

non_erp as (
    select * from records where source_entity <> 'erp_customers'
),

erp_by_debtor as (
    select debtor_no, anchor_source_entity, anchor_record_key
    from erp
    where debtor_no is not null
    qualify row_number() over (partition by debtor_no order by anchor_record_key) = 1
),

-- 1. a known debtor number
by_debtor as (
    select
        r.source_entity, r.record_key, r.match_key, r.postcode,
        d.anchor_source_entity, d.anchor_record_key,
        'debtor_no' as match_rule
    from non_erp as r
    inner join erp_by_debtor as d
        on r.debtor_no = d.debtor_no
),

-- identities (match key + postcode) already tied to an ERP customer: the ERP record's
-- own, then those of records keyed by debtor number
keyed_identities as (
    select match_key, postcode, anchor_source_entity, anchor_record_key
    from (
        select match_key, postcode, anchor_source_entity, anchor_record_key, 1 as priority from erp
        union all
        select match_key, postcode, anchor_source_entity, anchor_record_key, 2 as priority from by_debtor
    ) as identities
    where match_key is not null and postcode is not null
    qualify row_number() over (
        partition by match_key, postcode order by priority, anchor_record_key
    ) = 1
),

-- 2. match key + postcode of a keyed identity
by_name_postcode as (
    select
        r.source_entity, r.record_key, r.match_key, r.postcode,
        k.anchor_source_entity, k.anchor_record_key,
        'name_postcode' as match_rule
    from non_erp as r
    inner join keyed_identities as k
        on r.match_key = k.match_key and r.postcode = k.postcode
    where not exists (
        select 1 from by_debtor as d
        where d.source_entity = r.source_entity and d.record_key = r.record_key
    )
),

keyed_so_far as (
    select source_entity, record_key, match_key, postcode, anchor_source_entity, anchor_record_key from erp
    union all
    select source_entity, record_key, match_key, postcode, anchor_source_entity, anchor_record_key from by_debtor
    union all
    select source_entity, record_key, match_key, postcode, anchor_source_entity, anchor_record_key from by_name_postcode
),

-- match keys that belong to exactly one ERP-anchored customer and to no unmatched record
-- with a (different) postcode, which would be another company of the same name
unique_names as (
    select match_key, min(anchor_source_entity) as anchor_source_entity, min(anchor_record_key) as anchor_record_key
    from keyed_so_far
    where match_key is not null
    group by match_key
    having count(distinct anchor_source_entity || ':' || anchor_record_key) = 1
),

other_companies_of_same_name as (
    select distinct r.match_key
    from non_erp as r
    where r.match_key is not null
      and r.postcode is not null
      and not exists (
        select 1 from keyed_so_far as k
        where k.source_entity = r.source_entity and k.record_key = r.record_key
    )
),

-- 3. no postcode, but an unambiguous name
by_name_only as (
    select
        r.source_entity, r.record_key, r.match_key, r.postcode,
        u.anchor_source_entity, u.anchor_record_key,
        'name_only' as match_rule
    from non_erp as r
    inner join unique_names as u
        on r.match_key = u.match_key
    where r.postcode is null
      and r.match_key not in (select match_key from other_companies_of_same_name)
      and not exists (
        select 1 from keyed_so_far as k
        where k.source_entity = r.source_entity and k.record_key = r.record_key
    )
),

-- 4. the rest are prospects: cluster them among themselves by match key + postcode; a
-- record without postcode joins the one cluster of its match key if there is exactly one
unkeyed as (
    select r.*
    from non_erp as r
    where not exists (
        select 1 from keyed_so_far as k
        where k.source_entity = r.source_entity and k.record_key = r.record_key
    )
    and not exists (
        select 1 from by_name_only as n
        where n.source_entity = r.source_entity and n.record_key = r.record_key
    )
),

postcode_clusters as (
    select match_key, min(postcode) as postcode
    from unkeyed
    where match_key is not null and postcode is not null
    group by match_key
    having count(distinct postcode) = 1
),

clustered as (
    select
        u.*,
        case
            when u.match_key is null then 'record|' || u.source_entity || ':' || u.record_key
            when u.postcode is not null then 'name|' || u.match_key || '|' || u.postcode
            when pc.postcode is not null then 'name|' || u.match_key || '|' || pc.postcode
            else 'name|' || u.match_key || '|'
        end as cluster_id
    from unkeyed as u
    left join postcode_clusters as pc
        on u.match_key = pc.match_key
),

cluster_anchors as (
    select
        *,
        first_value(source_entity) over cluster_order as anchor_source_entity,
        first_value(record_key) over cluster_order as anchor_record_key
    from clustered
    window cluster_order as (
        partition by cluster_id
        order by case source_system when 'crm' then 1 else 2 end, record_key, source_entity
        rows between unbounded preceding and unbounded following
    )
),

by_cluster as (
    select
        source_entity, record_key, match_key, postcode,
        anchor_source_entity, anchor_record_key,
        case
            when source_entity = anchor_source_entity and record_key = anchor_record_key then 'own_record'
            when postcode is null then 'name_only'
            else 'name_postcode'
        end as match_rule
    from cluster_anchors
),

resolved as (
    select source_entity, record_key, match_key, postcode, anchor_source_entity, anchor_record_key,
           'erp_master' as match_rule
    from erp
    union all select * from by_debtor
    union all select * from by_name_postcode
    union all select * from by_name_only
    union all select * from by_cluster
)

select
    resolved.source_entity,
    records.source_system,
    resolved.record_key,
    'C' || left(md5(resolved.anchor_source_entity || ':' || resolved.anchor_record_key), 10) as customer_key,
    resolved.match_rule,
    resolved.anchor_source_entity,
    resolved.anchor_record_key,
    resolved.source_entity = resolved.anchor_source_entity
        and resolved.record_key = resolved.anchor_record_key as is_anchor,
    records.source_priority,
    records.company_name,
    records.match_key,
    records.street,
    records.postcode,
    records.city,
    records.country,
    records.vat_id,
    records.debtor_no,
    records.email_domain,
    records.phone,
    records.record_date
from resolved
inner join company_records as records
    on resolved.source_entity = records.source_entity
    and resolved.record_key = records.record_key
