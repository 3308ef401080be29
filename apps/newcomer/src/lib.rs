//! A new user's app on aurora-data-api, written only against the documented APIs of
//! diesel 2.4, diesel-async 0.10, diesel_migrations 2.4 and SeaORM 2.0: a notes table with a
//! status enum, migrations, sync and async Diesel, and SeaORM entities with a transaction and
//! a stream. One code path serves both engines through diesel 2.4's
//! `#[derive(MultiConnection)]`. `tests/both_engines.rs` runs it on PostgreSQL and MySQL
//! through the local Data API server.

use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// Any error of the app.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

pub mod schema {
    diesel::table! {
        newcomer_notes (id) {
            id -> Integer,
            title -> Text,
            status -> Text,
            created_at -> Timestamp,
        }
    }
}

use schema::newcomer_notes as notes;

/// A note's status, stored as text (diesel 2.4's `#[derive(diesel::types::Enum)]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::types::Enum)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[diesel(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Published,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = notes)]
pub struct Note {
    pub id: i32,
    pub title: String,
    pub status: Status,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = notes)]
pub struct NewNote<'a> {
    pub title: &'a str,
    pub status: Status,
}

/// One connection type for both engines.
#[derive(diesel::MultiConnection)]
pub enum AppConnection {
    Pg(DataApiPgConnection),
    Mysql(DataApiMysqlConnection),
}

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const MYSQL_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/mysql");

impl AppConnection {
    /// Runs the pending migrations of this engine; returns how many ran.
    pub fn migrate(&mut self) -> Result<usize, Error> {
        let source = match self {
            AppConnection::Pg(_) => PG_MIGRATIONS,
            AppConnection::Mysql(_) => MYSQL_MIGRATIONS,
        };
        Ok(self.run_pending_migrations(source)?.len())
    }
}

/// Adds drafts titled `titles` in one transaction; returns the notes whose titles start with
/// `prefix`, oldest first.
pub fn add_drafts(
    conn: &mut AppConnection,
    prefix: &str,
    titles: &[&str],
) -> Result<Vec<Note>, Error> {
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        for title in titles {
            diesel::insert_into(notes::table)
                .values(NewNote {
                    title,
                    status: Status::Draft,
                })
                .execute(conn)?;
        }
        Ok(())
    })?;
    Ok(notes::table
        .filter(notes::title.like(format!("{prefix}%")))
        .order(notes::id)
        .select(Note::as_select())
        .load(conn)?)
}

/// Publishes the note titled `title`; a transaction that fails half-way changes nothing.
pub fn publish(conn: &mut AppConnection, title: &str) -> Result<usize, Error> {
    let n = diesel::update(notes::table.filter(notes::title.eq(title)))
        .set(notes::status.eq(Status::Published))
        .execute(conn)?;
    let failed: Result<(), diesel::result::Error> = conn.transaction(|conn| {
        diesel::delete(notes::table.filter(notes::title.eq(title))).execute(conn)?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(failed.is_err());
    Ok(n)
}

/// The async side: the same table through diesel-async 0.10 (`#[diesel_async]`
/// MultiConnection over the async connections).
pub mod async_side {
    use super::*;
    use diesel_async::{AsyncConnection, RunQueryDsl};

    #[derive(diesel::MultiConnection)]
    #[diesel_async]
    pub enum AsyncAppConnection {
        Pg(AsyncDataApiPgConnection),
        Mysql(AsyncDataApiMysqlConnection),
    }

    /// Counts notes per status under `prefix`, in a read transaction.
    pub async fn counts(conn: &mut AsyncAppConnection, prefix: &str) -> Result<(i64, i64), Error> {
        let prefix = format!("{prefix}%");
        let counts = conn
            .transaction::<_, diesel::result::Error, _>(async |conn| {
                let count = async |conn: &mut AsyncAppConnection, status| {
                    notes::table
                        .filter(notes::title.like(&prefix))
                        .filter(notes::status.eq(status))
                        .count()
                        .get_result::<i64>(conn)
                        .await
                };
                Ok((
                    count(conn, Status::Draft).await?,
                    count(conn, Status::Published).await?,
                ))
            })
            .await?;
        Ok(counts)
    }
}

/// The SeaORM side: an entity over the same table, with the status as an active enum.
pub mod sea {
    use futures_util::TryStreamExt;
    use sea_orm::entity::prelude::*;
    use sea_orm::{DbErr, QueryOrder, Set, StreamTrait, TransactionTrait};

    #[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
    #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
    pub enum Status {
        #[sea_orm(string_value = "draft")]
        Draft,
        #[sea_orm(string_value = "published")]
        Published,
    }

    pub mod note {
        use sea_orm::entity::prelude::*;

        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = "newcomer_notes")]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i32,
            pub title: String,
            pub status: super::Status,
            pub created_at: DateTime,
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    }

    /// Inserts `titles` as published notes in one transaction, then streams every note under
    /// `prefix` back, oldest first.
    pub async fn publish_all<C>(
        db: &C,
        prefix: &str,
        titles: &[&str],
    ) -> Result<Vec<note::Model>, DbErr>
    where
        C: ConnectionTrait + TransactionTrait + StreamTrait,
    {
        let titles: Vec<String> = titles.iter().map(|t| String::from(*t)).collect();
        db.transaction::<_, (), DbErr>(|txn| {
            Box::pin(async move {
                for title in titles {
                    note::ActiveModel {
                        title: Set(title),
                        status: Set(Status::Published),
                        created_at: Set(chrono::Utc::now().naive_utc()),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                }
                Ok(())
            })
        })
        .await
        .map_err(|e| match e {
            sea_orm::TransactionError::Connection(e)
            | sea_orm::TransactionError::Transaction(e) => e,
        })?;
        note::Entity::find()
            .filter(note::Column::Title.starts_with(prefix))
            .order_by_asc(note::Column::Id)
            .stream(db)
            .await?
            .try_collect()
            .await
    }

    /// Every note under `prefix`, oldest first, read at once (SeaORM's proxy connections
    /// cannot stream: `stream` answers `DbErr::BackendNotSupported` there).
    pub async fn list<C: ConnectionTrait>(db: &C, prefix: &str) -> Result<Vec<note::Model>, DbErr> {
        note::Entity::find()
            .filter(note::Column::Title.starts_with(prefix))
            .order_by_asc(note::Column::Id)
            .all(db)
            .await
    }
}
