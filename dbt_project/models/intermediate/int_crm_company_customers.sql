-- CRM company id -> customer_key, for contacts, leads, deals and activities.
{{ customer_key_per_source_key(
    ref('stg_crm__companies'), ref('int_customer_crosswalk'), 'crm_companies', 'company_id', ['match_rule']
) }}
