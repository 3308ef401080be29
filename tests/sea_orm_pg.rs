//! SeaORM on Aurora PostgreSQL through the local Data API server: both faces (the proxy
//! `DatabaseConnection` and the native `DataApiConnection`), every value type, CRUD,
//! relations, pagination, transactions, enums, errors, migrations, and a differential check
//! of the decoded values against a native driver.
//!
//! The oracle for values is diesel-async's `AsyncPgConnection` (tokio-postgres) on the same
//! rows; SeaORM over sqlx (PostgreSQL only, no TLS) is the oracle for transaction semantics in
//! `tests/native_semantics.rs`.
//!
//! Tables are created once per run if missing (`CREATE … IF NOT EXISTS`) in database
//! `dataapi_sea_pg`; every test works on rows tagged with its own unique tag, so tests and
//! concurrent runs never see each other's rows.
#![cfg(feature = "sea-orm")]

mod common;

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use aurora_data_api::sea_orm::{connect_proxy, error_kind, sql_err, DataApiConnection};
use bigdecimal::BigDecimal;
use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};
use common::{custom_pg_server, pg_native_url, pg_url, unique};
use diesel::result::DatabaseErrorKind;
use sea_orm::entity::prelude::*;
use sea_orm::{
    AccessMode, ActiveValue::NotSet, ConnectionTrait, DatabaseConnection, DbBackend,
    IsolationLevel, QueryOrder, QuerySelect, Set, SqlErr, Statement, TransactionError,
    TransactionTrait,
};

const DB: &str = "dataapi_sea_pg";

/// Every value type the issue lists, nullable, so both values and typed NULLs are checked.
mod kinds {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sea_kinds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tag: String,
        pub b: Option<bool>,
        pub i2: Option<i16>,
        pub i4: Option<i32>,
        pub i8: Option<i64>,
        pub f4: Option<f32>,
        pub f8: Option<f64>,
        pub dec: Option<BigDecimal>,
        pub txt: Option<String>,
        pub bytes: Option<Vec<u8>>,
        pub js: Option<Json>,
        pub j: Option<Json>,
        pub d: Option<Date>,
        pub t: Option<Time>,
        pub ts: Option<DateTime>,
        pub tstz: Option<DateTimeWithTimeZone>,
        pub u: Option<Uuid>,
        pub mood: Option<super::Mood>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The database type behind [`Mood`].
const MOOD_TYPE: &str = "sea_mood";

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "sea_mood")]
pub enum Mood {
    #[sea_orm(string_value = "happy")]
    Happy,
    #[sea_orm(string_value = "sad")]
    Sad,
    #[sea_orm(string_value = "so-so")]
    SoSo,
}

const SCHEMA: &str = r#"
DO $$ BEGIN CREATE TYPE sea_mood AS ENUM ('happy', 'sad', 'so-so');
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE IF NOT EXISTS sea_author (
    id serial PRIMARY KEY, tag text NOT NULL, name text NOT NULL, email text UNIQUE, born date);
CREATE TABLE IF NOT EXISTS sea_book (
    id serial PRIMARY KEY, tag text NOT NULL,
    author_id int NOT NULL REFERENCES sea_author (id) ON DELETE CASCADE,
    title text NOT NULL, price numeric(10, 2), mood sea_mood NOT NULL);
CREATE TABLE IF NOT EXISTS sea_kinds (
    id uuid PRIMARY KEY, tag text NOT NULL, b bool, i2 int2, i4 int4, i8 int8, f4 float4,
    f8 float8, dec numeric, txt text, bytes bytea, js jsonb, j json, d date, t time,
    ts timestamp, tstz timestamptz, u uuid, mood sea_mood);
"#;

/// Runs `f` on a runtime of its own (tests are sync so custom servers can be dropped).
fn run<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The tables, created once per process.
fn schema() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        run(async {
            let conn = native().await;
            // Concurrent runs may race on CREATE … IF NOT EXISTS; one retry settles it.
            if conn.execute_unprepared(SCHEMA).await.is_err() {
                tokio::time::sleep(Duration::from_millis(200)).await;
                conn.execute_unprepared(SCHEMA).await.unwrap();
            }
        })
    });
}

async fn proxy() -> DatabaseConnection {
    connect_proxy(&pg_url(DB), DbBackend::Postgres)
        .await
        .unwrap()
}

