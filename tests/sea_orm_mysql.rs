//! SeaORM on Aurora MySQL (here MariaDB) through the local Data API server: both faces, every
//! value type (incl. unsigned integers, BINARY(16) UUIDs and MariaDB's LONGTEXT JSON), CRUD
//! with `last_insert_id` from `generatedFields`, relations, pagination, transactions, enums,
//! errors, migrations, and a differential check of the decoded values against a native
//! driver (diesel-async's `AsyncMysqlConnection`, for the reason given in `sea_orm_pg.rs`).
//!
//! Tables are created once per run if missing in database `dataapi_sea_my`; every test works
//! on rows tagged with its own unique tag.
#![cfg(feature = "sea-orm")]

mod common;

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use aurora_data_api::client::DataApiClient;
use aurora_data_api::config::DataApiConfig;
use aurora_data_api::sea_orm::{
    connect_proxy, error_kind, sql_err, DataApiConnection, DataApiProxy, TypeOptions,
};
use bigdecimal::BigDecimal;
use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};
use common::{mysql_native_url, mysql_url, unique};
use diesel::result::DatabaseErrorKind;
use sea_orm::entity::prelude::*;
use sea_orm::{
    AccessMode, ActiveValue::NotSet, ConnectionTrait, DatabaseConnection, DbBackend,
    IsolationLevel, QueryOrder, QuerySelect, Set, SqlErr, Statement, TransactionError,
    TransactionTrait,
};

const DB: &str = "dataapi_sea_my";
const BACKEND: DbBackend = DbBackend::MySql;

/// Every value type, nullable, so both values and typed NULLs are checked.
mod kinds {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sea_kinds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tag: String,
        pub b: Option<bool>,
        pub i1: Option<i8>,
        pub i2: Option<i16>,
        pub i4: Option<i32>,
        pub i8: Option<i64>,
        pub u1: Option<u8>,
        pub u2: Option<u16>,
        pub u4: Option<u32>,
        pub u8: Option<u64>,
        pub f4: Option<f32>,
        pub f8: Option<f64>,
        #[sea_orm(column_type = "Decimal(Some((40, 12)))", nullable)]
        pub dec: Option<BigDecimal>,
        pub txt: Option<String>,
        pub bytes: Option<Vec<u8>>,
        pub js: Option<Json>,
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
const MOOD_TYPE: &str = "mood";

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "mood")]
pub enum Mood {
    #[sea_orm(string_value = "happy")]
    Happy,
    #[sea_orm(string_value = "sad")]
    Sad,
    #[sea_orm(string_value = "so-so")]
    SoSo,
}

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS sea_author (
    id INT AUTO_INCREMENT PRIMARY KEY, tag VARCHAR(100) NOT NULL, name VARCHAR(100) NOT NULL,
    email VARCHAR(200) UNIQUE, born DATE) ENGINE = InnoDB;
CREATE TABLE IF NOT EXISTS sea_book (
    id INT AUTO_INCREMENT PRIMARY KEY, tag VARCHAR(100) NOT NULL, author_id INT NOT NULL,
    title VARCHAR(200) NOT NULL, price DECIMAL(10, 2), mood ENUM('happy', 'sad', 'so-so') NOT NULL,
    FOREIGN KEY (author_id) REFERENCES sea_author (id) ON DELETE CASCADE) ENGINE = InnoDB;
CREATE TABLE IF NOT EXISTS sea_kinds (
    id BINARY(16) PRIMARY KEY, tag VARCHAR(100) NOT NULL, b BOOL, i1 TINYINT, i2 SMALLINT,
    i4 INT, i8 BIGINT, u1 TINYINT UNSIGNED, u2 SMALLINT UNSIGNED, u4 INT UNSIGNED,
    u8 BIGINT UNSIGNED, f4 FLOAT, f8 DOUBLE, `dec` DECIMAL(40, 12), txt TEXT, bytes BLOB,
    js JSON, d DATE, t TIME(6), ts DATETIME(6), tstz TIMESTAMP(6) NULL, u BINARY(16),
    mood ENUM('happy', 'sad', 'so-so')) ENGINE = InnoDB;
"#;

/// Runs `f` on a runtime of its own.
fn run<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn schema() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        run(async {
            native().await.execute_unprepared(SCHEMA).await.unwrap();
        })
    });
}

/// The entities are registered, as an application with plain LONGTEXT JSON columns would do
/// (data-api-local reports MariaDB's JSON alias as `JSON`, as Aurora MySQL does, so JSON
/// columns decode as JSON without it too: see `unregistered_mariadb_json_reads_as_json`).
fn types() -> TypeOptions {
    TypeOptions::new().entity::<kinds::Entity>()
}

