//! What SeaORM 2 adds or changes, over both faces (proxy `DatabaseConnection` and native
//! `DataApiConnection`) on both engines: `Value::Enum` (`rs_type = "Enum"` active enums, whose
//! PostgreSQL SQL is `$N::"type"`, and raw statements carrying `Value::Enum`), `Value::Array`
//! binds on PostgreSQL (`is_in` / `eq_any` style `= ANY($1)`), `count()` / paginator totals
//! read as `i64`, `exists()`, `begin_with_options`, and `*_raw` / `StatementBuilder` calls.
#![cfg(feature = "sea-orm")]

mod common;

use aurora_data_api::sea_orm::{connect_proxy, DataApiConnection};
use common::{mysql_url, pg_url, unique};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Enum, OptionEnum};
use sea_orm::{
    AccessMode, ActiveValue::NotSet, ConnectionTrait, DbBackend, IsolationLevel, PaginatorTrait,
    QueryOrder, Set, Statement, TransactionOptions, TransactionTrait,
};

const DB: &str = "dataapi_sea_orm_2";

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "Enum", db_type = "Enum", enum_name = "sea2_tea")]
pub enum Tea {
    #[sea_orm(string_value = "EverydayTea")]
    Everyday,
    #[sea_orm(string_value = "BreakfastTea")]
    Breakfast,
}

mod cup {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sea2_cup")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tag: String,
        pub tea: Option<super::Tea>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod vecs {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sea2_vec_cols")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub ints: Vec<i32>,
        pub texts: Vec<String>,
        pub maybe: Option<Vec<i64>>,
        pub holes: Vec<f64>,
        pub days: Vec<Date>,
        pub teas: Vec<super::Tea>,
        pub blobs: Vec<Vec<u8>>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

const PG_SCHEMA: &str =
    "DO $$ BEGIN CREATE TYPE sea2_tea AS ENUM ('EverydayTea', 'BreakfastTea'); \
    EXCEPTION WHEN duplicate_object THEN NULL; END $$; \
    CREATE TABLE IF NOT EXISTS sea2_cup (id SERIAL PRIMARY KEY, tag TEXT NOT NULL, tea sea2_tea); \
    CREATE TABLE IF NOT EXISTS sea2_vec_cols (id SERIAL PRIMARY KEY, ints INT4[] NOT NULL, \
    texts TEXT[] NOT NULL, maybe INT8[], holes FLOAT8[] NOT NULL, days DATE[] NOT NULL, \
    teas sea2_tea[] NOT NULL, blobs BYTEA[] NOT NULL)";
const MY_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS sea2_cup (id INT AUTO_INCREMENT PRIMARY KEY, \
    tag VARCHAR(64) NOT NULL, tea ENUM('EverydayTea', 'BreakfastTea'))";

/// The two faces of one engine, schema created.
async fn faces(backend: DbBackend) -> (sea_orm::DatabaseConnection, DataApiConnection) {
    let url = match backend {
        DbBackend::Postgres => pg_url(DB),
        _ => mysql_url(DB),
    };
    let native = DataApiConnection::connect(&url, backend).await.unwrap();
    let schema = match backend {
        DbBackend::Postgres => PG_SCHEMA,
        _ => MY_SCHEMA,
    };
    // Parallel tests may race on CREATE TYPE / TABLE IF NOT EXISTS; one retry settles it.
    if native.execute_unprepared(schema).await.is_err() {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        native.execute_unprepared(schema).await.unwrap();
    }
    (connect_proxy(&url, backend).await.unwrap(), native)
}

/// Inserts, filters, updates and reads `rs_type = "Enum"` values; raw statements with a
/// `Value::Enum`; `count()`, the paginator's total and `exists()`.
async fn enums_counts_exists<C: ConnectionTrait>(db: &C, face: &str) {
    let tag = unique(face);
    for tea in [
        Some(Tea::Everyday),
        Some(Tea::Breakfast),
        Some(Tea::Breakfast),
        None,
    ] {
        cup::ActiveModel {
            id: NotSet,
            tag: Set(tag.clone()),
            tea: Set(tea),
        }
        .insert(db)
        .await
        .unwrap();
    }
    let mine = || cup::Entity::find().filter(cup::Column::Tag.eq(&tag));
    let breakfast = mine()
        .filter(cup::Column::Tea.eq(Tea::Breakfast))
        .count(db)
        .await
        .unwrap();
    assert_eq!(breakfast, 2, "{face}");
    let all: Vec<Option<Tea>> = mine()
        .order_by_asc(cup::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.tea)
        .collect();
    assert_eq!(
        all,
        [
            Some(Tea::Everyday),
            Some(Tea::Breakfast),
            Some(Tea::Breakfast),
            None
        ],
        "{face}"
    );
    assert_eq!(
        mine().paginate(db, 3).num_items().await.unwrap(),
        4,
        "{face}"
    );
    assert_eq!(
        mine().paginate(db, 3).num_pages().await.unwrap(),
        2,
        "{face}"
    );
    assert!(
        mine()
            .filter(cup::Column::Tea.is_null())
            .exists(db)
            .await
            .unwrap(),
        "{face}"
    );
    assert!(
        !mine()
            .filter(cup::Column::Id.lt(0))
            .exists(db)
            .await
            .unwrap(),
        "{face}"
    );
    let updated = cup::Entity::update_many()
        .col_expr(cup::Column::Tea, Expr::value(Tea::Everyday))
        .filter(cup::Column::Tag.eq(&tag))
        .filter(cup::Column::Tea.eq(Tea::Breakfast))
        .exec(db)
        .await
        .unwrap();
    assert_eq!(updated.rows_affected, 2, "{face}");

    // SeaORM 2's update without RETURNING fails with RecordNotUpdated when no row counts as
    // affected; an update that changes nothing still matches its row (MySQL counts found rows,
    // as sqlx's MySQL driver does), so it succeeds, as over sqlx.
    let first = mine()
        .order_by_asc(cup::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let same = cup::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(first.id),
        tag: Set(first.tag.clone()),
        tea: Set(first.tea),
    }
    .update(db)
    .await
    .unwrap();
    assert_eq!(same, first, "{face}");
    let gone = cup::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(-1),
        tag: Set(tag.clone()),
        tea: Set(None),
    }
    .update(db)
    .await
    .unwrap_err();
    assert!(
        matches!(gone, sea_orm::DbErr::RecordNotUpdated),
        "{face}: {gone:?}"
    );

    // A raw statement carrying Value::Enum (sea-query-sqlx binds it as its label).
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT count(*) AS n FROM sea2_cup WHERE tag = $1 AND tea = $2",
        _ => "SELECT count(*) AS n FROM sea2_cup WHERE tag = ? AND tea = ?",
    };
    let label = Value::Enum(OptionEnum::Some(Box::new(Enum {
        type_name: "sea2_tea".into(),
        value: "EverydayTea".into(),
    })));
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [tag.clone().into(), label],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 3, "{face}");
    let null = Value::Enum(OptionEnum::None("sea2_tea".into()));
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [tag.clone().into(), null],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 0, "{face}");
}

