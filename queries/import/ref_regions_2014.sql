-- 2014 région ids (figures validation).
select region_2014_id from regions_2014
