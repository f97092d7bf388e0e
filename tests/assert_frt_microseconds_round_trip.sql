-- speed_and_accessibility takes its mean first-response business time from integer
-- microseconds it recovers by rounding the tickets mart's minutes (a double) back: exact
-- only while the minutes keep enough significant digits. Returns the tickets where the
-- round trip misses int_ticket_business_durations' exact microseconds.

with

tickets as (

    select * from {{ ref('tickets') }}

),

durations as (

    select * from {{ ref('int_ticket_business_durations') }}

),

final as (

    select
        tickets.ticket_id,
        tickets.first_response_business_minutes,
        durations.first_response_business_microseconds
    from tickets
    inner join durations
        on tickets.ticket_id = durations.ticket_id
    where
        cast(round(tickets.first_response_business_minutes * 60000000) as bigint)
        is distinct from durations.first_response_business_microseconds

)

select * from final
