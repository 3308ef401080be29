//! End-to-end: Diesel code on `DataApiPgConnection` / `AsyncDataApiPgConnection` →
//! aws-sdk-rdsdata over HTTP → local Data API server → PostgreSQL.

mod common;

use std::sync::{Arc, Mutex};

use aurora_data_api::pg::DataApiPgConnection;
use common::*;
use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

const DB: &str = "dataapi_pg_diesel";

mod schema {
    diesel::table! {
        people (id) {
            id -> Int4,
            name -> Text,
            email -> Nullable<Text>,
            age -> Nullable<Int4>,
        }
    }
}

use schema::people;

#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, AsChangeset, QueryableByName,
)]
#[diesel(table_name = people, check_for_backend(diesel::pg::Pg))]
struct Person {
    id: i32,
    name: String,
    email: Option<String>,
    age: Option<i32>,
}

#[derive(Insertable)]
#[diesel(table_name = people)]
struct NewPerson<'a> {
    name: &'a str,
    email: Option<&'a str>,
    age: Option<i32>,
}

/// A connection and a fresh `people`-shaped table under a unique name, exposed as `people`
/// through a view-free trick: each test gets its own database table name via `sql_query`
/// setup, but the `people` schema is shared, so tests serialize on this lock.
static TABLE_LOCK: Mutex<()> = Mutex::new(());

fn fresh(conn: &mut DataApiPgConnection) {
    conn.batch_execute(
        "DROP TABLE IF EXISTS people;
         CREATE TABLE people (id SERIAL PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, age INTEGER CHECK (age >= 0));",
    )
    .unwrap();
}

fn connect() -> DataApiPgConnection {
    DataApiPgConnection::establish(&pg_url(DB)).unwrap()
}