async fn native() -> DataApiConnection {
    DataApiConnection::connect(&pg_url(DB), DbBackend::Postgres)
        .await
        .unwrap()
}

/// Runs `check` against both faces.
macro_rules! both_faces {
    ($check:ident) => {{
        schema();
        run(async {
            $check(&proxy().await, "proxy").await;
            $check(&native().await, "native").await;
        });
    }};
}

fn full_kinds(tag: &str) -> kinds::Model {
    kinds::Model {
        id: uuid::Uuid::from_u128(rand_u128()),
        tag: tag.to_owned(),
        b: Some(true),
        i2: Some(-32768),
        i4: Some(2_147_483_647),
        i8: Some(-9_007_199_254_740_993), // beyond f64 precision
        f4: Some(1.5e-7),
        f8: Some(0.1),
        dec: Some("-12345678901234567890.000123456789".parse().unwrap()),
        txt: Some("héllo 'quoted' $1 ? :p1".into()),
        bytes: Some(vec![0, 1, 2, 255]),
        js: Some(serde_json::json!({"a": [1, 2.5, {"b": null}], "é": "ü"})),
        j: Some(serde_json::json!([true, "x"])),
        d: NaiveDate::from_ymd_opt(2024, 2, 29),
        t: NaiveTime::from_hms_micro_opt(23, 59, 58, 123_456),
        ts: NaiveDate::from_ymd_opt(1999, 12, 31)
            .unwrap()
            .and_hms_micro_opt(23, 59, 59, 999_999),
        tstz: Some(
            FixedOffset::east_opt(5 * 3600 + 1800)
                .unwrap()
                .with_ymd_and_hms(2024, 6, 1, 12, 0, 0)
                .unwrap(),
        ),
        u: Some(uuid::Uuid::from_u128(rand_u128())),
        mood: Some(Mood::SoSo),
    }
}

fn empty_kinds(tag: &str) -> kinds::Model {
    kinds::Model {
        id: uuid::Uuid::from_u128(rand_u128()),
        tag: tag.to_owned(),
        b: None,
        i2: None,
        i4: None,
        i8: None,
        f4: None,
        f8: None,
        dec: None,
        txt: None,
        bytes: None,
        js: None,
        j: None,
        d: None,
        t: None,
        ts: None,
        tstz: None,
        u: None,
        mood: None,
    }
}

async fn every_type_arrives<C: ConnectionTrait>(db: &C, face: &str) {
    let tag = unique(face);
    for model in [full_kinds(&tag), empty_kinds(&tag)] {
        // INSERT … RETURNING: the returned row is decoded too.
        let inserted = kinds::ActiveModel::from(model.clone())
            .insert(db)
            .await
            .unwrap();
        assert_eq!(inserted, model, "{face}: INSERT … RETURNING");
        let found = kinds::Entity::find_by_id(model.id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found, model, "{face}: SELECT");
        // Every parameter type is usable in a WHERE clause (casts are exact).
        if let Some(u) = model.u {
            let by_value = kinds::Entity::find()
                .filter(kinds::Column::U.eq(u))
                .filter(kinds::Column::Tstz.eq(model.tstz.unwrap()))
                .filter(kinds::Column::Ts.eq(model.ts.unwrap()))
                .filter(kinds::Column::Dec.eq(model.dec.clone().unwrap()))
                .filter(kinds::Column::Mood.eq(Mood::SoSo))
                .filter(kinds::Column::D.eq(model.d.unwrap()))
                .filter(kinds::Column::T.eq(model.t.unwrap()))
                .filter(kinds::Column::I8.eq(model.i8.unwrap()))
                .all(db)
                .await
                .unwrap();
            assert_eq!(by_value, vec![model.clone()], "{face}: WHERE on every type");
        }
    }
    differential(&tag).await;
}

#[test]
fn every_type_arrives_in_its_own_value_variant() {
    both_faces!(every_type_arrives);
}

