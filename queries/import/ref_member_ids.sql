-- Member ids of every year (certifications validation).
select distinct member_id from members