#[test]
fn crud_with_models() {
    let _guard = TABLE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut conn = connect();
    fresh(&mut conn);
    let ada: Person = diesel::insert_into(people::table)
        .values(&NewPerson {
            name: "Ada",
            email: Some("ada@example.com"),
            age: Some(36),
        })
        .returning(Person::as_returning())
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(
        ada,
        Person {
            id: 1,
            name: "Ada".into(),
            email: Some("ada@example.com".into()),
            age: Some(36)
        }
    );
    let n = diesel::insert_into(people::table)
        .values(&vec![
            NewPerson {
                name: "Grace",
                email: None,
                age: None,
            },
            NewPerson {
                name: "Linus",
                email: Some("l@example.com"),
                age: Some(54),
            },
        ])
        .execute(&mut conn)
        .unwrap();
    assert_eq!(n, 2);
    let names: Vec<String> = people::table
        .select(people::name)
        .order(people::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(names, ["Ada", "Grace", "Linus"]);
    let some: Vec<Person> = people::table
        .filter(people::name.eq_any(["Ada", "Linus"]))
        .order(people::id.desc())
        .select(Person::as_select())
        .load(&mut conn)
        .unwrap();
    assert_eq!(some.iter().map(|p| p.id).collect::<Vec<_>>(), [3, 1]);
    let updated = diesel::update(people::table.filter(people::age.is_null()))
        .set(people::age.eq(85))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(updated, 1);
    let mut grace: Person = people::table.find(2).first(&mut conn).unwrap();
    assert_eq!(grace.age, Some(85));
    grace.email = Some("grace@example.com".into());
    let saved: Person = grace.save_changes(&mut conn).unwrap();
    assert_eq!(saved.email.as_deref(), Some("grace@example.com"));
    // Upsert.
    diesel::insert_into(people::table)
        .values((people::id.eq(1), people::name.eq("Ada L.")))
        .on_conflict(people::id)
        .do_update()
        .set(people::name.eq("Ada Lovelace"))
        .execute(&mut conn)
        .unwrap();
    let ada_name: String = people::table
        .find(1)
        .select(people::name)
        .first(&mut conn)
        .unwrap();
    assert_eq!(ada_name, "Ada Lovelace");
    // sql_query + QueryableByName, by column name.
    let by_name: Vec<Person> =
        diesel::sql_query("SELECT age, email, name, id FROM people WHERE id > $1 ORDER BY id")
            .bind::<diesel::sql_types::Integer, _>(1)
            .load(&mut conn)
            .unwrap();
    assert_eq!(by_name.len(), 2);
    assert_eq!(by_name[0].name, "Grace");
    let deleted = diesel::delete(people::table.filter(people::id.ge(2)))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(deleted, 2);
    let count: i64 = people::table.count().get_result(&mut conn).unwrap();
    assert_eq!(count, 1);
}

#[test]
fn transactions_commit_rollback_and_savepoints() {
    let _guard = TABLE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut conn = connect();
    fresh(&mut conn);
    let insert = |conn: &mut DataApiPgConnection, name: &str| {
        diesel::insert_into(people::table)
            .values(people::name.eq(name.to_string()))
            .execute(conn)
    };
    conn.transaction::<_, Error, _>(|conn| {
        insert(conn, "committed")?;
        // A nested transaction that fails rolls back to its savepoint only.
        let inner: Result<(), Error> = conn.transaction(|conn| {
            insert(conn, "inner")?;
            Err(Error::RollbackTransaction)
        });
        assert!(inner.is_err());
        Ok(())
    })
    .unwrap();
    let failed: Result<(), Error> = conn.transaction(|conn| {
        insert(conn, "rolled back")?;
        Err(Error::RollbackTransaction)
    });
    assert!(failed.is_err());
    // An error inside a transaction (duplicate email) rolls the whole thing back.
    diesel::insert_into(people::table)
        .values((people::name.eq("x"), people::email.eq("dup@example.com")))
        .execute(&mut conn)
        .unwrap();
    let dup: Result<(), Error> = conn.transaction(|conn| {
        insert(conn, "before the error")?;
        diesel::insert_into(people::table)
            .values((people::name.eq("y"), people::email.eq("dup@example.com")))
            .execute(conn)?;
        Ok(())
    });
    assert!(
        matches!(
            dup,
            Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
        ),
        "{dup:?}"
    );
    let names: Vec<String> = people::table
        .select(people::name)
        .order(people::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(names, ["committed", "x"]);
    // The connection is usable after all that.
    assert_eq!(
        people::table.count().get_result::<i64>(&mut conn).unwrap(),
        2
    );
}

#[test]
fn build_transaction_read_only_serializable() {
    let _guard = TABLE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut conn = connect();
    fresh(&mut conn);
    let level: String = conn
        .build_transaction()
        .serializable()
        .read_only()
        .run(|conn| {
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
                "current_setting('transaction_isolation')",
            ))
            .get_result(conn)
        })
        .unwrap();
    assert_eq!(level, "serializable");
    let write: Result<usize, Error> = conn.build_transaction().read_only().run(|conn| {
        diesel::insert_into(people::table)
            .values(people::name.eq("nope"))
            .execute(conn)
    });
    assert!(
        matches!(
            write,
            Err(Error::DatabaseError(
                DatabaseErrorKind::ReadOnlyTransaction,
                _
            ))
        ),
        "{write:?}"
    );
}

#[test]
fn database_error_kinds_and_fields() {
    let _guard = TABLE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut conn = connect();
    fresh(&mut conn);
    conn.batch_execute(
        "DROP TABLE IF EXISTS pets; CREATE TABLE pets (id SERIAL PRIMARY KEY, owner INT NOT NULL REFERENCES people(id) ON DELETE CASCADE)",
    )
    .unwrap();
    diesel::insert_into(people::table)
        .values((people::name.eq("a"), people::email.eq("a@x")))
        .execute(&mut conn)
        .unwrap();
    let unique = diesel::insert_into(people::table)
        .values((people::name.eq("b"), people::email.eq("a@x")))
        .execute(&mut conn)
        .unwrap_err();
    let Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) = unique else {
        panic!("{unique:?}")
    };
    assert_eq!(info.constraint_name(), Some("people_email_key"));
    assert_eq!(info.details(), Some("Key (email)=(a@x) already exists."));
    let not_null = diesel::sql_query("INSERT INTO people (name) VALUES (NULL)")
        .execute(&mut conn)
        .unwrap_err();
    let Error::DatabaseError(DatabaseErrorKind::NotNullViolation, info) = not_null else {
        panic!("{not_null:?}")
    };
    assert_eq!(
        (info.column_name(), info.table_name()),
        (Some("name"), Some("people"))
    );
    let check = diesel::insert_into(people::table)
        .values((people::name.eq("c"), people::age.eq(-1)))
        .execute(&mut conn)
        .unwrap_err();
    assert!(
        matches!(
            check,
            Error::DatabaseError(DatabaseErrorKind::CheckViolation, _)
        ),
        "{check:?}"
    );
    let fk = diesel::sql_query("INSERT INTO pets (owner) VALUES (999)")
        .execute(&mut conn)
        .unwrap_err();
    assert!(
        matches!(
            fk,
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)
        ),
        "{fk:?}"
    );
    let syntax = diesel::sql_query("SELEC 1").execute(&mut conn).unwrap_err();
    let Error::DatabaseError(DatabaseErrorKind::Unknown, info) = syntax else {
        panic!("{syntax:?}")
    };
    assert!(
        info.message().contains("syntax error"),
        "{}",
        info.message()
    );
    conn.batch_execute("DROP TABLE pets").unwrap();
}