#[test]
fn enums_counts_and_exists_postgres() {
    run(async {
        let (proxy, native) = faces(DbBackend::Postgres).await;
        enums_counts_exists(&proxy, "proxy").await;
        enums_counts_exists(&native, "native").await;
    });
}

#[test]
fn enums_counts_and_exists_mysql() {
    run(async {
        let (proxy, native) = faces(DbBackend::MySql).await;
        enums_counts_exists(&proxy, "proxy").await;
        enums_counts_exists(&native, "native").await;
    });
}

/// `Value::Array` binds: `is_in` on a PostgreSQL array parameter (`= ANY($1)`), arrays of
/// text with characters an array literal must quote, NULL elements, and an enum array.
async fn array_binds<C: ConnectionTrait>(db: &C, face: &str) {
    let tag = unique(face);
    let mut ids = Vec::new();
    for tea in [Some(Tea::Everyday), Some(Tea::Breakfast), None] {
        let m = cup::ActiveModel {
            id: NotSet,
            tag: Set(tag.clone()),
            tea: Set(tea),
        }
        .insert(db)
        .await
        .unwrap();
        ids.push(m.id);
    }
    let any = |values: Value| {
        Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT count(*) AS n FROM sea2_cup WHERE tag = $1 AND id = ANY($2)",
            [tag.clone().into(), values],
        )
    };
    let n = |row: Option<sea_orm::QueryResult>| row.unwrap().try_get::<i64>("", "n").unwrap();
    let two = Value::from(vec![ids[0], ids[2]]);
    assert_eq!(n(db.query_one_raw(any(two)).await.unwrap()), 2, "{face}");
    let none = Value::Array(sea_orm::sea_query::ArrayType::Int, Some(Box::new(vec![])));
    assert_eq!(n(db.query_one_raw(any(none)).await.unwrap()), 0, "{face}");
    let null = Value::Array(sea_orm::sea_query::ArrayType::Int, None);
    assert_eq!(n(db.query_one_raw(any(null)).await.unwrap()), 0, "{face}");

    let texts = vec![
        "plain".to_string(),
        "with \"quotes\", commas {braces} and \\ backslash".to_string(),
        "NULL".to_string(),
        String::new(),
    ];
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT array_length($1, 1) AS n, $1[2] AS second, $1[3] AS third, $1[4] AS fourth",
            [Value::from(texts.clone())],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i32>("", "n").unwrap(), 4, "{face}");
    assert_eq!(
        row.try_get::<String>("", "second").unwrap(),
        texts[1],
        "{face}"
    );
    // The string "NULL" stays a string (quoted in the literal), not a NULL element.
    assert_eq!(
        row.try_get::<String>("", "third").unwrap(),
        "NULL",
        "{face}"
    );
    assert_eq!(row.try_get::<String>("", "fourth").unwrap(), "", "{face}");

    // SeaORM 2's `eq_any`: `"tea" = ANY($1::"sea2_tea"[])` over an enum array, and over ids.
    let teas = cup::Entity::find()
        .filter(cup::Column::Tag.eq(&tag))
        .filter(cup::Column::Tea.eq_any([Tea::Breakfast, Tea::Everyday]))
        .count(db)
        .await
        .unwrap();
    assert_eq!(teas, 2, "{face}");
    let by_id = cup::Entity::find()
        .filter(cup::Column::Id.eq_any([ids[1], ids[2]]))
        .order_by_asc(cup::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert_eq!(
        by_id.iter().map(|m| m.tea).collect::<Vec<_>>(),
        [Some(Tea::Breakfast), None],
        "{face}"
    );
}

