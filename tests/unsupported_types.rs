//! Column types the Data API refuses to return (UnsupportedResultException: daterange, tsrange,
//! money, multi-dimensional arrays, …): a Diesel or SeaORM read of one is a typed error that
//! names the type and says how to read it instead, never a panic or a wrong value; reading the
//! column cast to text gives what the native driver prints.

mod common;

use std::ops::Bound;

use aurora_data_api::pg::{AsyncDataApiPgConnection, DataApiPgConnection};
use common::{pg_native_url, pg_url};
use diesel::result::{DatabaseErrorKind, Error};
use diesel::sql_types::{Date, Money, Range, Text, Timestamp};
use diesel::Connection;
use diesel_async::AsyncPgConnection;

const DB: &str = "dataapi_unsupported_types";

fn assert_refused(what: &str, e: Error, type_name: &str) {
    match &e {
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            let m = info.message();
            assert!(
                m.contains(&format!("unsupported data type {type_name}")),
                "{what}: {m}"
            );
            assert!(m.contains("col::text"), "{what}: the remedy is named: {m}");
        }
        other => panic!("{what}: expected a database error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_types_are_typed_errors_naming_the_remedy() {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    type DateRange = (Bound<chrono::NaiveDate>, Bound<chrono::NaiveDate>);
    type TsRange = (Bound<chrono::NaiveDateTime>, Bound<chrono::NaiveDateTime>);
    let mut native = AsyncPgConnection::establish(&pg_native_url(DB))
        .await
        .unwrap();
    let mut adata = AsyncDataApiPgConnection::establish(&pg_url(DB))
        .await
        .unwrap();
    let mut sdata = DataApiPgConnection::establish(&pg_url(DB)).unwrap();

    let dr = "'[2024-01-01,2024-02-01)'::daterange";
    let q = || diesel::select(diesel::dsl::sql::<Range<Date>>(dr));
    let natively: DateRange = q().get_result(&mut native).await.unwrap();
    assert_eq!(
        natively.0,
        Bound::Included(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap())
    );
    assert_refused(
        "async daterange",
        q().get_result::<DateRange>(&mut adata).await.unwrap_err(),
        "daterange",
    );
    assert_refused(
        "sync daterange",
        diesel::RunQueryDsl::get_result::<DateRange>(q(), &mut sdata).unwrap_err(),
        "daterange",
    );
    let ts = || {
        diesel::select(diesel::dsl::sql::<Range<Timestamp>>(
            "'[2024-01-01 10:00,)'::tsrange",
        ))
    };
    assert_refused(
        "async tsrange",
        ts().get_result::<TsRange>(&mut adata).await.unwrap_err(),
        "tsrange",
    );
    let money = || diesel::select(diesel::dsl::sql::<Money>("12.5::money"));
    assert_refused(
        "sync money",
        diesel::RunQueryDsl::get_result::<diesel::data_types::Cents>(money(), &mut sdata)
            .unwrap_err(),
        "money",
    );

    // The remedy: the column as text reads as the native driver prints it.
    let text = || diesel::select(diesel::dsl::sql::<Text>(&format!("({dr})::text")));
    let n: String = text().get_result(&mut native).await.unwrap();
    let a: String = text().get_result(&mut adata).await.unwrap();
    assert_eq!(
        (a.as_str(), n.as_str()),
        ("[2024-01-01,2024-02-01)", "[2024-01-01,2024-02-01)")
    );
    // Composite values and anonymous records (`ROW(…)`): refused by name, with `to_json` as
    // the way to read them.
    type Pair = diesel::sql_types::Record<(diesel::sql_types::Integer, Text)>;
    let pair = || diesel::select(diesel::dsl::sql::<Pair>("ROW(7, 'seven')"));
    let natively: (i32, String) = pair().get_result(&mut native).await.unwrap();
    assert_eq!(natively, (7, "seven".to_string()));
    for e in [
        pair()
            .get_result::<(i32, String)>(&mut adata)
            .await
            .unwrap_err(),
        diesel::RunQueryDsl::get_result::<(i32, String)>(pair(), &mut sdata).unwrap_err(),
    ] {
        assert!(e.to_string().contains("to_json(col)"), "{e}");
        assert_refused("record", e, "record");
    }
    diesel_async::SimpleAsyncConnection::batch_execute(
        &mut native,
        "DROP TYPE IF EXISTS ut_pair CASCADE; CREATE TYPE ut_pair AS (n int4, word text)",
    )
    .await
    .unwrap();
    let composite = || diesel::select(diesel::dsl::sql::<Pair>("ROW(7, 'seven')::ut_pair"));
    let natively: (i32, String) = composite().get_result(&mut native).await.unwrap();
    assert_eq!(natively, (7, "seven".to_string()));
    assert_refused(
        "composite",
        composite()
            .get_result::<(i32, String)>(&mut adata)
            .await
            .unwrap_err(),
        "ut_pair",
    );
    let as_json = || {
        diesel::select(diesel::dsl::sql::<Text>(
            "to_json(ROW(7, 'seven')::ut_pair)::text",
        ))
    };
    let n: String = as_json().get_result(&mut native).await.unwrap();
    let a: String = as_json().get_result(&mut adata).await.unwrap();
    assert_eq!(
        (a.as_str(), n.as_str()),
        (r#"{"n":7,"word":"seven"}"#, r#"{"n":7,"word":"seven"}"#)
    );

    // The connections are usable afterwards.
    let one: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
        .get_result(&mut adata)
        .await
        .unwrap();
    assert_eq!(one, 1);
}

#[cfg(feature = "sea-orm")]
#[test]
fn sea_orm_reads_of_refused_types_name_the_remedy() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let native =
            aurora_data_api::sea_orm::DataApiConnection::connect(&pg_url(DB), DbBackend::Postgres)
                .await
                .unwrap();
        let proxy = aurora_data_api::sea_orm::connect_proxy(&pg_url(DB), DbBackend::Postgres)
            .await
            .unwrap();
        let st = || {
            Statement::from_string(
                DbBackend::Postgres,
                "SELECT '[2024-01-01,2024-02-01)'::daterange AS d",
            )
        };
        for e in [
            native.query_one_raw(st()).await.unwrap_err(),
            proxy.query_one_raw(st()).await.unwrap_err(),
        ] {
            let m = e.to_string();
            assert!(m.contains("unsupported data type daterange"), "{m}");
            assert!(m.contains("col::text"), "{m}");
        }
    });
}
