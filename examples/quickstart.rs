//! Quickstart: Diesel on the RDS Data API, entirely on this machine.
//!
//! 1. starts the local Data API server in-process over PostgreSQL,
//! 2. connects a `DataApiPgConnection` (the drop-in for `PgConnection`) to it,
//! 3. runs the migrations in `migrations-example/postgres` with `diesel_migrations`,
//! 4. inserts, queries, updates and deletes with ordinary Diesel models, printing results.
//!
//! Run: `cargo run --example quickstart` (PostgreSQL at postgres://postgres@127.0.0.1/test, or
//! set TEST_POSTGRES_URL). Against real Aurora you would only change the URL:
//! `dataapi://mydb?cluster_arn=…&secret_arn=…` (no `endpoint`).

use aurora_data_api::pg::DataApiPgConnection;
use bigdecimal::BigDecimal;
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};
use diesel::prelude::*;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations-example/postgres");
const CLUSTER_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:quickstart";
const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:quickstart-AbCdEf";

mod schema {
    diesel::table! {
        authors (id) {
            id -> Int4,
            name -> Text,
            email -> Nullable<Text>,
            born -> Nullable<Date>,
        }
    }
    diesel::table! {
        books (id) {
            id -> Int4,
            author_id -> Int4,
            title -> Text,
            price -> Nullable<Numeric>,
            pages -> Nullable<Int4>,
            tags -> Array<Text>,
            updated_at -> Timestamptz,
        }
    }
    diesel::joinable!(books -> authors (author_id));
    diesel::allow_tables_to_appear_in_same_query!(authors, books);
}

use schema::{authors, books};

#[derive(Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = authors, check_for_backend(diesel::pg::Pg))]
struct Author {
    id: i32,
    name: String,
    born: Option<chrono::NaiveDate>,
}

#[derive(Debug, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = books, belongs_to(Author), check_for_backend(diesel::pg::Pg))]
struct Book {
    id: i32,
    author_id: i32,
    title: String,
    price: Option<BigDecimal>,
    tags: Vec<String>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Insertable)]
#[diesel(table_name = books)]
struct NewBook<'a> {
    author_id: i32,
    title: &'a str,
    price: Option<BigDecimal>,
    pages: Option<i32>,
    tags: Vec<&'a str>,
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let pg = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    // The server runs on a runtime of its own; the Diesel code below is plain sync code.
    let runtime = tokio::runtime::Runtime::new()?;
    let server = runtime.block_on(LocalServer::start(ServerConfig::ephemeral(vec![
        ClusterConfig::new(CLUSTER_ARN, pg)?,
    ])))?;
    println!("local Data API server at {}", server.endpoint_url());

    // A database of its own, created through the Data API too.
    let url = |db: &str| {
        format!(
            "dataapi://{db}?cluster_arn={CLUSTER_ARN}&secret_arn={SECRET_ARN}&region=us-east-1&endpoint={}",
            server.endpoint_url()
        )
    };
    let mut admin = DataApiPgConnection::establish(&url("test"))?;
    let exists: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT COUNT(*) FROM pg_database WHERE datname = 'aurora_quickstart')",
    ))
    .get_result(&mut admin)?;
    if exists == 0 {
        diesel::sql_query("CREATE DATABASE aurora_quickstart").execute(&mut admin)?;
    }

    let mut conn = DataApiPgConnection::establish(&url("aurora_quickstart"))?;
    conn.revert_all_migrations(MIGRATIONS)?; // start from scratch on every run
    for version in conn.run_pending_migrations(MIGRATIONS)? {
        println!("applied migration {version}");
    }

    let ada: Author = diesel::insert_into(authors::table)
        .values((
            authors::name.eq("Ada Lovelace"),
            authors::born.eq(chrono::NaiveDate::from_ymd_opt(1815, 12, 10)),
        ))
        .returning(Author::as_returning())
        .get_result(&mut conn)?;
    println!("inserted {ada:?}");

    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        diesel::insert_into(books::table)
            .values(&vec![
                NewBook {
                    author_id: ada.id,
                    title: "Notes on the Analytical Engine",
                    price: Some("12.50".parse().expect("decimal")),
                    pages: Some(66),
                    tags: vec!["computing", "classic"],
                },
                NewBook {
                    author_id: ada.id,
                    title: "Letters",
                    price: None,
                    pages: None,
                    tags: vec![],
                },
            ])
            .execute(conn)?;
        Ok(())
    })?;

    diesel::update(books::table.filter(books::title.eq("Letters")))
        .set(books::price.eq(Some(BigDecimal::from(7))))
        .execute(&mut conn)?;

    let shelf: Vec<(Book, Author)> = books::table
        .inner_join(authors::table)
        .select((Book::as_select(), Author::as_select()))
        .order(books::id)
        .load(&mut conn)?;
    for (book, author) in &shelf {
        println!(
            "book #{} {:?} by {} ({}), price {}, tags {:?}, updated {}",
            book.id,
            book.title,
            author.name,
            author.born.map(|d| d.to_string()).unwrap_or_default(),
            book.price
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_else(|| "-".into()),
            book.tags,
            book.updated_at.format("%Y-%m-%d %H:%M:%S%.6f UTC"),
        );
    }
    let deleted = diesel::delete(books::table.filter(books::price.is_null())).execute(&mut conn)?;
    let left: i64 = books::table.count().get_result(&mut conn)?;
    println!("deleted {deleted} unpriced books, {left} left");
    Ok(())
}