async fn client() -> DataApiClient {
    DataApiClient::from_config(&DataApiConfig::from_url(&mysql_url(DB)).unwrap()).await
}

async fn proxy() -> DatabaseConnection {
    DataApiProxy::with_types(client().await, BACKEND, types())
        .unwrap()
        .into_connection()
}

async fn native() -> DataApiConnection {
    DataApiConnection::with_types(client().await, BACKEND, types()).unwrap()
}

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
        id: Uuid::from_u128(rand_u128()),
        tag: tag.to_owned(),
        b: Some(true),
        i1: Some(-128),
        i2: Some(-32768),
        i4: Some(2_147_483_647),
        i8: Some(-9_007_199_254_740_993),
        u1: Some(255),
        u2: Some(65535),
        u4: Some(4_294_967_295),
        u8: Some(u64::MAX),
        f4: Some(3.25),
        f8: Some(0.1),
        dec: Some("-1234567890123456789.000123456789".parse().unwrap()),
        txt: Some("héllo 'quoted' ? :p1 \\ backslash".into()),
        bytes: Some(vec![0, 1, 2, 255]),
        js: Some(serde_json::json!({"a": [1, 2.5, {"b": null}], "é": "ü"})),
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
        u: Some(Uuid::from_u128(rand_u128())),
        mood: Some(Mood::SoSo),
    }
}