/// The same rows through a native driver (diesel-async over tokio-postgres).
async fn differential(tag: &str) {
    use diesel::sql_types::{
        Bool, Bytea, Date as DDate, Float4, Float8, Int2, Int4, Int8, Json as DJson, Jsonb,
        Nullable, Numeric, Text, Time as DTime, Timestamp, Timestamptz, Uuid as DUuid,
    };
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

    #[derive(diesel::QueryableByName, Debug)]
    struct Raw {
        #[diesel(sql_type = DUuid)]
        id: Uuid,
        #[diesel(sql_type = Nullable<Bool>)]
        b: Option<bool>,
        #[diesel(sql_type = Nullable<Int2>)]
        i2: Option<i16>,
        #[diesel(sql_type = Nullable<Int4>)]
        i4: Option<i32>,
        #[diesel(sql_type = Nullable<Int8>)]
        i8: Option<i64>,
        #[diesel(sql_type = Nullable<Float4>)]
        f4: Option<f32>,
        #[diesel(sql_type = Nullable<Float8>)]
        f8: Option<f64>,
        #[diesel(sql_type = Nullable<Numeric>)]
        dec: Option<BigDecimal>,
        #[diesel(sql_type = Nullable<Text>)]
        txt: Option<String>,
        #[diesel(sql_type = Nullable<Bytea>)]
        bytes: Option<Vec<u8>>,
        #[diesel(sql_type = Nullable<Jsonb>)]
        js: Option<serde_json::Value>,
        #[diesel(sql_type = Nullable<DJson>)]
        j: Option<serde_json::Value>,
        #[diesel(sql_type = Nullable<DDate>)]
        d: Option<NaiveDate>,
        #[diesel(sql_type = Nullable<DTime>)]
        t: Option<NaiveTime>,
        #[diesel(sql_type = Nullable<Timestamp>)]
        ts: Option<chrono::NaiveDateTime>,
        #[diesel(sql_type = Nullable<Timestamptz>)]
        tstz: Option<chrono::DateTime<chrono::Utc>>,
        #[diesel(sql_type = Nullable<DUuid>)]
        u: Option<Uuid>,
        #[diesel(sql_type = Nullable<Text>)]
        mood: Option<String>,
    }

    let mut oracle = AsyncPgConnection::establish(&pg_native_url(DB))
        .await
        .unwrap();
    let raw: Vec<Raw> = diesel::sql_query(
        "SELECT id, b, i2, i4, i8, f4, f8, dec, txt, bytes, js, j, d, t, ts, tstz, u, mood::text AS mood \
         FROM sea_kinds WHERE tag = $1",
    )
    .bind::<Text, _>(tag)
    .load(&mut oracle)
    .await
    .unwrap();
    assert_eq!(raw.len(), 2);
    let db = native().await;
    for r in raw {
        let m = kinds::Entity::find_by_id(r.id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.b, r.b);
        assert_eq!(m.i2, r.i2);
        assert_eq!(m.i4, r.i4);
        assert_eq!(m.i8, r.i8);
        assert_eq!(m.f4.map(f32::to_bits), r.f4.map(f32::to_bits));
        assert_eq!(m.f8.map(f64::to_bits), r.f8.map(f64::to_bits));
        assert_eq!(m.dec, r.dec);
        assert_eq!(
            m.dec.map(|d| d.to_string()),
            r.dec.map(|d| d.to_string()),
            "scale kept"
        );
        assert_eq!(m.txt, r.txt);
        assert_eq!(m.bytes, r.bytes);
        assert_eq!(m.js, r.js);
        assert_eq!(m.j, r.j);
        assert_eq!(m.d, r.d);
        assert_eq!(m.t, r.t);
        assert_eq!(m.ts, r.ts);
        assert_eq!(m.tstz.map(|t| t.to_utc()), r.tstz);
        assert_eq!(m.u, r.u);
        assert_eq!(m.mood.map(|m| m.to_value()), r.mood, "enum text");
    }
}

mod sea_orm_shared;
use sea_orm_shared::{add_author, author, names};

#[test]
fn native_transactions_forward_isolation_and_access_mode() {
    schema();
    run(async {
        let db = native().await;
        let txn = db
            .begin_with_config(
                Some(IsolationLevel::Serializable),
                Some(AccessMode::ReadOnly),
            )
            .await
            .unwrap();
        let row = txn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT current_setting('transaction_isolation') AS iso, current_setting('transaction_read_only') AS ro",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<String>("", "iso").unwrap(), "serializable");
        assert_eq!(row.try_get::<String>("", "ro").unwrap(), "on");
        let write = author::ActiveModel {
            id: NotSet,
            tag: Set(unique("ro")),
            name: Set("nope".into()),
            email: Set(None),
            born: Set(None),
        }
        .insert(&txn)
        .await
        .unwrap_err();
        assert_eq!(
            error_kind(&write),
            Some(DatabaseErrorKind::ReadOnlyTransaction)
        );
        txn.rollback().await.unwrap();
    });
}

