-- Range rule across two ERP tables: an order cannot be older than the debtor it was booked
-- on. Warn only: the order is real money and stays in the mart; the owner of the customer
-- master (team:finance) corrects the creation date. Returns the offending orders.
{{ config(severity='warn', meta={'owner': 'team:finance', 'dagster': {'ref': {'name': 'stg_erp__sales_orders'}}}) }}
select
    orders.order_no,
    orders.debtor_no,
    orders.order_date,
    customers.created_on
from {{ ref('stg_erp__sales_orders') }} as orders
inner join {{ ref('stg_erp__customers') }} as customers
    on orders.debtor_no = customers.debtor_no
where orders.order_date < customers.created_on
