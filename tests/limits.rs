//! The Data API's size limits as the Diesel user meets them: a result over 1 MiB loads through
//! a cursor outside a transaction; inside one it names the limit and the remedy and the
//! connection stays usable; `load_in_pages` loads it; a request that cannot be split is
//! refused before it is sent.

mod common;

use aurora_data_api::paging::load_in_pages;
use aurora_data_api::pg::DataApiPgConnection;
use common::*;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::Error;

diesel::table! {
    big_rows (id) {
        id -> Int4,
        body -> Text,
    }
}

#[test]
fn results_over_1_mib_name_the_remedy_and_paging_loads_them() {
    let mut conn = DataApiPgConnection::establish(&pg_url("dataapi_limits")).unwrap();
    conn.batch_execute(
        "DROP TABLE IF EXISTS big_rows;
         CREATE TABLE big_rows (id INT PRIMARY KEY, body TEXT NOT NULL);
         INSERT INTO big_rows SELECT g, repeat('x', 500) FROM generate_series(1, 3000) g",
    )
    .unwrap();
    // Outside a transaction: through a cursor, transparently.
    let all = big_rows::table
        .select((big_rows::id, big_rows::body))
        .order_by(big_rows::id)
        .load::<(i32, String)>(&mut conn)
        .unwrap();
    assert_eq!(all.len(), 3000);
    // Inside one the 1 MiB error ends the transaction: it names the limit and the remedies.
    let e = conn
        .transaction(|c| {
            big_rows::table
                .select((big_rows::id, big_rows::body))
                .load::<(i32, String)>(c)
        })
        .unwrap_err();
    let Error::DatabaseError(_, info) = &e else {
        panic!("{e:?}")
    };
    assert!(
        info.message().contains("1 MiB")
            && info.message().contains("load_in_pages")
            && info.message().contains("set_cursor_reads_in_transactions"),
        "{}",
        info.message()
    );
    // Still usable, and the helper loads everything in pages.
    let rows: Vec<(i32, String)> =
        load_in_pages(&mut conn, big_rows::table.order_by(big_rows::id), 1000).unwrap();
    assert_eq!(rows.len(), 3000);
    assert_eq!((rows[0].0, rows[2999].0), (1, 3000));
    // Inside a transaction too (the connection's own paging, for this query).
    let inside: Vec<(i32, String)> = conn
        .transaction(|c| load_in_pages(c, big_rows::table.order_by(big_rows::id), 1000))
        .unwrap();
    assert_eq!(inside, rows);
    let e =
        load_in_pages::<_, _, (i32, String)>(&mut conn, big_rows::table.order_by(big_rows::id), 0)
            .unwrap_err();
    assert!(e.to_string().contains("page_size"), "{e}");
}

#[test]
fn oversized_requests_are_refused_before_sending() {
    let mut conn = DataApiPgConnection::establish(&pg_url("dataapi_limits")).unwrap();
    let table = unique("big_insert");
    conn.batch_execute(&format!("CREATE TABLE {table} (id INT, body TEXT)"))
        .unwrap();
    let big = "z".repeat(5 * 1024 * 1024);
    let e = diesel::sql_query(format!("INSERT INTO {table} (id, body) VALUES (1, $1)"))
        .bind::<diesel::sql_types::Text, _>(&big)
        .execute(&mut conn)
        .unwrap_err();
    assert!(
        e.to_string().contains("limit of 4194304") && e.to_string().contains("cannot be split"),
        "{e}"
    );
    let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
        "(SELECT COUNT(*) FROM {table})"
    )))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(n, 0);
    conn.batch_execute(&format!("DROP TABLE {table}")).unwrap();
}
