//! Login sessions and their rotating refresh tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::accounts::Account;
use super::prepared::KeepPrepared;
use super::schema::{accounts, refresh_tokens, sessions};

/// A login session. Its refresh tokens rotate; the session is the family they belong to.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: String,
    pub account_id: i64,
    pub restricted: bool,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoke_reason: Option<String>,
    pub user_agent: Option<String>,
    pub ip_address: Option<String>,
}

/// Reasons a session ended.
pub mod revoke_reason {
    pub const LOGOUT: &str = "logout";
    pub const REVOKED_BY_USER: &str = "revoked_by_user";
    pub const PASSWORD_CHANGED: &str = "password_changed";
    pub const REFRESH_TOKEN_REUSED: &str = "refresh_token_reused";
}

pub fn insert_session(
    connection: &mut DbConnection,
    session: &Session,
    refresh_token_hash: &str,
) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values(session)
        .returning(sessions::id)
        .keep_prepared()
        .get_result::<String>(connection)?;
    insert_refresh_token(
        connection,
        &session.id,
        refresh_token_hash,
        session.created_at,
    )
}

fn insert_refresh_token(
    connection: &mut DbConnection,
    session_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::created_at.eq(now),
        ))
        .returning(refresh_tokens::token_hash)
        .keep_prepared()
        .get_result::<String>(connection)?;
    Ok(())
}

pub fn find_session(connection: &mut DbConnection, id: &str) -> QueryResult<Option<Session>> {
    sessions::table
        .find(id)
        .select(Session::as_select())
        .first(connection)
        .optional()
}

/// Returns the account of an open session: one that is not revoked, has not expired and
/// belongs to the account with `public_id`. It is one query because every signed-in request
/// makes it.
pub fn open_session_account(
    connection: &mut DbConnection,
    session_id: &str,
    public_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Account>> {
    sessions::table
        .inner_join(accounts::table)
        .filter(sessions::id.eq(session_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .filter(accounts::public_id.eq(public_id))
        .select(Account::as_select())
        .first(connection)
        .optional()
}

/// Grace period after its rotation in which a refresh token may be presented again without
/// counting as reuse.
const REUSE_GRACE: chrono::TimeDelta = chrono::TimeDelta::seconds(10);

/// The outcome of presenting a refresh token.
#[derive(Debug)]
pub enum Rotation {
    /// The token was current: it is now used, and the new token belongs to this session.
    Rotated(Session),
    /// The token had been used before: someone has a copy, so the whole session was revoked.
    Reused,
    /// No live session has this token.
    Unknown,
}

/// Marks `token_hash` as used and stores `new_token_hash` in its place. Run it in a
/// transaction: the used-mark is a compare-and-set, so of two requests with one token only one
/// rotates. A token presented again within ten seconds of its rotation is refused without
/// ending the session; later it counts as reuse and ends the session.
pub fn rotate_refresh_token(
    connection: &mut DbConnection,
    token_hash: &str,
    new_token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Rotation> {
    let found: Option<(String, Option<NaiveDateTime>)> = refresh_tokens::table
        .find(token_hash)
        .select((refresh_tokens::session_id, refresh_tokens::used_at))
        .first(connection)
        .optional()?;
    let Some((session_id, used_at)) = found else {
        return Ok(Rotation::Unknown);
    };
    let Some(session) = find_session(connection, &session_id)? else {
        return Ok(Rotation::Unknown);
    };
    if session.revoked_at.is_some() || session.expires_at <= now {
        return Ok(Rotation::Unknown);
    }
    if let Some(used_at) = used_at {
        // Two tabs that refresh at the same moment present the same token. The later one is
        // rejected without ending the session, so its next refresh uses the new cookie.
        if now - used_at < REUSE_GRACE {
            return Ok(Rotation::Unknown);
        }
        revoke_session(
            connection,
            &session_id,
            revoke_reason::REFRESH_TOKEN_REUSED,
            now,
        )?;
        return Ok(Rotation::Reused);
    }
    let marked = diesel::update(
        refresh_tokens::table
            .find(token_hash)
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(Some(now)))
    .returning(refresh_tokens::token_hash)
    .keep_prepared()
    .get_result::<String>(connection)
    .optional()?;
    if marked.is_none() {
        // Another request rotated the same token a moment ago: a concurrent refresh.
        return Ok(Rotation::Unknown);
    }
    insert_refresh_token(connection, &session_id, new_token_hash, now)?;
    diesel::update(sessions::table.find(&session_id))
        .set(sessions::last_used_at.eq(now))
        .returning(sessions::id)
        .keep_prepared()
        .load::<String>(connection)?;
    Ok(Rotation::Rotated(session))
}

/// Looks up the live session a refresh token belongs to, without rotating it.
pub fn session_of_refresh_token(
    connection: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Session>> {
    let session_id: Option<String> = refresh_tokens::table
        .find(token_hash)
        .select(refresh_tokens::session_id)
        .first(connection)
        .optional()?;
    let Some(session_id) = session_id else {
        return Ok(None);
    };
    let session = find_session(connection, &session_id)?;
    Ok(session.filter(|session| session.revoked_at.is_none() && session.expires_at > now))
}

pub fn revoke_session(
    connection: &mut DbConnection,
    id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(Some(now)),
        sessions::revoke_reason.eq(Some(reason)),
    ))
    .returning(sessions::id)
    .keep_prepared()
    .load::<String>(connection)
    .map(|revoked| revoked.len())
}

/// Revokes every live session of the account except `keep`.
pub fn revoke_other_sessions(
    connection: &mut DbConnection,
    account_id: i64,
    keep: Option<&str>,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let live = sessions::table
        .filter(sessions::account_id.eq(account_id))
        .filter(sessions::revoked_at.is_null());
    let update = (
        sessions::revoked_at.eq(Some(now)),
        sessions::revoke_reason.eq(Some(reason)),
    );
    match keep {
        Some(keep) => diesel::update(live.filter(sessions::id.ne(keep)))
            .set(update)
            .execute(connection),
        None => diesel::update(live).set(update).execute(connection),
    }
}

/// Turns a restricted session into a full one after the first-time password was replaced.
pub fn lift_restriction(connection: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::update(sessions::table.find(id))
        .set(sessions::restricted.eq(false))
        .execute(connection)
}

/// Returns the account's open sessions, newest first.
pub fn open_sessions(
    connection: &mut DbConnection,
    account_id: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<Session>> {
    sessions::table
        .filter(sessions::account_id.eq(account_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .order(sessions::created_at.desc())
        .select(Session::as_select())
        .load(connection)
}
