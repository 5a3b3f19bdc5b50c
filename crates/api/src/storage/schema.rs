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
diesel::allow_tables_to_appear_in_same_query!(accounts, one_time_codes, sessions, refresh_tokens);

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
