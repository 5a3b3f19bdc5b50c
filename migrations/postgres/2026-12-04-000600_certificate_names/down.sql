ALTER TABLE certificates DROP COLUMN type_name_en;
ALTER TABLE certificates DROP COLUMN type_name_sv;
ALTER TABLE certificates DROP COLUMN holder_name;
