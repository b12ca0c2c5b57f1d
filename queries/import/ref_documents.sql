-- Known source documents (figures validation).
select source_file from source_documents