/// A failed BeginTransaction: the native connection returns it; the proxy cannot, so the
/// statements of the transaction fail instead of silently autocommitting.
#[test]
fn failed_begin_is_an_error() {
    schema();
    run(async {
        let url = pg_url(DB).replace("cluster:lib-postgres", "cluster:no-such-cluster");
        let native = DataApiConnection::connect(&url, DbBackend::Postgres)
            .await
            .unwrap();
        assert!(native.begin().await.is_err());
        let r = native
            .transaction::<_, (), DbErr>(|_| Box::pin(async { Ok(()) }))
            .await;
        assert!(matches!(r, Err(TransactionError::Connection(_))), "{r:?}");

        let proxy = connect_proxy(&url, DbBackend::Postgres).await.unwrap();
        let txn = proxy.begin().await.unwrap(); // the proxy interface cannot fail here
        let e = txn
            .execute_raw(Statement::from_string(DbBackend::Postgres, "SELECT 1"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("could not begin"), "{e}");
        txn.commit().await.unwrap(); // …nor here: the next statement reports it
        let next = proxy
            .execute_raw(Statement::from_string(DbBackend::Postgres, "SELECT 1"))
            .await
            .unwrap_err();
        assert!(next.to_string().contains("COMMIT failed"), "{next}");
    });
}

/// A failed CommitTransaction (the transaction expired): the native closure form returns it,
/// the proxy logs it and fails the next statement.
#[test]
fn failed_commit_is_reported() {
    schema();
    let (rt, _server, url) = custom_pg_server(DB, |c| {
        c.limits.transaction_idle_timeout = Duration::from_millis(300);
    });
    run(async {
        let tag = unique("expired");
        let native = DataApiConnection::connect(&url, DbBackend::Postgres)
            .await
            .unwrap();
        let t = tag.clone();
        let r = native
            .transaction::<_, (), DbErr>(|txn| {
                Box::pin(async move {
                    add_author(txn, &t, "lost").await;
                    tokio::time::sleep(Duration::from_millis(1200)).await;
                    Ok(())
                })
            })
            .await;
        assert!(matches!(r, Err(TransactionError::Connection(_))), "{r:?}");
        assert!(names(&native, &tag).await.is_empty());

        // The native transaction type's explicit commit returns the failure itself.
        let txn = native.begin().await.unwrap();
        add_author(&txn, &tag, "lost as well").await;
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let e = txn.commit().await.unwrap_err();
        assert!(e.to_string().contains("nothing of it was committed"), "{e}");
        assert!(names(&native, &tag).await.is_empty());
        // Nothing is left over for the next statement.
        native
            .execute_raw(Statement::from_string(DbBackend::Postgres, "SELECT 1"))
            .await
            .unwrap();

        let proxy = connect_proxy(&url, DbBackend::Postgres).await.unwrap();
        let txn = proxy.begin().await.unwrap();
        add_author(&txn, &tag, "lost too").await;
        tokio::time::sleep(Duration::from_millis(1200)).await;
        txn.commit().await.unwrap();
        let next = proxy
            .execute_raw(Statement::from_string(DbBackend::Postgres, "SELECT 1"))
            .await
            .unwrap_err();
        assert!(next.to_string().contains("COMMIT failed"), "{next}");
        // Reported once: the connection works again.
        assert!(names(&proxy, &tag).await.is_empty());
    });
    drop(rt);
}

/// `into_tuple` reads by position: the proxy's rows are alphabetical (a documented SeaORM
/// limitation), the native connection's `positional()` rows are in select order.
#[test]
fn tuples_by_position() {
    schema();
    run(async {
        let tag = unique("tuple");
        let db = native().await;
        add_author(&db, &tag, "Zed").await;
        let query = || {
            author::Entity::find()
                .select_only()
                .column(author::Column::Name)
                .column(author::Column::Id)
                .filter(author::Column::Tag.eq(&tag))
        };
        let (name, id): (String, i32) = query()
            .into_tuple()
            .one(&db.positional())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(name, "Zed");
        assert!(id > 0);
        // Alphabetical order puts `id` first: (String, i32) cannot be read from it.
        assert!(query()
            .into_tuple::<(String, i32)>()
            .one(&proxy().await)
            .await
            .is_err());
        assert!(query()
            .into_tuple::<(String, i32)>()
            .one(&db)
            .await
            .is_err());
        // By name, both faces read the same.
        let json = query()
            .into_json()
            .one(&proxy().await)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(json["name"], "Zed");
        // Streams on the native connection.
        use futures_util::TryStreamExt;
        let streamed: Vec<author::Model> = author::Entity::find()
            .filter(author::Column::Tag.eq(&tag))
            .stream(&db)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(streamed.len(), 1);
    });
}

#[test]
fn bad_input_is_a_typed_error() {
    schema();
    run(async {
        let db = native().await;
        // Fewer values than placeholders.
        let e = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT $1::int, $2::int",
                [1i32.into()],
            ))
            .await
            .unwrap_err();
        assert!(matches!(e, DbErr::Type(_)), "{e}");
        // A MySQL statement on a PostgreSQL connection.
        let e = db
            .execute_raw(Statement::from_string(DbBackend::MySql, "SELECT 1"))
            .await
            .unwrap_err();
        assert!(matches!(e, DbErr::Custom(_)), "{e}");
        // SQLite is not an Aurora engine.
        assert!(DataApiConnection::connect(&pg_url(DB), DbBackend::Sqlite)
            .await
            .is_err());
        assert!(connect_proxy("postgres://x", DbBackend::Postgres)
            .await
            .is_err());
        // A value the column cannot hold: the database's error, typed.
        let e = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT $1::int2",
                [70000i32.into()],
            ))
            .await
            .unwrap_err();
        assert!(matches!(e, DbErr::Query(_)), "{e}");
        // A script through execute_unprepared is split into statements.
        db.execute_unprepared("SELECT 1; SELECT 2; -- done")
            .await
            .unwrap();
        let one = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT 1 AS one",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(one.try_get::<i32>("", "one").unwrap(), 1);
    });
}