#[test]
fn array_binds_postgres() {
    run(async {
        let (proxy, native) = faces(DbBackend::Postgres).await;
        array_binds(&proxy, "proxy").await;
        array_binds(&native, "native").await;
    });
}

/// `begin_with_options` on the native face: isolation level and access mode reach the
/// database as with `begin_with_config`; SQLite's transaction mode does not apply.
#[test]
fn begin_with_options_on_the_native_face() {
    run(async {
        let (_, db) = faces(DbBackend::Postgres).await;
        let txn = db
            .begin_with_options(TransactionOptions {
                isolation_level: Some(IsolationLevel::RepeatableRead),
                access_mode: Some(AccessMode::ReadOnly),
                sqlite_transaction_mode: None,
            })
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
        assert_eq!(row.try_get::<String>("", "iso").unwrap(), "repeatable read");
        assert_eq!(row.try_get::<String>("", "ro").unwrap(), "on");
        txn.rollback().await.unwrap();

        let (_, db) = faces(DbBackend::MySql).await;
        let txn = db
            .begin_with_options(TransactionOptions {
                isolation_level: Some(IsolationLevel::Serializable),
                access_mode: None,
                sqlite_transaction_mode: None,
            })
            .await
            .unwrap();
        let n = txn
            .query_one_raw(Statement::from_string(DbBackend::MySql, "SELECT 1 AS n"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n.try_get::<i32>("", "n").unwrap(), 1);
        txn.commit().await.unwrap();
        // Read only reaches MySQL too: a write in the transaction is refused.
        let txn = db
            .begin_with_options(TransactionOptions {
                access_mode: Some(AccessMode::ReadOnly),
                ..TransactionOptions::default()
            })
            .await
            .unwrap();
        let write = cup::ActiveModel {
            id: NotSet,
            tag: Set(unique("ro")),
            tea: Set(None),
        }
        .insert(&txn)
        .await
        .unwrap_err();
        assert_eq!(
            aurora_data_api::sea_orm::error_kind(&write),
            Some(diesel::result::DatabaseErrorKind::ReadOnlyTransaction),
            "{write}"
        );
        txn.rollback().await.unwrap();
    });
}

/// `Vec<T>` entity fields over PostgreSQL array columns: written through `Value::Array`
/// binds, read back as `Value::Array` rows, on both faces, and the same as SeaORM over sqlx
/// reads the same rows.
#[test]
fn vec_columns_round_trip_as_with_sqlx() {
    run(async {
        let (proxy, native) = faces(DbBackend::Postgres).await;
        let sqlx = sea_orm::Database::connect(common::pg_native_url(DB))
            .await
            .unwrap();
        let model = |n: i32| vecs::ActiveModel {
            id: NotSet,
            ints: Set(vec![n, -n, i32::MAX]),
            texts: Set(vec![
                "a \"quoted\" {x}".into(),
                "NULL".into(),
                String::new(),
                "é,\\".into(),
            ]),
            maybe: Set(if n % 2 == 0 {
                None
            } else {
                Some(vec![i64::MIN, 0])
            }),
            holes: Set(vec![1.5, -0.0, f64::MAX]),
            days: Set(vec![chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()]),
            teas: Set(vec![Tea::Breakfast, Tea::Everyday]),
            blobs: Set(vec![vec![0, 1, 0xff], vec![], b"\\x00".to_vec()]),
        };
        let empty = vecs::ActiveModel {
            ints: Set(vec![]),
            texts: Set(vec![]),
            maybe: Set(Some(vec![])),
            holes: Set(vec![]),
            days: Set(vec![]),
            teas: Set(vec![]),
            blobs: Set(vec![]),
            ..model(0)
        };
        for (face, db) in [("proxy", &proxy as &dyn std::any::Any), ("native", &native)] {
            let mut ids = Vec::new();
            for am in [model(1), model(2), empty.clone()] {
                let inserted = match face {
                    "proxy" => {
                        am.insert(db.downcast_ref::<sea_orm::DatabaseConnection>().unwrap())
                            .await
                    }
                    _ => {
                        am.insert(db.downcast_ref::<DataApiConnection>().unwrap())
                            .await
                    }
                }
                .unwrap();
                ids.push(inserted.id);
            }
            for id in ids {
                let ours = match face {
                    "proxy" => {
                        vecs::Entity::find_by_id(id)
                            .one(db.downcast_ref::<sea_orm::DatabaseConnection>().unwrap())
                            .await
                    }
                    _ => {
                        vecs::Entity::find_by_id(id)
                            .one(db.downcast_ref::<DataApiConnection>().unwrap())
                            .await
                    }
                }
                .unwrap()
                .unwrap();
                let oracle = vecs::Entity::find_by_id(id)
                    .one(&sqlx)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(ours, oracle, "{face}");
            }
        }
        // Filtering on an array column with an array value.
        let found = vecs::Entity::find()
            .filter(vecs::Column::Ints.eq(vec![2, -2, i32::MAX]))
            .count(&native)
            .await
            .unwrap();
        assert!(found >= 2);
    });
}

/// SeaORM 2's `transaction_async(async |txn| …)` on the native face: committed on `Ok`,
/// rolled back on `Err`, and a nested one is a savepoint.
#[test]
fn transaction_async_on_the_native_face() {
    run(async {
        for backend in [DbBackend::Postgres, DbBackend::MySql] {
            let (_, db) = faces(backend).await;
            let tag = unique("async_txn");
            let add = async |txn: &aurora_data_api::sea_orm::DataApiTransaction, tea| {
                cup::ActiveModel {
                    id: NotSet,
                    tag: Set(tag.clone()),
                    tea: Set(tea),
                }
                .insert(txn)
                .await
                .map(drop)
            };
            db.transaction_async::<_, (), DbErr>(async |txn| {
                add(txn, Some(Tea::Everyday)).await?;
                let inner = txn
                    .transaction_async::<_, (), DbErr>(async |sp| {
                        add(sp, Some(Tea::Breakfast)).await?;
                        Err(DbErr::Custom("undo the savepoint".into()))
                    })
                    .await;
                assert!(matches!(
                    inner,
                    Err(sea_orm::TransactionError::Transaction(_))
                ));
                Ok(())
            })
            .await
            .unwrap();
            let failed = db
                .transaction_with_config_async::<_, (), DbErr>(
                    async |txn| {
                        add(txn, None).await?;
                        Err(DbErr::Custom("undo".into()))
                    },
                    Some(IsolationLevel::ReadCommitted),
                    None,
                )
                .await;
            assert!(matches!(
                failed,
                Err(sea_orm::TransactionError::Transaction(_))
            ));
            let kept: Vec<Option<Tea>> = cup::Entity::find()
                .filter(cup::Column::Tag.eq(&tag))
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.tea)
                .collect();
            assert_eq!(kept, [Some(Tea::Everyday)], "{backend:?}");
        }
    });
}
