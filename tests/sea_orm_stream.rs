//! SeaORM `StreamTrait::stream` for real (issue 12): a PostgreSQL result of about 20 MiB, over
//! the Data API's 1 MiB per response, streams page by page from a server-side cursor — every
//! row, in order, as over sqlx on the same database — and memory stays bounded while it does:
//! the process's resident size grows by less than 8 MiB while the 20 MiB go by (its own test
//! binary, so nothing else runs meanwhile).
#![cfg(feature = "sea-orm")]

mod common;

use common::{pg_native_url, pg_url, unique};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use futures_util::StreamExt;
use sea_orm::{DbBackend, Statement, StreamTrait};

fn resident_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb * 1024
}

#[test]
fn a_20_mib_result_streams_in_order_with_bounded_memory() {
    let db = unique("dataapi_sea_stream");
    let mut c = aurora_data_api::pg::DataApiPgConnection::establish(&pg_url(&db)).unwrap();
    c.batch_execute(
        "CREATE TABLE big (id int PRIMARY KEY, body text NOT NULL);
         INSERT INTO big SELECT g, repeat(md5(g::text), 7) FROM generate_series(1, 100000) g",
    )
    .unwrap();
    let sql = "SELECT id, body FROM big ORDER BY id";
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let ours = aurora_data_api::sea_orm::DataApiConnection::connect(
                &pg_url(&db),
                DbBackend::Postgres,
            )
            .await
            .unwrap();
            let sqlx = sea_orm::Database::connect(pg_native_url(&db))
                .await
                .unwrap();
            let mut theirs = sqlx
                .stream_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await
                .unwrap();
            let mut stream = ours
                .stream_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await
                .unwrap();
            let (mut n, mut bytes, mut base, mut peak) = (0usize, 0usize, 0usize, 0usize);
            while let Some(row) = stream.next().await {
                let row = row.unwrap();
                let expected = theirs.next().await.unwrap().unwrap();
                let (id, body): (i32, String) = (
                    row.try_get("", "id").unwrap(),
                    row.try_get("", "body").unwrap(),
                );
                assert_eq!(id, expected.try_get::<i32>("", "id").unwrap());
                assert_eq!(body, expected.try_get::<String>("", "body").unwrap());
                n += 1;
                bytes += body.len() + 4;
                if n == 1 {
                    base = resident_bytes();
                } else if n % 2_000 == 0 {
                    peak = peak.max(resident_bytes());
                }
            }
            assert!(theirs.next().await.is_none());
            assert_eq!(n, 100_000);
            assert!(bytes > 20 * 1024 * 1024, "{bytes}");
            let growth = peak.saturating_sub(base);
            println!("streamed {bytes} bytes; resident size grew by {growth} bytes");
            assert!(
                growth < 8 * 1024 * 1024,
                "resident size grew by {growth} bytes"
            );
        });
}