mod migration {
    use sea_orm_migration::prelude::*;

    pub struct Migrator;

    #[async_trait::async_trait]
    impl MigratorTrait for Migrator {
        fn migration_table_name() -> DynIden {
            Alias::new("sea_pg_migrations").into_iden()
        }

        fn migrations() -> Vec<Box<dyn MigrationTrait>> {
            vec![Box::new(CreateTag), Box::new(CreateNote)]
        }
    }

    struct CreateTag;

    // Named by hand: `DeriveMigrationName` names a migration after its file.
    impl MigrationName for CreateTag {
        fn name(&self) -> &str {
            "m0001_create_tag"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for CreateTag {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_type(
                    sea_query::extension::postgres::Type::create()
                        .as_enum(Alias::new("sea_mig_level"))
                        .values([Alias::new("low"), Alias::new("high")])
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table(Alias::new("sea_mig_tag"))
                        .col(
                            ColumnDef::new(Alias::new("id"))
                                .integer()
                                .not_null()
                                .auto_increment()
                                .primary_key(),
                        )
                        .col(ColumnDef::new(Alias::new("name")).string().not_null())
                        .col(
                            ColumnDef::new(Alias::new("level"))
                                .custom(Alias::new("sea_mig_level"))
                                .not_null(),
                        )
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .drop_table(Table::drop().table(Alias::new("sea_mig_tag")).to_owned())
                .await?;
            manager
                .drop_type(
                    sea_query::extension::postgres::Type::drop()
                        .name(Alias::new("sea_mig_level"))
                        .to_owned(),
                )
                .await
        }
    }

    struct CreateNote;

    impl MigrationName for CreateNote {
        fn name(&self) -> &str {
            "m0002_create_note"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for CreateNote {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table(Alias::new("sea_mig_note"))
                        .col(
                            ColumnDef::new(Alias::new("id"))
                                .integer()
                                .not_null()
                                .auto_increment()
                                .primary_key(),
                        )
                        .col(ColumnDef::new(Alias::new("tag_id")).integer().not_null())
                        .col(ColumnDef::new(Alias::new("body")).json_binary())
                        .foreign_key(
                            ForeignKey::create()
                                .from(Alias::new("sea_mig_note"), Alias::new("tag_id"))
                                .to(Alias::new("sea_mig_tag"), Alias::new("id")),
                        )
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .drop_table(Table::drop().table(Alias::new("sea_mig_note")).to_owned())
                .await
        }
    }
}

#[test]
fn sea_orm_migration_runs_over_the_proxy() {
    use sea_orm_migration::MigratorTrait;
    schema();
    run(async {
        let db = proxy().await;
        // From whatever an earlier run left: down all, then up, status, down one, up.
        migration::Migrator::down(&db, None).await.unwrap();
        assert_eq!(
            migration::Migrator::get_pending_migrations(&db)
                .await
                .unwrap()
                .len(),
            2
        );
        migration::Migrator::up(&db, None).await.unwrap();
        assert!(migration::Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty());
        assert!(has_table(&db, "sea_mig_note").await);
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO sea_mig_tag (name, level) VALUES ($1, CAST($2 AS sea_mig_level))",
            ["t".into(), "high".into()],
        ))
        .await
        .unwrap();
        migration::Migrator::down(&db, Some(1)).await.unwrap();
        assert!(!has_table(&db, "sea_mig_note").await);
        assert!(has_table(&db, "sea_mig_tag").await);
        migration::Migrator::up(&db, None).await.unwrap();
        assert!(has_table(&db, "sea_mig_note").await);
    });
}

/// A fresh id per call (uuid's `v4` feature is not enabled here).
fn rand_u128() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    (nanos << 32)
        ^ (u128::from(std::process::id()) << 16)
        ^ u128::from(N.fetch_add(1, Ordering::Relaxed))
}

