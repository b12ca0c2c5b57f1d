-- Quality labels as the importer compares them. Parameters: none.
select member_id, scheme, level, year, event from member_certifications
