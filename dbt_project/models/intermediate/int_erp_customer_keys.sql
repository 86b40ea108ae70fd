-- ERP debtor number -> customer_key. Duplicate debtor records of one company (merged by
-- entity resolution) map to the same customer_key.
{{ customer_key_per_source_key(
    ref('stg_erp__customers'), ref('int_customer_crosswalk'), 'erp_customers', 'debtor_no'
) }}
