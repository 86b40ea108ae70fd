-- Every company-bearing record of every source, in one shape, for entity resolution and
-- the golden record (resolution/ in Python reads this table; quality/survivorship.yaml
-- decides which source wins each attribute).
{%- set attribute_columns = [
    ('company_name', 'varchar'), ('match_key', 'varchar'), ('street', 'varchar'),
    ('postcode', 'varchar'), ('city', 'varchar'), ('country', 'varchar'), ('vat_id', 'varchar'),
    ('debtor_no', 'varchar'), ('email_domain', 'varchar'), ('phone', 'varchar'),
    ('record_date', 'date'), ('industry_key', 'varchar'), ('segment', 'varchar'),
    ('sales_rep', 'varchar'), ('potential_eur', 'decimal(18, 2)'), ('field_sales_notes', 'varchar'),
] %}

{%- set sources = [
    {
        'entity': 'erp_customers', 'system': 'erp', 'priority': 1, 'model': 'stg_erp__customers',
        'columns': {
            'company_name': 'legal_name', 'match_key': 'company_match_key', 'street': 'street',
            'postcode': 'postcode', 'city': 'city', 'country': 'country', 'vat_id': 'vat_id',
            'debtor_no': 'debtor_no', 'record_date': 'created_on', 'industry_key': 'industry_key',
            'segment': 'customer_group', 'sales_rep': 'sales_rep',
        },
    },
    {
        'entity': 'crm_companies', 'system': 'crm', 'priority': 2, 'model': 'stg_crm__companies',
        'columns': {
            'company_name': 'company_name', 'match_key': 'company_match_key', 'street': 'street',
            'postcode': 'postcode', 'city': 'city', 'country': 'country',
            'debtor_no': 'erp_debtor_no',
            'email_domain': 'case when not ' ~ is_free_mail_domain('domain') ~ ' then domain end',
            'phone': 'phone', 'record_date': 'cast(coalesce(updated_at, created_at) as date)',
            'industry_key': 'industry_key', 'sales_rep': 'owner_email',
        },
    },
    {
        'entity': 'excel_field_sales', 'system': 'excel', 'priority': 3, 'model': 'stg_excel__field_sales',
        'columns': {
            'company_name': 'company_name', 'match_key': 'company_match_key', 'street': 'street',
            'postcode': 'postcode', 'city': 'city', 'country': 'country', 'debtor_no': 'debtor_no',
            'email_domain': 'case when not ' ~ is_free_mail_domain(email_domain('email')) ~ ' then ' ~ email_domain('email') ~ ' end',
            'phone': 'phone', 'record_date': 'last_visit_date', 'sales_rep': 'sales_rep',
            'potential_eur': 'potential_eur', 'field_sales_notes': 'notes',
        },
    },
    {
        'entity': 'excel_christmas_cards', 'system': 'excel', 'priority': 4, 'model': 'stg_excel__christmas_cards',
        'columns': {
            'company_name': 'company_name', 'match_key': 'company_match_key', 'street': 'street',
            'postcode': 'postcode', 'city': 'city', 'country': 'country',
        },
    },
    {
        'entity': 'excel_trade_fair', 'system': 'excel', 'priority': 5, 'model': 'stg_excel__trade_fair',
        'columns': {
            'company_name': 'company_name', 'match_key': 'company_match_key', 'postcode': 'postcode',
            'city': 'city', 'country': 'country',
            'email_domain': 'case when not ' ~ is_free_mail_domain(email_domain('email')) ~ ' then ' ~ email_domain('email') ~ ' end',
            'phone': 'phone', 'record_date': 'contact_date',
        },
    },
    {
        'entity': 'excel_service_visits', 'system': 'excel', 'priority': 6, 'model': 'stg_excel__service_visits',
        'columns': {
            'company_name': 'company_name', 'match_key': 'company_match_key', 'debtor_no': 'debtor_no',
            'record_date': 'visit_date',
        },
    },
    {
        'entity': 'excel_referrals', 'system': 'excel', 'priority': 7, 'model': 'stg_excel__referrals',
        'columns': {
            'company_name': 'referred_company', 'match_key': 'referred_match_key',
            'postcode': 'referred_postcode', 'city': 'referred_city', 'country': 'referred_country',
            'record_date': 'referral_date',
        },
    },
] %}

{% for source in sources %}
select
    '{{ source.entity }}' as source_entity,
    '{{ source.system }}' as source_system,
    {{ source.priority }} as source_priority,
    _record_key as record_key,
    {%- for name, type in attribute_columns %}
    cast({{ source.columns.get(name, 'null') }} as {{ type }}) as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ ref(source.model) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
