//! SeaORM 2's `#[sea_orm::model]` cascading saves (`ActiveModelEx`), which always `begin` a
//! transaction of their own: over the proxy `DatabaseConnection` and the native
//! `DataApiConnection`, at top level and inside an open transaction (where that `begin` is a
//! savepoint), on both engines. A cascade that fails half-way leaves nothing behind.
#![cfg(feature = "sea-orm")]

mod common;

use aurora_data_api::sea_orm::{connect_proxy, DataApiConnection};
use common::{mysql_url, pg_url, unique};
use sea_orm::entity::prelude::*;
use sea_orm::{ConnectionTrait, DbBackend, TransactionSession, TransactionTrait};

const DB: &str = "dataapi_sea_cascade";

mod writer {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sea2_writer")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        #[sea_orm(has_many)]
        pub notes: HasMany<super::note::Entity>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

mod note {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sea2_note")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub writer_id: i32,
        #[sea_orm(unique)]
        pub title: String,
        #[sea_orm(belongs_to, from = "writer_id", to = "id")]
        pub writer: BelongsTo<super::writer::Entity>,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

const PG_SCHEMA: &str =
    "CREATE TABLE IF NOT EXISTS sea2_writer (id SERIAL PRIMARY KEY, name TEXT NOT NULL); \
    CREATE TABLE IF NOT EXISTS sea2_note (id SERIAL PRIMARY KEY, \
    writer_id INT NOT NULL REFERENCES sea2_writer (id), title TEXT NOT NULL UNIQUE)";
const MY_SCHEMA: &str = "CREATE TABLE IF NOT EXISTS sea2_writer (id INT AUTO_INCREMENT PRIMARY KEY, \
    name VARCHAR(128) NOT NULL) ENGINE = InnoDB; \
    CREATE TABLE IF NOT EXISTS sea2_note (id INT AUTO_INCREMENT PRIMARY KEY, writer_id INT NOT NULL, \
    title VARCHAR(128) NOT NULL UNIQUE, FOREIGN KEY (writer_id) REFERENCES sea2_writer (id)) ENGINE = InnoDB";

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

async fn writers_named<C: ConnectionTrait>(db: &C, name: &str) -> usize {
    writer::Entity::find()
        .filter(writer::Column::Name.eq(name))
        .all(db)
        .await
        .unwrap()
        .len()
}

async fn cascades<C>(db: &C, face: &str)
where
    C: ConnectionTrait + TransactionTrait,
{
    // A note with a new writer: both inserted, the note pointing at the writer.
    let name = unique(face);
    let saved = note::ActiveModel::builder()
        .set_title(format!("{name} first"))
        .set_writer(writer::ActiveModel::builder().set_name(name.clone()))
        .save(db)
        .await
        .unwrap();
    let note = note::Entity::find_by_id(saved.id.clone().unwrap())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let author = writer::Entity::find_by_id(note.writer_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(author.name, name, "{face}");

    // The same inside an open transaction (the cascade's begin is a savepoint), rolled back.
    let inner = unique(face);
    let txn = db.begin().await.unwrap();
    note::ActiveModel::builder()
        .set_title(format!("{inner} rolled back"))
        .set_writer(writer::ActiveModel::builder().set_name(inner.clone()))
        .save(&txn)
        .await
        .unwrap();
    assert_eq!(writers_named(&txn, &inner).await, 1, "{face}");
    txn.rollback().await.unwrap();
    assert_eq!(writers_named(db, &inner).await, 0, "{face}");

    // A cascade failing half-way (the note's title is taken): the new writer is not kept,
    // at top level and inside a transaction that then goes on and commits.
    let failed = unique(face);
    let e = note::ActiveModel::builder()
        .set_title(format!("{name} first"))
        .set_writer(writer::ActiveModel::builder().set_name(failed.clone()))
        .save(db)
        .await
        .unwrap_err();
    assert!(
        aurora_data_api::sea_orm::sql_err(&e).is_some(),
        "{face}: {e}"
    );
    assert_eq!(writers_named(db, &failed).await, 0, "{face}");

    let txn = db.begin().await.unwrap();
    let kept = unique(face);
    writer::ActiveModel::builder()
        .set_name(kept.clone())
        .save(&txn)
        .await
        .unwrap();
    note::ActiveModel::builder()
        .set_title(format!("{name} first"))
        .set_writer(writer::ActiveModel::builder().set_name(failed.clone()))
        .save(&txn)
        .await
        .unwrap_err();
    txn.commit().await.unwrap();
    assert_eq!(writers_named(db, &kept).await, 1, "{face}");
    assert_eq!(writers_named(db, &failed).await, 0, "{face}");
}

#[test]
fn cascading_saves_postgres() {
    run(async {
        let native = DataApiConnection::connect(&pg_url(DB), DbBackend::Postgres)
            .await
            .unwrap();
        if native.execute_unprepared(PG_SCHEMA).await.is_err() {
            native.execute_unprepared(PG_SCHEMA).await.unwrap();
        }
        cascades(
            &connect_proxy(&pg_url(DB), DbBackend::Postgres)
                .await
                .unwrap(),
            "proxy",
        )
        .await;
        cascades(&native, "native").await;
    });
}

#[test]
fn cascading_saves_mysql() {
    run(async {
        let native = DataApiConnection::connect(&mysql_url(DB), DbBackend::MySql)
            .await
            .unwrap();
        native.execute_unprepared(MY_SCHEMA).await.unwrap();
        cascades(
            &connect_proxy(&mysql_url(DB), DbBackend::MySql)
                .await
                .unwrap(),
            "proxy",
        )
        .await;
        cascades(&native, "native").await;
    });
}
