-- Every person record of every source and the person (and customer) it was resolved to.
-- No names or e-mail addresses here: join staging for those where consent allows.
select
    record_id as contact_record_key,
    source_entity,
    record_key,
    person_key,
    customer_key,
    link_rule as match_rule
from {{ source('resolution', 'person_keys') }}
