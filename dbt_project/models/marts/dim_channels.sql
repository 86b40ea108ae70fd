-- The sales channel dimension from the seed `channels`: code, English and German name, type.
-- The node is called dim_channels because the seed already owns the name `channels`; the
-- table is mart.channels (alias).
{{ config(alias='channels') }}

select
    channel_code,
    channel_name,
    channel_name_de,
    channel_type,
    sort_order
from {{ ref('channels') }}
