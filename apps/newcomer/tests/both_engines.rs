//! The newcomer app end to end on both engines: aws-sdk-rdsdata → the local Data API server
//! (in-process) → PostgreSQL and MariaDB (TEST_POSTGRES_URL / TEST_MYSQL_URL, defaults
//! `postgres://postgres@127.0.0.1:5432/test` and `mysql://root@127.0.0.1:3306/test`).

use std::sync::OnceLock;

use aurora_data_api::mysql::{AsyncDataApiMysqlConnection, DataApiMysqlConnection};
use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use data_api_local::{ClusterConfig, LocalServer, ServerConfig};
use diesel::Connection;
use diesel_async::AsyncConnection;
use newcomer_app::async_side::{AsyncAppConnection, counts};
use newcomer_app::sea::{self, publish_all};
use newcomer_app::{AppConnection, Status, add_drafts, publish};
use sea_orm::DbBackend;

const PG_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:newcomer-pg";
const MY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:newcomer-my";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:newcomer-AbCdEf";

/// The server (on a runtime of its own, for the whole test binary) and its endpoint.
fn endpoint() -> &'static str {
    static SERVER: OnceLock<(tokio::runtime::Runtime, LocalServer, String)> = OnceLock::new();
    // Started on a thread of its own: the tests' own runtime cannot block on another.
    &SERVER
        .get_or_init(|| {
            std::thread::spawn(|| {
                let pg = std::env::var("TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
                let my = std::env::var("TEST_MYSQL_URL")
                    .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
                let rt = tokio::runtime::Runtime::new().unwrap();
                let server = rt
                    .block_on(LocalServer::start(ServerConfig::ephemeral(vec![
                        ClusterConfig::new(PG_ARN, pg).unwrap(),
                        ClusterConfig::new(MY_ARN, my).unwrap(),
                    ])))
                    .unwrap_or_else(|e| {
                        panic!("the local Data API server needs PostgreSQL and MariaDB/MySQL: {e}")
                    });
                let url = server.endpoint_url();
                (rt, server, url)
            })
            .join()
            .unwrap()
        })
        .2
}

fn url(arn: &str) -> String {
    format!(
        "dataapi://test?cluster_arn={arn}&secret_arn={SECRET}&region=us-east-1&endpoint={}",
        endpoint()
    )
}

fn prefix(engine: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{engine}-{}-{nanos}-", std::process::id())
}

/// Migrations, sync Diesel (transaction, update, rollback), async Diesel (counts in a
/// transaction) and SeaORM (transaction, enum, stream) on one engine.
async fn the_app(sync: AppConnection, mut conn: AsyncAppConnection, backend: DbBackend, arn: &str) {
    let engine = format!("{backend:?}");
    let p = prefix(&engine);
    let (drafts, published) = tokio::task::spawn_blocking({
        let p = p.clone();
        move || {
            let mut sync = sync;
            sync.migrate().unwrap();
            assert_eq!(sync.migrate().unwrap(), 0, "migrations ran once");
            let a = format!("{p}a");
            let b = format!("{p}b");
            let drafts = add_drafts(&mut sync, &p, &[&a, &b]).unwrap();
            let published = publish(&mut sync, &a).unwrap();
            (drafts, published)
        }
    })
    .await
    .unwrap();
    assert_eq!(drafts.len(), 2, "{engine}");
    assert!(drafts.iter().all(|n| n.status == Status::Draft), "{engine}");
    assert!(drafts[0].id < drafts[1].id, "{engine}");
    assert_eq!(published, 1, "{engine}");
    // One draft and one published note; the rolled-back delete kept both.
    assert_eq!(counts(&mut conn, &p).await.unwrap(), (1, 1), "{engine}");

    let db = aurora_data_api::sea_orm::DataApiConnection::connect(&url(arn), backend)
        .await
        .unwrap();
    let streamed = publish_all(&db, &p, &[&format!("{p}c"), &format!("{p}d")])
        .await
        .unwrap();
    let titles: Vec<(String, sea::Status)> =
        streamed.into_iter().map(|n| (n.title, n.status)).collect();
    assert_eq!(
        titles,
        [
            (format!("{p}a"), sea::Status::Published),
            (format!("{p}b"), sea::Status::Draft),
            (format!("{p}c"), sea::Status::Published),
            (format!("{p}d"), sea::Status::Published),
        ],
        "{engine}"
    );
    // The proxy face (a plain DatabaseConnection) sees the same; SeaORM 2 cannot stream
    // over a proxy connection (its QueryStream answers BackendNotSupported for proxies).
    let proxy = aurora_data_api::sea_orm::connect_proxy(&url(arn), backend)
        .await
        .unwrap();
    assert_eq!(sea::list(&proxy, &p).await.unwrap().len(), 4, "{engine}");
    let e = publish_all(&proxy, &p, &[]).await.unwrap_err();
    assert!(
        matches!(
            e,
            sea_orm::DbErr::BackendNotSupported {
                ctx: "QueryStream",
                ..
            }
        ),
        "{engine}: {e:?}"
    );
    assert_eq!(counts(&mut conn, &p).await.unwrap(), (1, 3), "{engine}");
}

#[tokio::test(flavor = "multi_thread")]
async fn on_postgres() {
    let pg = url(PG_ARN);
    let sync = AppConnection::Pg(DataApiPgConnection::establish(&pg).unwrap());
    let conn = AsyncAppConnection::Pg(AsyncDataApiPgConnection::establish(&pg).await.unwrap());
    the_app(sync, conn, DbBackend::Postgres, PG_ARN).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_mysql() {
    let my = url(MY_ARN);
    let sync = AppConnection::Mysql(DataApiMysqlConnection::establish(&my).unwrap());
    let conn =
        AsyncAppConnection::Mysql(AsyncDataApiMysqlConnection::establish(&my).await.unwrap());
    the_app(sync, conn, DbBackend::MySql, MY_ARN).await;
}