fn empty_kinds(tag: &str) -> kinds::Model {
    kinds::Model {
        id: Uuid::from_u128(rand_u128()),
        tag: tag.to_owned(),
        b: None,
        i1: None,
        i2: None,
        i4: None,
        i8: None,
        u1: None,
        u2: None,
        u4: None,
        u8: None,
        f4: None,
        f8: None,
        dec: None,
        txt: None,
        bytes: None,
        js: None,
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
        kinds::ActiveModel::from(model.clone())
            .insert(db)
            .await
            .unwrap();
        let found = kinds::Entity::find_by_id(model.id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found, model, "{face}: SELECT");
        if let Some(u) = model.u {
            let by_value = kinds::Entity::find()
                .filter(kinds::Column::U.eq(u))
                .filter(kinds::Column::U8.eq(u64::MAX))
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

/// Without the entity registered, a MariaDB JSON column (a LONGTEXT with a `json_valid`
/// check) still decodes as JSON: data-api-local reports its `typeName` as `JSON`, as Aurora
/// MySQL does, so the value is never a silent NULL.
#[test]
fn unregistered_mariadb_json_reads_as_json() {
    schema();
    run(async {
        let tag = unique("json");
        let model = full_kinds(&tag);
        assert!(model.js.is_some());
        let db = native().await;
        kinds::ActiveModel::from(model.clone())
            .insert(&db)
            .await
            .unwrap();
        let plain = connect_proxy(&mysql_url(DB), BACKEND).await.unwrap();
        let found = kinds::Entity::find_by_id(model.id)
            .one(&plain)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.js, model.js);
        assert_eq!(found.txt, model.txt);
    });
}

/// The same rows through a native driver (diesel-async over mysql_async).
async fn differential(tag: &str) {
    use diesel::sql_types::{
        BigInt, Binary, Blob, Bool, Date as DDate, Datetime, Double, Float, Integer, Nullable,
        Numeric, SmallInt, Text, Time as DTime, TinyInt, Unsigned,
    };
    use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl};

    #[derive(diesel::QueryableByName, Debug)]
    struct Raw {
        #[diesel(sql_type = Binary)]
        id: Vec<u8>,
        #[diesel(sql_type = Nullable<Bool>)]
        b: Option<bool>,
        #[diesel(sql_type = Nullable<TinyInt>)]
        i1: Option<i8>,
        #[diesel(sql_type = Nullable<SmallInt>)]
        i2: Option<i16>,
        #[diesel(sql_type = Nullable<Integer>)]
        i4: Option<i32>,
        #[diesel(sql_type = Nullable<BigInt>)]
        i8: Option<i64>,
        #[diesel(sql_type = Nullable<Unsigned<TinyInt>>)]
        u1: Option<u8>,
        #[diesel(sql_type = Nullable<Unsigned<SmallInt>>)]
        u2: Option<u16>,
        #[diesel(sql_type = Nullable<Unsigned<Integer>>)]
        u4: Option<u32>,
        #[diesel(sql_type = Nullable<Unsigned<BigInt>>)]
        u8: Option<u64>,
        #[diesel(sql_type = Nullable<Float>)]
        f4: Option<f32>,
        #[diesel(sql_type = Nullable<Double>)]
        f8: Option<f64>,
        #[diesel(sql_type = Nullable<Numeric>)]
        dec: Option<BigDecimal>,
        #[diesel(sql_type = Nullable<Text>)]
        txt: Option<String>,
        #[diesel(sql_type = Nullable<Blob>)]
        bytes: Option<Vec<u8>>,
        #[diesel(sql_type = Nullable<Text>)]
        js: Option<String>,
        #[diesel(sql_type = Nullable<DDate>)]
        d: Option<NaiveDate>,
        #[diesel(sql_type = Nullable<DTime>)]
        t: Option<NaiveTime>,
        #[diesel(sql_type = Nullable<Datetime>)]
        ts: Option<chrono::NaiveDateTime>,
        #[diesel(sql_type = Nullable<Datetime>)]
        tstz: Option<chrono::NaiveDateTime>,
        #[diesel(sql_type = Nullable<Binary>)]
        u: Option<Vec<u8>>,
        #[diesel(sql_type = Nullable<Text>)]
        mood: Option<String>,
    }

    let mut oracle = AsyncMysqlConnection::establish(&mysql_native_url(DB))
        .await
        .unwrap();
    // The Data API's MySQL sessions run in UTC; the oracle's session is set to match.
    diesel::sql_query("SET time_zone = '+00:00'")
        .execute(&mut oracle)
        .await
        .unwrap();
    let raw: Vec<Raw> = diesel::sql_query(
        "SELECT id, b, i1, i2, i4, i8, u1, u2, u4, u8, f4, f8, `dec`, txt, bytes, js, d, t, ts, \
         tstz, u, mood FROM sea_kinds WHERE tag = ?",
    )
    .bind::<Text, _>(tag)
    .load(&mut oracle)
    .await
    .unwrap();
    assert_eq!(raw.len(), 2);
    let db = native().await;
    for r in raw {
        let id = Uuid::from_slice(&r.id).unwrap();
        let m = kinds::Entity::find_by_id(id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.b, r.b);
        assert_eq!(m.i1, r.i1);
        assert_eq!(m.i2, r.i2);
        assert_eq!(m.i4, r.i4);
        assert_eq!(m.i8, r.i8);
        assert_eq!(m.u1, r.u1);
        assert_eq!(m.u2, r.u2);
        assert_eq!(m.u4, r.u4);
        assert_eq!(m.u8, r.u8);
        assert_eq!(m.f4.map(f32::to_bits), r.f4.map(f32::to_bits));
        assert_eq!(m.f8.map(f64::to_bits), r.f8.map(f64::to_bits));
        assert_eq!(m.dec.map(|d| d.to_string()), r.dec.map(|d| d.to_string()));
        assert_eq!(m.txt, r.txt);
        assert_eq!(m.bytes, r.bytes);
        assert_eq!(m.js, r.js.map(|j| serde_json::from_str(&j).unwrap()));
        assert_eq!(m.d, r.d);
        assert_eq!(m.t, r.t);
        assert_eq!(m.ts, r.ts);
        assert_eq!(m.tstz.map(|t| t.naive_utc()), r.tstz);
        assert_eq!(m.u.map(|u| u.as_bytes().to_vec()), r.u);
        assert_eq!(m.mood.map(|m| m.to_value()), r.mood);
    }
}

mod sea_orm_shared;
use sea_orm_shared::{add_author, add_author_result, author};

#[test]
fn native_transactions_forward_access_mode() {
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
        let write = add_author_result(&txn, &unique("ro"), "nope")
            .await
            .unwrap_err();
        assert_eq!(
            error_kind(&write),
            Some(DatabaseErrorKind::ReadOnlyTransaction),
            "{write}"
        );
        txn.rollback().await.unwrap();
    });
}

#[test]
fn last_insert_id_comes_from_generated_fields() {
    schema();
    run(async {
        let tag = unique("ids");
        for db in [&proxy().await as &dyn Probe, &native().await as &dyn Probe] {
            db.check(&tag).await;
        }
    });
}

/// Object-safe access to both faces for the `last_insert_id` check.
#[async_trait::async_trait]
trait Probe: Sync {
    async fn check(&self, tag: &str);
}

