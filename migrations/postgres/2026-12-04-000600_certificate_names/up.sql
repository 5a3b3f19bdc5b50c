-- A certificate keeps the holder's name and the type's names as they were at issue, so a
-- later change to the account or the catalogue does not rewrite an issued certificate.
ALTER TABLE certificates ADD COLUMN holder_name TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN type_name_sv TEXT NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN type_name_en TEXT NOT NULL DEFAULT '';
UPDATE certificates SET
    holder_name = (SELECT first_name || ' ' || last_name FROM accounts
                   WHERE accounts.id = certificates.account_id),
    type_name_sv = (SELECT name_sv FROM certificate_types
                    WHERE certificate_types.id = certificates.certificate_type_id),
    type_name_en = (SELECT name_en FROM certificate_types
                    WHERE certificate_types.id = certificates.certificate_type_id);