#[derive(Default, Clone)]
struct Events(Arc<Mutex<Vec<String>>>);

impl Instrumentation for Events {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        let text = match event {
            InstrumentationEvent::StartQuery { query, .. } => format!("start {query}"),
            InstrumentationEvent::FinishQuery { error, .. } => {
                format!("finish ok={}", error.is_none())
            }
            InstrumentationEvent::BeginTransaction { depth, .. } => format!("begin {depth}"),
            InstrumentationEvent::CommitTransaction { depth, .. } => format!("commit {depth}"),
            InstrumentationEvent::RollbackTransaction { depth, .. } => format!("rollback {depth}"),
            _ => "other".into(),
        };
        self.0.lock().unwrap().push(text);
    }
}

#[test]
fn instrumentation_sees_queries_and_transactions() {
    let mut conn = connect();
    let events = Events::default();
    conn.set_instrumentation(events.clone());
    conn.transaction::<_, Error, _>(|conn| {
        diesel::select(1.into_sql::<diesel::sql_types::Integer>())
            .execute(conn)
            .map(|_| ())
    })
    .unwrap();
    let seen = events.0.lock().unwrap().clone();
    assert!(seen.iter().any(|e| e == "begin 1"), "{seen:?}");
    assert!(
        seen.iter().any(|e| e.starts_with("start SELECT $1")),
        "{seen:?}"
    );
    assert!(seen.iter().any(|e| e == "finish ok=true"), "{seen:?}");
    assert!(seen.iter().any(|e| e == "commit 1"), "{seen:?}");
}

#[test]
fn invalid_urls_are_connection_errors() {
    for url in [
        "postgres://localhost/db",
        "dataapi://db?cluster_arn=nope&secret_arn=arn:aws:x",
        "dataapi://db?clusterarn=x",
    ] {
        let e = DataApiPgConnection::establish(url).unwrap_err();
        assert!(
            matches!(e, diesel::ConnectionError::InvalidConnectionUrl(_)),
            "{url}: {e:?}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn sync_connection_inside_a_tokio_runtime() {
    // A Lambda handler or #[tokio::main] calling sync Diesel code: must not panic.
    let mut conn = connect();
    let n: i32 = diesel::select(41.into_sql::<diesel::sql_types::Integer>() + 1)
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(n, 42);
}

#[test]
fn r2d2_pool() {
    let manager = diesel::r2d2::ConnectionManager::<DataApiPgConnection>::new(pg_url(DB));
    let pool = diesel::r2d2::Pool::builder()
        .max_size(2)
        .test_on_check_out(true)
        .build(manager)
        .unwrap();
    let mut conn = pool.get().unwrap();
    let n: i64 = diesel::select(7i64.into_sql::<diesel::sql_types::BigInt>())
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(n, 7);
}

#[test]
fn batch_execute_splits_statements() {
    let mut conn = connect();
    let table = unique("batch");
    conn.batch_execute(&format!(
        "CREATE TABLE {table} (id INT, note TEXT);
         -- a comment; with a semicolon
         INSERT INTO {table} VALUES (1, 'a;b'), (2, E'c\\';d');
         CREATE FUNCTION {table}_f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;
         /* block; comment */ INSERT INTO {table} VALUES ({table}_f(), $q$x;y$q$);"
    ))
    .unwrap();
    let notes: Vec<String> =
        diesel::sql_query(format!("SELECT note FROM {table} ORDER BY id, note"))
            .load::<Note>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|n| n.note)
            .collect();
    assert_eq!(notes, ["a;b", "x;y", "c';d"]);
    conn.batch_execute(&format!("DROP TABLE {table}; DROP FUNCTION {table}_f()"))
        .unwrap();
}

#[derive(QueryableByName)]
struct Note {
    #[diesel(sql_type = diesel::sql_types::Text)]
    note: String,
}