#[async_trait::async_trait]
impl<C: ConnectionTrait> Probe for C {
    async fn check(&self, tag: &str) {
        let am = |name: &str| author::ActiveModel {
            id: NotSet,
            tag: Set(tag.into()),
            name: Set(name.into()),
            email: Set(None),
            born: Set(None),
        };
        let one = author::Entity::insert(am("one")).exec(self).await.unwrap();
        let many = author::Entity::insert_many([am("two"), am("three")])
            .exec(self)
            .await
            .unwrap();
        // MySQL reports the first id of a multi-row insert.
        assert_eq!(many.last_insert_id, Some(one.last_insert_id + 1));
        let found = author::Entity::find_by_id(one.last_insert_id)
            .one(self)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.name, "one");
    }
}

#[test]
fn failed_begin_is_an_error() {
    schema();
    run(async {
        let url = mysql_url(DB).replace("cluster:lib-mariadb", "cluster:no-such-cluster");
        let native = DataApiConnection::connect(&url, BACKEND).await.unwrap();
        assert!(native.begin().await.is_err());
        let r = native
            .transaction::<_, (), DbErr>(|_| Box::pin(async { Ok(()) }))
            .await;
        assert!(matches!(r, Err(TransactionError::Connection(_))), "{r:?}");

        let proxy = connect_proxy(&url, BACKEND).await.unwrap();
        let txn = proxy.begin().await.unwrap();
        let e = txn
            .execute_raw(Statement::from_string(BACKEND, "SELECT 1"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("could not begin"), "{e}");
        txn.commit().await.unwrap();
        let next = proxy
            .execute_raw(Statement::from_string(BACKEND, "SELECT 1"))
            .await
            .unwrap_err();
        assert!(next.to_string().contains("COMMIT failed"), "{next}");
    });
}

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
        assert!(query()
            .into_tuple::<(String, i32)>()
            .one(&proxy().await)
            .await
            .is_err());
    });
}

#[test]
fn bad_input_is_a_typed_error() {
    schema();
    run(async {
        let db = native().await;
        let e = db
            .query_all_raw(Statement::from_sql_and_values(
                BACKEND,
                "SELECT ?, ?",
                [1i32.into()],
            ))
            .await
            .unwrap_err();
        assert!(matches!(e, DbErr::Type(_)), "{e}");
        let e = db
            .query_all_raw(Statement::from_sql_and_values(
                BACKEND,
                "SELECT ?",
                [f64::NAN.into()],
            ))
            .await
            .unwrap_err();
        assert!(matches!(e, DbErr::Type(_)), "{e}");
        let e = db
            .execute_raw(Statement::from_string(BACKEND, "SELEC 1"))
            .await
            .unwrap_err();
        assert!(matches!(e, DbErr::Exec(_)), "{e}");
        db.execute_unprepared("SELECT 1; SELECT '; still one'; # done")
            .await
            .unwrap();
    });
}

mod migration {
    use sea_orm_migration::prelude::*;

    pub struct Migrator;

    #[async_trait::async_trait]
    impl MigratorTrait for Migrator {
        fn migration_table_name() -> DynIden {
            Alias::new("sea_my_migrations").into_iden()
        }

        fn migrations() -> Vec<Box<dyn MigrationTrait>> {
            vec![Box::new(CreateTag), Box::new(CreateNote)]
        }
    }

    struct CreateTag;

    impl MigrationName for CreateTag {
        fn name(&self) -> &str {
            "m0001_create_tag"
        }
    }

    #[async_trait::async_trait]
    impl MigrationTrait for CreateTag {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
                                .enumeration(
                                    Alias::new("level"),
                                    [Alias::new("low"), Alias::new("high")],
                                )
                                .not_null(),
                        )
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .drop_table(Table::drop().table(Alias::new("sea_mig_tag")).to_owned())
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
                        .col(ColumnDef::new(Alias::new("body")).json())
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

/// MySQL DDL commits implicitly, so each migration's DDL is permanent even if a later step
/// fails; the test therefore starts by migrating everything down.
#[test]
fn sea_orm_migration_runs_over_the_proxy() {
    use sea_orm_migration::MigratorTrait;
    schema();
    run(async {
        let db = proxy().await;
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
            BACKEND,
            "INSERT INTO sea_mig_tag (name, level) VALUES (?, ?)",
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

/// Whether `table` exists in the current database (sea-orm-migration's own `has_table`
/// needs its sqlx features).
async fn has_table(db: &DatabaseConnection, table: &str) -> bool {
    db.query_one_raw(Statement::from_sql_and_values(
        BACKEND,
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
        [table.into()],
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get::<i64>("", "n")
    .unwrap()
        == 1
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
