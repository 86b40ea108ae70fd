-- ERP product master with product group and standard cost (cost of goods per unit).
select
    {{ clean_id('product_no') }} as product_no,
    {{ clean_text('product_name') }} as product_name,
    {{ clean_text('product_group') }} as product_group,
    {{ to_money('standard_cost') }} as standard_cost,
    {{ provenance_columns() }}
from {{ source('erp', 'erp_products') }}
