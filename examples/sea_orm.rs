//! SeaORM on the RDS Data API, entirely on this machine.
//!
//! 1. starts the local Data API server in-process over PostgreSQL,
//! 2. opens the drop-in proxy `DatabaseConnection` and the native `DataApiConnection`,
//! 3. creates two tables (authors and their books) and runs CRUD, a relation query,
//!    pagination and a transaction, printing results.
//!
//! Run: `cargo run --example sea_orm` (PostgreSQL at postgres://postgres@127.0.0.1/test, or set
//! TEST_POSTGRES_URL). Against real Aurora only the URL changes (no `endpoint`).

use aurora_data_api::sea_orm::{connect_proxy, DataApiConnection};
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, DbBackend, QueryOrder, Set, TransactionTrait};

const CLUSTER_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:sea-example";
const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:sea-example-AbCdEf";

mod author {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "example_author")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub born: Option<Date>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(has_many = "super::book::Entity")]
        Book,
    }

    impl Related<super::book::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Book.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

mod book {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "example_book")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub author_id: i32,
        pub title: String,
        #[sea_orm(column_type = "Decimal(Some((10, 2)))", nullable)]
        pub price: Option<BigDecimal>,
        pub meta: Json,
        pub updated_at: DateTimeWithTimeZone,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::author::Entity",
            from = "Column::AuthorId",
            to = "super::author::Column::Id"
        )]
        Author,
    }

    impl Related<super::author::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Author.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let pg = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let server = LocalServer::start(ServerConfig::ephemeral(vec![ClusterConfig::new(
        CLUSTER_ARN,
        pg,
    )?]))
    .await?;
    println!("local Data API server at {}", server.endpoint_url());
    let url = format!(
        "dataapi://test?cluster_arn={CLUSTER_ARN}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint={}",
        server.endpoint_url()
    );

    // The drop-in face: an ordinary `sea_orm::DatabaseConnection`.
    let db = connect_proxy(&url, DbBackend::Postgres).await?;
    // The native face: the same API plus fallible commits and isolation levels.
    let native = DataApiConnection::connect(&url, DbBackend::Postgres).await?;

    // `execute_unprepared` scripts are split into statements for the Data API.
    db.execute_unprepared(
        "DROP TABLE IF EXISTS example_book; DROP TABLE IF EXISTS example_author;
         CREATE TABLE example_author (id serial PRIMARY KEY, name text NOT NULL, born date);
         CREATE TABLE example_book (id serial PRIMARY KEY,
             author_id int NOT NULL REFERENCES example_author (id), title text NOT NULL,
             price numeric(10, 2), meta jsonb NOT NULL, updated_at timestamptz NOT NULL);",
    )
    .await?;

    let ada = author::ActiveModel {
        id: NotSet,
        name: Set("Ada Lovelace".into()),
        born: Set(chrono::NaiveDate::from_ymd_opt(1815, 12, 10)),
    }
    .insert(&db)
    .await?;
    println!("inserted {ada:?}");

    // A transaction on the native connection: a failed COMMIT would be returned here.
    let ada_id = ada.id;
    native
        .transaction::<_, (), DbErr>(|txn| {
            Box::pin(async move {
                for (title, price) in [
                    ("Sketch of the Analytical Engine", "12.50"),
                    ("Notes", "7.00"),
                ] {
                    book::ActiveModel {
                        id: NotSet,
                        author_id: Set(ada_id),
                        title: Set(title.into()),
                        price: Set(Some(price.parse().expect("a decimal"))),
                        meta: Set(serde_json::json!({ "tags": ["math", "computing"] })),
                        updated_at: Set(chrono::Utc::now().fixed_offset()),
                    }
                    .insert(txn)
                    .await?;
                }
                Ok(())
            })
        })
        .await?;

    let mut notes: book::ActiveModel = book::Entity::find()
        .filter(book::Column::Title.eq("Notes"))
        .one(&db)
        .await?
        .ok_or("the book was just inserted")?
        .into();
    notes.title = Set("Notes by the Translator".into());
    let notes = notes.update(&db).await?;
    println!("updated {:?}", notes.title);

    for (author, books) in author::Entity::find()
        .find_with_related(book::Entity)
        .all(&native)
        .await?
    {
        println!("{} wrote:", author.name);
        for b in books {
            let price = b.price.map(|p| p.to_string()).unwrap_or_default();
            println!("  - {} ({price}, tags {})", b.title, b.meta["tags"]);
        }
    }

    let pages = book::Entity::find()
        .order_by_asc(book::Column::Id)
        .paginate(&db, 1);
    println!(
        "{} books on {} pages",
        pages.num_items().await?,
        pages.num_pages().await?
    );

    let deleted = book::Entity::delete_many().exec(&db).await?;
    println!("deleted {} books", deleted.rows_affected);
    Ok(())
}
