//! Failure paths of the PostgreSQL connections, end to end: an expired Data API transaction,
//! serialization failures, an unreachable endpoint, and migrations run / revert / redo.

mod common;

use std::time::Duration;

use aurora_data_api::pg::DataApiPgConnection;
use common::*;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const DB: &str = "dataapi_pg_recovery";

#[test]
fn expired_transaction_is_a_clear_error_and_the_connection_recovers() {
    let (_rt, _server, url) = custom_pg_server(DB, |c| {
        c.limits.transaction_idle_timeout = Duration::from_millis(500)
    });
    let mut conn = DataApiPgConnection::establish(&url).unwrap();
    let table = unique("expiry");
    conn.batch_execute(&format!("CREATE TABLE {table} (id INT PRIMARY KEY)"))
        .unwrap();
    let result: Result<(), Error> = conn.transaction(|conn| {
        diesel::sql_query(format!("INSERT INTO {table} VALUES (1)")).execute(conn)?;
        std::thread::sleep(Duration::from_millis(1500)); // the server rolls the transaction back
        diesel::sql_query(format!("INSERT INTO {table} VALUES (2)")).execute(conn)?;
        Ok(())
    });
    let Err(Error::DatabaseError(_, info)) = result else {
        panic!("expected an error, got {result:?}")
    };
    assert!(
        info.message().contains("is not found") && info.message().contains("3 minutes"),
        "{}",
        info.message()
    );
    // The connection recovers: a new transaction and plain queries work, nothing was kept.
    conn.transaction::<_, Error, _>(|conn| {
        diesel::sql_query(format!("INSERT INTO {table} VALUES (3)"))
            .execute(conn)
            .map(|_| ())
    })
    .unwrap();
    let ids: Vec<i32> = diesel::select(diesel::dsl::sql::<
        diesel::sql_types::Array<diesel::sql_types::Integer>,
    >(&format!(
        "(SELECT array_agg(id ORDER BY id) FROM {table})"
    )))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(ids, [3]);
    conn.batch_execute(&format!("DROP TABLE {table}")).unwrap();
}

#[test]
fn serialization_failure_kind() {
    let url = pg_url(DB);
    let mut a = DataApiPgConnection::establish(&url).unwrap();
    let mut b = DataApiPgConnection::establish(&url).unwrap();
    let table = unique("serial");
    a.batch_execute(&format!(
        "CREATE TABLE {table} (id INT PRIMARY KEY, v INT); INSERT INTO {table} VALUES (1, 0)"
    ))
    .unwrap();
    let result: Result<(), Error> = a.build_transaction().serializable().run(|a| {
        diesel::sql_query(format!("SELECT v FROM {table} WHERE id = 1")).execute(a)?;
        // Another session changes the row the transaction has read.
        diesel::sql_query(format!("UPDATE {table} SET v = v + 1 WHERE id = 1")).execute(&mut b)?;
        diesel::sql_query(format!("UPDATE {table} SET v = v + 10 WHERE id = 1")).execute(a)?;
        Ok(())
    });
    assert!(
        matches!(
            result,
            Err(Error::DatabaseError(
                DatabaseErrorKind::SerializationFailure,
                _
            ))
        ),
        "{result:?}"
    );
    a.batch_execute(&format!("DROP TABLE {table}")).unwrap();
}

#[test]
fn unreachable_endpoint_is_a_closed_connection() {
    let mut conn = DataApiPgConnection::establish(&format!(
        "dataapi://{DB}?cluster_arn={PG_ARN}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint=http://127.0.0.1:9"
    ))
    .unwrap();
    let e = diesel::select(1.into_sql::<diesel::sql_types::Integer>())
        .execute(&mut conn)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
        ),
        "{e:?}"
    );
}

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations-example/postgres");

#[test]
fn migrations_run_revert_redo() {
    let db = "dataapi_pg_migrations";
    let mut conn = DataApiPgConnection::establish(&pg_url(db)).unwrap();
    conn.revert_all_migrations(MIGRATIONS).unwrap();
    let applied = conn.run_pending_migrations(MIGRATIONS).unwrap();
    assert_eq!(
        applied.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
        ["20240101000001", "20240102000001"]
    );
    assert!(!conn.has_pending_migration(MIGRATIONS).unwrap());
    let tables = |conn: &mut DataApiPgConnection| -> Vec<String> {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Array<diesel::sql_types::Text>>(
            "(SELECT coalesce(array_agg(tablename::text ORDER BY tablename), '{}') FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('authors', 'books', 'reviews'))",
        ))
        .get_result(conn)
        .unwrap()
    };
    assert_eq!(tables(&mut conn), ["authors", "books", "reviews"]);
    // The trigger function from up.sql works (its body was not split).
    conn.batch_execute("INSERT INTO authors (name) VALUES ('a'); INSERT INTO books (author_id, title, updated_at) VALUES (1, 't', '2000-01-01')")
        .unwrap();
    conn.batch_execute("UPDATE books SET title = 'u'").unwrap();
    let touched: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
        "(SELECT updated_at > '2001-01-01' FROM books)",
    ))
    .get_result(&mut conn)
    .unwrap();
    assert!(touched);
    let reverted = conn.revert_last_migration(MIGRATIONS).unwrap();
    assert_eq!(reverted.to_string(), "20240102000001");
    assert_eq!(tables(&mut conn), ["authors", "books"]);
    // Redo: the reverted migration runs again.
    assert_eq!(conn.run_pending_migrations(MIGRATIONS).unwrap().len(), 1);
    assert_eq!(tables(&mut conn), ["authors", "books", "reviews"]);
    let applied: Vec<String> = conn
        .applied_migrations()
        .unwrap()
        .iter()
        .map(|v| v.to_string())
        .collect();
    assert_eq!(applied.len(), 2);
    conn.revert_all_migrations(MIGRATIONS).unwrap();
    assert!(tables(&mut conn).is_empty());
}