/// Whether `table` exists. (sea-orm-migration's `SchemaManager::has_table` and
/// `Migrator::fresh` are compiled only with its sqlx features and panic without them.)
async fn has_table(db: &DatabaseConnection, table: &str) -> bool {
    db.query_one_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = $1",
        [table.into()],
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap()
        == 1
}

/// SeaORM scripts (`execute_unprepared`) and statements without values (what
/// sea-orm-migration's `SchemaManager` sends through `execute`) run with
/// `continueAfterTimeout`, as Diesel's scripts and migrations do: a DDL statement past the
/// Data API's call timeout completes instead of being cancelled. A query with values is
/// still cancelled at the timeout.
#[test]
fn scripts_and_migration_statements_continue_after_timeout() {
    let (rt, _server, url) = custom_pg_server(DB, |c| {
        c.limits.statement_timeout = Duration::from_millis(300);
    });
    run(async {
        let native = DataApiConnection::connect(&url, DbBackend::Postgres)
            .await
            .unwrap();
        let proxy = connect_proxy(&url, DbBackend::Postgres).await.unwrap();
        let (script, statement, query) =
            (unique("sea_script"), unique("sea_stmt"), unique("sea_q"));
        let slow = |t: &str| format!("CREATE TABLE {t} AS SELECT 1 AS s FROM pg_sleep(0.8)");
        let e = native.execute_unprepared(&slow(&script)).await.unwrap_err();
        assert!(e.to_string().contains("StatementTimeout"), "{e}");
        let e = proxy
            .execute_raw(Statement::from_string(
                DbBackend::Postgres,
                slow(&statement),
            ))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("StatementTimeout"), "{e}");
        let e = native
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                format!("CREATE TABLE {query} AS SELECT $1::int AS s FROM pg_sleep(0.8)"),
                [1.into()],
            ))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("StatementTimeout"), "{e}");
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let exists = |t: String| {
            let native = native.clone();
            async move {
                native
                    .query_one_raw(Statement::from_string(
                        DbBackend::Postgres,
                        format!("SELECT to_regclass('{t}') IS NOT NULL AS e"),
                    ))
                    .await
                    .unwrap()
                    .unwrap()
                    .try_get::<bool>("", "e")
                    .unwrap()
            }
        };
        assert!(
            exists(script.clone()).await,
            "the script's statement completed"
        );
        assert!(
            exists(statement.clone()).await,
            "the migration-style statement completed"
        );
        assert!(!exists(query).await, "the query with values was cancelled");
        native
            .execute_unprepared(&format!("DROP TABLE {script}; DROP TABLE {statement}"))
            .await
            .unwrap();
    });
    drop(rt);
}
