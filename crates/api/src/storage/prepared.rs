//! Statements that stay prepared on their connection between calls.
//!
//! diesel keeps a prepared statement per connection only for queries it can prove produce
//! the same SQL text every time. Every UPDATE, every raw `sql_query` and every insert with a
//! column left to its default fall outside that proof, so PostgreSQL parses and plans them
//! again on each call. On the login path those were seven of ten statements, and planning
//! them cost PostgreSQL more CPU than running them.
//!
//! [`KeepPrepared::keep_prepared`] marks such a statement as safe to keep. diesel's cache
//! then keys it by its SQL text and bind types, so a statement whose text varies between
//! calls would only add cache entries. Mark only statements of a fixed shape, or of a few
//! shapes, such as an insert whose optional columns are either set or left out.
//!
//! NOTE: the mark counts only for statements run with `load` or `get_result`. diesel's
//! `execute` takes the statement by reference, and the reference does not carry the mark,
//! so an INSERT, UPDATE or DELETE kept prepared returns a column and is loaded.
//!
//! NOTE: PostgreSQL rejects a kept statement with "cached plan must not change result type"
//! once a column it returns changes type, until the server restarts. A migration that
//! changes such a column needs every running server restarted after it.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;

/// A statement that diesel keeps prepared on its connection. See the module documentation.
#[derive(Debug, Clone, Copy)]
pub struct Prepared<Q>(Q);

/// Turns a statement into one that diesel keeps prepared.
pub trait KeepPrepared: Sized {
    fn keep_prepared(self) -> Prepared<Self> {
        Prepared(self)
    }
}

impl<Q> KeepPrepared for Q {}

impl<Q, DB> QueryFragment<DB> for Prepared<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    // NOTE: diesel hides this method from its documentation unless a feature for backend
    // authors is on. It is part of the trait all the same, and the cache key by SQL text
    // makes the override sound.
    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q> QueryId for Prepared<Q> {
    type QueryId = ();

    // Without a static id, diesel keys the cache by the SQL text and the bind types.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: Query> Query for Prepared<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Connection> RunQueryDsl<Connection> for Prepared<Q> {}
