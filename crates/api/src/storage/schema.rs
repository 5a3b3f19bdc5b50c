//! diesel table definitions, shared by both backends. The migrations under `migrations/`
//! create the same columns on PostgreSQL and SQLite.

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        message_id -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        public_id -> Text,
        email -> Text,
        email_key -> Text,
        first_name -> Text,
        last_name -> Text,
        birth_date -> Nullable<Date>,
        personnummer -> Nullable<Text>,
        personnummer_hash -> Nullable<Text>,
        mobile -> Nullable<Text>,
        language -> Text,
        role -> Text,
        password_hash -> Text,
        must_change_password -> Bool,
        initial_password_expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    one_time_codes (id) {
        id -> Text,
        purpose -> Text,
        account_id -> BigInt,
        code_hash -> Text,
        created_at -> Timestamp,
        sent_at -> Timestamp,
        expires_at -> Timestamp,
        failed_attempts -> Integer,
        ended_at -> Nullable<Timestamp>,
        end_reason -> Nullable<Text>,
        new_email -> Nullable<Text>,
        new_email_key -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        account_id -> BigInt,
        restricted -> Bool,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoke_reason -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        ip_address -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    throttle_counters (scope, subject) {
        scope -> Text,
        subject -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        occurred_at -> Timestamp,
        event -> Text,
        account_id -> Nullable<BigInt>,
        ip_address -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::joinable!(one_time_codes -> accounts (account_id));
diesel::joinable!(sessions -> accounts (account_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    one_time_codes,
    sessions,
    refresh_tokens,
    throttle_counters,
);

diesel::table! {
    billing_details (account_id) {
        account_id -> BigInt,
        invoice_by_email -> Bool,
        billing_email -> Nullable<Text>,
        organisation_name -> Nullable<Text>,
        organisation_number -> Nullable<Text>,
        reference -> Nullable<Text>,
        street -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        city -> Nullable<Text>,
        country -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bankid_orders (id) {
        id -> Text,
        purpose -> Text,
        device -> Text,
        order_ref -> Text,
        qr_start_token -> Text,
        qr_start_secret -> Text,
        auto_start_token -> Text,
        created_at -> Timestamp,
        status -> Text,
        hint_code -> Nullable<Text>,
        failure_code -> Nullable<Text>,
        is_final -> Bool,
        completed_at -> Nullable<Timestamp>,
        collecting_until -> Nullable<Timestamp>,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        email -> Nullable<Text>,
        mobile -> Nullable<Text>,
        language -> Text,
        personnummer -> Nullable<Text>,
        account_id -> Nullable<BigInt>,
        tokens_issued_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    technical_areas (id) {
        id -> BigInt,
        code -> Text,
        name_sv -> Text,
        name_en -> Text,
        position -> Integer,
    }
}

diesel::table! {
    certificate_types (id) {
        id -> BigInt,
        code -> Text,
        technical_area_id -> BigInt,
        name_sv -> Text,
        name_en -> Text,
        holder_kind -> Text,
        exam_parts -> Text,
        validity_years -> Integer,
        annual_renewal -> Bool,
        recertification_years -> Nullable<Integer>,
        price_sek -> Integer,
        price_is_demo -> Bool,
        position -> Integer,
        retired_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    applications (id) {
        id -> BigInt,
        public_id -> Text,
        account_id -> BigInt,
        certificate_type_id -> BigInt,
        kind -> Text,
        renews_certificate_id -> Nullable<BigInt>,
        state -> Text,
        source -> Text,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    certificates (id) {
        id -> BigInt,
        number -> Text,
        account_id -> BigInt,
        certificate_type_id -> BigInt,
        application_id -> BigInt,
        issued_on -> Date,
        valid_until -> Date,
        annual_renewal_due -> Nullable<Date>,
        recertification_due -> Date,
        withdrawn_on -> Nullable<Date>,
        withdrawal_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        holder_name -> Text,
        type_name_sv -> Text,
        type_name_en -> Text,
        replaced_on -> Nullable<Date>,
        replaced_by_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    certificate_number_sequences (year) {
        year -> Integer,
        last_value -> Integer,
    }
}

diesel::table! {
    attestations (id) {
        id -> BigInt,
        certificate_id -> BigInt,
        attested_on -> Date,
        attested_by -> BigInt,
        previous_due -> Date,
        next_due -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    certificate_reminders (certificate_id, kind, due_on) {
        certificate_id -> BigInt,
        kind -> Text,
        due_on -> Date,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    certificate_administrators (account_id, organisation_number) {
        account_id -> BigInt,
        organisation_number -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    examination_centres (id) {
        id -> BigInt,
        public_id -> Text,
        name -> Text,
        contact_email -> Nullable<Text>,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    centre_clients (id) {
        id -> BigInt,
        client_id -> Text,
        centre_id -> BigInt,
        secret_hash -> Text,
        label -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    exam_sessions (id) {
        id -> BigInt,
        public_id -> Text,
        centre_id -> BigInt,
        certificate_type_id -> BigInt,
        starts_at -> Timestamp,
        place -> Text,
        seats -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    enrolments (id) {
        id -> BigInt,
        public_id -> Text,
        exam_session_id -> BigInt,
        account_id -> BigInt,
        application_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    exam_results (enrolment_id, part) {
        enrolment_id -> BigInt,
        part -> Text,
        outcome -> Text,
        score -> Nullable<Integer>,
        max_score -> Nullable<Integer>,
        taken_on -> Date,
        examiner -> Text,
        deviation -> Nullable<Text>,
        reported_at -> Timestamp,
    }
}

diesel::table! {
    idempotent_requests (scope, idempotency_key) {
        scope -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        response_status -> Integer,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(certificate_types -> technical_areas (technical_area_id));
diesel::joinable!(applications -> accounts (account_id));
diesel::joinable!(certificates -> accounts (account_id));
diesel::joinable!(certificates -> applications (application_id));
diesel::joinable!(enrolments -> accounts (account_id));
diesel::joinable!(applications -> certificate_types (certificate_type_id));
diesel::joinable!(certificates -> certificate_types (certificate_type_id));
diesel::joinable!(attestations -> certificates (certificate_id));
diesel::joinable!(centre_clients -> examination_centres (centre_id));
diesel::joinable!(exam_sessions -> examination_centres (centre_id));
diesel::joinable!(exam_sessions -> certificate_types (certificate_type_id));
diesel::joinable!(enrolments -> exam_sessions (exam_session_id));
diesel::joinable!(enrolments -> applications (application_id));
diesel::joinable!(exam_results -> enrolments (enrolment_id));
diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    technical_areas,
    certificate_types,
    applications,
    certificates,
    attestations,
    examination_centres,
    centre_clients,
    exam_sessions,
    enrolments,
    exam_results,
    billing_details,
    certificate_reminders,
);
