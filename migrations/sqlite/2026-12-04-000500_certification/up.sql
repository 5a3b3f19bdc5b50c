-- Certification: the catalogue of technical areas and certificate types, applications,
-- issued certificates with their attestations and reminders, examination centres with their
-- client credentials, exam sessions, enrolments and results, and stored idempotent answers.
-- Dates are calendar dates in Swedish time; times are UTC.
CREATE TABLE technical_areas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name_sv TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL
);

-- exam_parts lists the parts a candidate must pass, comma-separated: theory, practical,
-- course_attestation or document_review. A NULL recertification_years means recertification
-- is due when the validity ends. price_is_demo stays true until staff set a price.
CREATE TABLE certificate_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    technical_area_id BIGINT NOT NULL REFERENCES technical_areas (id),
    name_sv TEXT NOT NULL,
    name_en TEXT NOT NULL,
    holder_kind TEXT NOT NULL,
    exam_parts TEXT NOT NULL,
    validity_years INTEGER NOT NULL,
    annual_renewal BOOLEAN NOT NULL,
    recertification_years INTEGER,
    price_sek INTEGER NOT NULL,
    price_is_demo BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    retired_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- At most one open application per person and certificate type, enforced by the partial
-- unique index below.
CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    certificate_type_id BIGINT NOT NULL REFERENCES certificate_types (id),
    kind TEXT NOT NULL,
    renews_certificate_id BIGINT,
    state TEXT NOT NULL,
    source TEXT NOT NULL,
    decision_reason TEXT,
    decided_by BIGINT REFERENCES accounts (id),
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX applications_one_open_per_type ON applications (account_id, certificate_type_id)
    WHERE state IN ('received', 'in_review', 'awaiting_exam');
CREATE INDEX applications_by_state ON applications (state, created_at);

CREATE TABLE certificates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    certificate_type_id BIGINT NOT NULL REFERENCES certificate_types (id),
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    issued_on DATE NOT NULL,
    valid_until DATE NOT NULL,
    annual_renewal_due DATE,
    recertification_due DATE NOT NULL,
    withdrawn_on DATE,
    withdrawal_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX certificates_by_account ON certificates (account_id, issued_on);

-- The last sequence number given out per issue year, for certificate numbers.
CREATE TABLE certificate_number_sequences (
    year INTEGER PRIMARY KEY,
    last_value INTEGER NOT NULL
);

CREATE TABLE attestations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    attested_on DATE NOT NULL,
    attested_by BIGINT NOT NULL REFERENCES accounts (id),
    previous_due DATE NOT NULL,
    next_due DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attestations_by_certificate ON attestations (certificate_id);

-- A reminder is sent once per certificate, kind and due date.
CREATE TABLE certificate_reminders (
    certificate_id BIGINT NOT NULL REFERENCES certificates (id),
    kind TEXT NOT NULL,
    due_on DATE NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (certificate_id, kind, due_on)
);

-- Certificate administrators attest the certificates of holders whose billing organisation
-- number is one they administer.
CREATE TABLE certificate_administrators (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    organisation_number TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, organisation_number)
);

CREATE TABLE examination_centres (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    contact_email TEXT,
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP
);

-- OAuth2 client credentials of a centre. The secret is stored only as a hash.
CREATE TABLE centre_clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE,
    centre_id BIGINT NOT NULL REFERENCES examination_centres (id),
    secret_hash TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE TABLE exam_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    centre_id BIGINT NOT NULL REFERENCES examination_centres (id),
    certificate_type_id BIGINT NOT NULL REFERENCES certificate_types (id),
    starts_at TIMESTAMP NOT NULL,
    place TEXT NOT NULL,
    seats INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX exam_sessions_by_centre ON exam_sessions (centre_id, starts_at);

CREATE TABLE enrolments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    exam_session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (exam_session_id, account_id)
);
CREATE INDEX enrolments_by_application ON enrolments (application_id);

-- One result per enrolment and exam part; a new report replaces the earlier one.
CREATE TABLE exam_results (
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id),
    part TEXT NOT NULL,
    outcome TEXT NOT NULL,
    score INTEGER,
    max_score INTEGER,
    taken_on DATE NOT NULL,
    examiner TEXT NOT NULL,
    deviation TEXT,
    reported_at TIMESTAMP NOT NULL,
    PRIMARY KEY (enrolment_id, part)
);

-- Answers to POST requests that carried an Idempotency-Key, per caller, so a retry with the
-- same key and body returns the first answer.
CREATE TABLE idempotent_requests (
    scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);

INSERT INTO technical_areas (code, name_sv, name_en, position) VALUES
    ('refrigerants', 'Köldmedier', 'Refrigerants (F-gas)', 1),
    ('vehicle_ac', 'Köldmedier – AC i fordon', 'Refrigerants – vehicle air conditioning', 2),
    ('sf6_switchgear', 'Elektriska brytare (SF6)', 'Electrical switchgear (SF6)', 3),
    ('company', 'Företag', 'Companies', 4);

WITH seed (code, area, name_sv, name_en, holder_kind, exam_parts, validity_years,
    annual_renewal, price_sek, position) AS (VALUES
    ('KAT1', 'refrigerants', 'Personcertifikat Kategori I', 'Person certificate Category I', 'person', 'theory,practical', 5, 1, 1900, 1),
    ('KAT2', 'refrigerants', 'Personcertifikat Kategori II', 'Person certificate Category II', 'person', 'theory,practical', 5, 1, 1900, 2),
    ('KAT3', 'refrigerants', 'Personcertifikat Kategori III', 'Person certificate Category III', 'person', 'theory,practical', 5, 1, 1900, 3),
    ('KAT4', 'refrigerants', 'Personcertifikat Kategori IV', 'Person certificate Category IV', 'person', 'theory,practical', 5, 1, 1900, 4),
    ('KAT5', 'vehicle_ac', 'Personcertifikat Kategori V (AC i fordon)', 'Person certificate Category V (vehicle AC)', 'person', 'theory,practical', 5, 1, 1900, 5),
    ('UTB-MAC', 'vehicle_ac', 'Utbildningsintyg mobil AC', 'Training attestation, mobile AC', 'person', 'course_attestation', 5, 0, 1900, 6),
    ('SF6', 'sf6_switchgear', 'Personcertifikat SF6-brytare', 'Person certificate SF6 switchgear', 'person', 'theory,practical', 5, 1, 1900, 7),
    ('FTG', 'company', 'Företagscertifikat (Kategori I, II eller V)', 'Company certificate (Category I, II or V)', 'company', 'document_review', 5, 0, 4500, 8)
)
INSERT INTO certificate_types (code, technical_area_id, name_sv, name_en, holder_kind, exam_parts,
    validity_years, annual_renewal, recertification_years, price_sek, price_is_demo, position,
    created_at, updated_at)
SELECT seed.code, area.id, seed.name_sv, seed.name_en, seed.holder_kind, seed.exam_parts,
    seed.validity_years, seed.annual_renewal, NULL, seed.price_sek, 1, seed.position,
    '2026-12-04 00:00:00', '2026-12-04 00:00:00'
FROM seed
JOIN technical_areas area ON area.code = seed.area;
