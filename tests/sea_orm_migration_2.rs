//! sea-orm-migration 2 over the proxy connection, on both engines: one transaction per
//! migration (a failing migration leaves the earlier ones applied and recorded, and nothing
//! of itself), `use_transaction() == Some(false)` on PostgreSQL (autocommit: what ran before
//! the failure stays), `Some(true)` on MySQL (its statements run in a Data API transaction
//! and are rolled back with it).
#![cfg(feature = "sea-orm")]

mod common;

use aurora_data_api::sea_orm::connect_proxy;
use common::{mysql_url, pg_url, unique};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use sea_orm_migration::prelude::*;

const DB: &str = "dataapi_sea_migration_2";

/// A migration running `sql` (statements separated by `;`), in a transaction or not.
struct Step {
    name: String,
    sql: String,
    transaction: Option<bool>,
}

impl MigrationName for Step {
    fn name(&self) -> &str {
        &self.name
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Step {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for sql in self.sql.split(';').filter(|s| !s.trim().is_empty()) {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        self.transaction
    }
}

/// Runs `steps` with `Migrator::up` on a migration table of their own.
async fn up(db: &DatabaseConnection, table: &str, steps: Vec<Step>) -> Result<(), DbErr> {
    struct Migrator;
    thread_local! {
        static PLAN: std::cell::RefCell<Option<(String, Vec<Step>)>> = const { std::cell::RefCell::new(None) };
    }
    #[async_trait::async_trait]
    impl MigratorTrait for Migrator {
        fn migrations() -> Vec<Box<dyn MigrationTrait>> {
            PLAN.with(|p| {
                p.borrow()
                    .as_ref()
                    .map(|(_, steps)| {
                        steps
                            .iter()
                            .map(|s| {
                                Box::new(Step {
                                    name: s.name.clone(),
                                    sql: s.sql.clone(),
                                    transaction: s.transaction,
                                }) as Box<dyn MigrationTrait>
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
        }

        fn migration_table_name() -> DynIden {
            let name = PLAN.with(|p| {
                p.borrow()
                    .as_ref()
                    .map(|(t, _)| t.clone())
                    .unwrap_or_default()
            });
            Alias::new(name).into_iden()
        }
    }
    PLAN.with(|p| *p.borrow_mut() = Some((table.to_owned(), steps)));
    Migrator::up(db, None).await
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn step(name: &str, sql: String, transaction: Option<bool>) -> Step {
    Step {
        name: name.into(),
        sql,
        transaction,
    }
}

#[test]
fn one_transaction_per_migration_on_postgres() {
    run(async {
        let db = connect_proxy(&pg_url(DB), DbBackend::Postgres)
            .await
            .unwrap();
        let t = unique("mig2");
        let table = format!("{t}_versions");
        let e = up(
            &db,
            &table,
            vec![
                step("m1_first", format!("CREATE TABLE {t}_a (id INT)"), None),
                step(
                    "m2_fails",
                    format!("CREATE TABLE {t}_b (id INT); SELECT * FROM {t}_missing"),
                    None,
                ),
            ],
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let tables = |name: String| {
            format!(
                "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '{name}'"
            )
        };
        // The first migration is applied and recorded; nothing of the second.
        assert_eq!(count(&db, &tables(format!("{t}_a"))).await, 1);
        assert_eq!(count(&db, &tables(format!("{t}_b"))).await, 0);
        assert_eq!(
            count(&db, &format!("SELECT count(*) AS n FROM {table}")).await,
            1
        );

        // use_transaction() == Some(false): autocommit, what ran before the failure stays.
        let e = up(
            &db,
            &table,
            vec![
                step("m1_first", String::new(), None),
                step(
                    "m2_fails",
                    format!("CREATE TABLE {t}_c (id INT); SELECT * FROM {t}_missing"),
                    Some(false),
                ),
            ],
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        assert_eq!(count(&db, &tables(format!("{t}_c"))).await, 1);
        assert_eq!(
            count(&db, &format!("SELECT count(*) AS n FROM {table}")).await,
            1
        );
    });
}

#[test]
fn use_transaction_on_mysql() {
    run(async {
        let db = connect_proxy(&mysql_url(DB), DbBackend::MySql)
            .await
            .unwrap();
        let t = unique("mig2");
        let table = format!("{t}_versions");
        db.execute_unprepared(&format!(
            "CREATE TABLE {t}_rows (id INT PRIMARY KEY) ENGINE = InnoDB"
        ))
        .await
        .unwrap();
        // In a transaction (Some(true) begins one on MySQL too): the insert is rolled back.
        let e = up(
            &db,
            &table,
            vec![step(
                "m1_fails",
                format!("INSERT INTO {t}_rows VALUES (1); SELECT * FROM {t}_missing"),
                Some(true),
            )],
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("doesn't exist"), "{e}");
        assert_eq!(
            count(&db, &format!("SELECT count(*) AS n FROM {t}_rows")).await,
            0
        );
        // MySQL's default (no transaction): the insert before the failure stays.
        let e = up(
            &db,
            &table,
            vec![step(
                "m1_fails",
                format!("INSERT INTO {t}_rows VALUES (2); SELECT * FROM {t}_missing"),
                None,
            )],
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("doesn't exist"), "{e}");
        assert_eq!(
            count(&db, &format!("SELECT count(*) AS n FROM {t}_rows")).await,
            1
        );
    });
}
