//! An empty query (only whitespace, comments or `;`) is `DatabaseError(Unknown, "Received an
//! empty query")` on both engines and both flavours, as diesel's `PgConnection` reports it
//! (diesel's own `empty_query_gives_proper_error_instead_of_panicking` expects a database
//! error); nothing is sent to the Data API. diesel-async's native connections answer `Ok(0)`
//! here instead, so they are not the oracle for this one.

mod common;

use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use common::{mysql_url, pg_url};
use diesel::result::{DatabaseErrorKind, Error};
use diesel::sql_types::Integer;
use diesel::Connection;

const DB: &str = "dataapi_empty_query";

fn assert_empty_query_error(what: &str, e: Error) {
    match e {
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            assert_eq!(info.message(), "Received an empty query", "{what}");
        }
        other => panic!("{what}: expected DatabaseError(Unknown, …), got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_queries_are_database_errors() {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    let mut pg = DataApiPgConnection::establish(&pg_url(DB)).unwrap();
    let mut my = DataApiMysqlConnection::establish(&mysql_url(DB)).unwrap();
    let mut apg = AsyncDataApiPgConnection::establish(&pg_url(DB))
        .await
        .unwrap();
    let mut amy = AsyncDataApiMysqlConnection::establish(&mysql_url(DB))
        .await
        .unwrap();
    for sql in ["", "  ", "-- nothing\n", "/* c */ ;"] {
        let q = || diesel::dsl::sql::<Integer>(sql);
        assert_empty_query_error(
            "sync pg execute",
            diesel::RunQueryDsl::execute(q(), &mut pg).unwrap_err(),
        );
        assert_empty_query_error(
            "sync pg load",
            diesel::RunQueryDsl::load::<i32>(q(), &mut pg).unwrap_err(),
        );
        assert_empty_query_error(
            "sync mysql execute",
            diesel::RunQueryDsl::execute(q(), &mut my).unwrap_err(),
        );
        assert_empty_query_error(
            "sync mysql load",
            diesel::RunQueryDsl::load::<i32>(q(), &mut my).unwrap_err(),
        );
        assert_empty_query_error("async pg execute", q().execute(&mut apg).await.unwrap_err());
        assert_empty_query_error(
            "async pg load",
            q().load::<i32>(&mut apg).await.unwrap_err(),
        );
        assert_empty_query_error(
            "async mysql execute",
            q().execute(&mut amy).await.unwrap_err(),
        );
        assert_empty_query_error(
            "async mysql load",
            q().load::<i32>(&mut amy).await.unwrap_err(),
        );
    }
    // The connections are fine afterwards, and a transaction is not broken by it.
    let one: i32 =
        diesel::RunQueryDsl::get_result(diesel::dsl::sql::<Integer>("SELECT 1"), &mut pg).unwrap();
    assert_eq!(one, 1);
    let inside: Result<i32, Error> = amy
        .transaction(async |c| {
            let e = diesel::dsl::sql::<Integer>("")
                .execute(c)
                .await
                .unwrap_err();
            assert!(matches!(
                e,
                Error::DatabaseError(DatabaseErrorKind::Unknown, _)
            ));
            diesel::dsl::sql::<Integer>("SELECT 2").get_result(c).await
        })
        .await;
    assert_eq!(inside.unwrap(), 2);
}
