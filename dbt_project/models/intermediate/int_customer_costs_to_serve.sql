-- Cost to serve per customer in the 12 months up to the as-of date:
--   service visits   cost of the service technicians' visits (service visit log)
--   sales visits     field-sales "visits in the last 12 months" x var('cost_per_sales_visit');
--                    per workbook the highest count for the customer, summed over workbooks
--                    (different reps' sheets are different visits; a repeated line in one sheet is not)
--   discounts        list price minus net price of the orders placed in the 12 months
--   returns          credit notes with reason 'return' issued in the 12 months
with crosswalk as (
    select source_entity, record_key, customer_key from {{ ref('int_customer_crosswalk') }}
),

windows as (
    select
        {{ as_of_date() }} as as_of,
        cast({{ dbt.dateadd('month', -12, as_of_date()) }} as date) as start_12m
),

service as (
    select
        crosswalk.customer_key,
        count(*) as service_visits_12m,
        sum(v.cost_eur) as service_cost_12m
    from {{ ref('stg_excel__service_visits') }} as v
    inner join crosswalk
        on crosswalk.source_entity = 'excel_service_visits' and crosswalk.record_key = v._record_key
    cross join windows
    where v.visit_date > windows.start_12m and v.visit_date <= windows.as_of
    group by crosswalk.customer_key
),

sales_visits_per_sheet as (
    select
        crosswalk.customer_key,
        f._source_file,
        max(coalesce(f.visits_12m, 0)) as visits_12m
    from {{ ref('stg_excel__field_sales') }} as f
    inner join crosswalk
        on crosswalk.source_entity = 'excel_field_sales' and crosswalk.record_key = f._record_key
    group by crosswalk.customer_key, f._source_file
),

sales_visits as (
    select customer_key, sum(visits_12m) as sales_visits_12m
    from sales_visits_per_sheet
    group by customer_key
),

discounts as (
    select o.customer_key, sum(o.discount_amount) as discounts_12m
    from {{ ref('int_orders') }} as o
    cross join windows
    where o.customer_key is not null
      and o.order_date > windows.start_12m and o.order_date <= windows.as_of
    group by o.customer_key
),

returns as (
    select i.customer_key, sum(i.net_amount) as returns_12m
    from {{ ref('int_invoices_signed') }} as i
    cross join windows
    where i.customer_key is not null and i.is_return
      and i.invoice_date > windows.start_12m and i.invoice_date <= windows.as_of
    group by i.customer_key
),

customers as (
    select distinct customer_key from crosswalk
),

combined as (
    select
        customers.customer_key,
        coalesce(service.service_visits_12m, 0) as service_visits_12m,
        cast(coalesce(service.service_cost_12m, 0) as decimal(18, 2)) as service_cost_12m,
        coalesce(sales_visits.sales_visits_12m, 0) as sales_visits_12m,
        cast(coalesce(sales_visits.sales_visits_12m, 0) * {{ var('cost_per_sales_visit', 250) }} as decimal(18, 2)) as sales_visit_cost_12m,
        cast(coalesce(discounts.discounts_12m, 0) as decimal(18, 2)) as discounts_12m,
        cast(coalesce(returns.returns_12m, 0) as decimal(18, 2)) as returns_12m
    from customers
    left join service on customers.customer_key = service.customer_key
    left join sales_visits on customers.customer_key = sales_visits.customer_key
    left join discounts on customers.customer_key = discounts.customer_key
    left join returns on customers.customer_key = returns.customer_key
)

select
    *,
    cast(service_cost_12m + sales_visit_cost_12m + discounts_12m + returns_12m as decimal(18, 2)) as cost_to_serve_12m
from combined
