//! Every row of the reference's MySQL result table against MariaDB, through aws-sdk-rdsdata,
//! plus generatedFields and numberOfRecordsUpdated.
//!
//! MariaDB stores JSON columns as LONGTEXT with a `json_valid` check; the server reports them
//! as `JSON`, as Aurora MySQL does.

mod common;

use aws_sdk_rdsdata::primitives::Blob;
use aws_sdk_rdsdata::types::{Field, ResultSetOptions};
use common::*;

fn s(v: &str) -> Field {
    Field::StringValue(v.into())
}

#[tokio::test]
async fn every_column_type() {
    let (_server, client) = setup().await;
    let t = unique("types");
    exec(
        &client,
        MY_ARN,
        &format!(
            "CREATE TABLE {t} (
            b1 TINYINT(1), bit1 BIT(1), bit8 BIT(8),
            ti TINYINT, si SMALLINT, mi MEDIUMINT, i INT, bi BIGINT,
            tiu TINYINT UNSIGNED, iu INT UNSIGNED, biu BIGINT UNSIGNED,
            f FLOAT, d DOUBLE, dec2 DECIMAL(10,2),
            c CHAR(3), vc VARCHAR(10), tx TEXT, e ENUM('a','b'), st SET('x','y','z'),
            bin BINARY(4), vb VARBINARY(8), bl BLOB,
            dt DATE, tm TIME(6), dtm DATETIME(6), ts TIMESTAMP(6) NULL, yr YEAR, js JSON, n INT)"
        ),
    )
    .await;
    exec(&client, MY_ARN, &format!(
        "INSERT INTO {t} VALUES (1, b'1', b'00000101', -128, -32768, -8388608, -2147483648, -9223372036854775808,
            255, 4294967295, 18446744073709551615, 1.5, 0.1, 0.10, 'ab', 'vc', 'text', 'b', 'x,z',
            X'0102', X'ff00', X'000102', '2024-02-29', '-838:59:59.000000', '2024-02-29 12:34:56.123456',
            '2024-02-29 12:34:56.500000', 2021, '{{\"a\": 1}}', NULL)"
    )).await;
    let out = exec(&client, MY_ARN, &format!("SELECT * FROM {t}")).await;
    let row = &out.records.unwrap()[0];
    let want = vec![
        Field::BooleanValue(true),
        Field::BooleanValue(true),
        Field::BooleanValue(true),
        Field::LongValue(-128),
        Field::LongValue(-32768),
        Field::LongValue(-8388608),
        Field::LongValue(-2147483648),
        Field::LongValue(i64::MIN),
        Field::LongValue(255),
        Field::LongValue(4294967295),
        s("18446744073709551615"),
        Field::DoubleValue(1.5),
        Field::DoubleValue(0.1),
        s("0.10"),
        s("ab"),
        s("vc"),
        s("text"),
        s("b"),
        s("x,z"),
        Field::BlobValue(Blob::new(vec![1, 2, 0, 0])),
        Field::BlobValue(Blob::new(vec![0xff, 0])),
        Field::BlobValue(Blob::new(vec![0, 1, 2])),
        s("2024-02-29"),
        s("-838:59:59"),
        s("2024-02-29 12:34:56.123456"),
        s("2024-02-29 12:34:56.5"),
        s("2021"),
        s("{\"a\": 1}"),
        Field::IsNull(true),
    ];
    assert_eq!(row.len(), want.len());
    for (i, (got, want)) in row.iter().zip(&want).enumerate() {
        assert_eq!(got, want, "column {i}");
    }
    let meta = out.column_metadata.unwrap();
    let names: Vec<&str> = meta
        .iter()
        .map(|m| m.type_name.as_deref().unwrap())
        .collect();
    assert_eq!(
        &names[3..11],
        [
            "TINYINT",
            "SMALLINT",
            "MEDIUMINT",
            "INT",
            "BIGINT",
            "TINYINT UNSIGNED",
            "INT UNSIGNED",
            "BIGINT UNSIGNED"
        ]
    );
    assert_eq!(names[13], "DECIMAL");
    assert_eq!((names[27], meta[27].r#type), ("JSON", -1));
    assert_eq!(names[16], "TEXT");
    assert_eq!(
        &names[22..27],
        ["DATE", "TIME", "DATETIME", "TIMESTAMP", "YEAR"]
    );
    assert_eq!(meta[13].scale, 2);
    assert_eq!(meta[7].r#type, -5);
    assert_eq!(meta[0].table_name.as_deref(), Some(t.as_str()));
    exec(&client, MY_ARN, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn generated_fields_and_counts() {
    let (_server, client) = setup().await;
    let t = unique("auto");
    exec(
        &client,
        MY_ARN,
        &format!("CREATE TABLE {t} (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT)"),
    )
    .await;
    let out = exec(&client, MY_ARN, &format!("INSERT INTO {t} (v) VALUES (10)")).await;
    assert_eq!(out.number_of_records_updated, 1);
    assert_eq!(out.generated_fields, Some(vec![Field::LongValue(1)]));
    let out = exec(&client, MY_ARN, &format!("INSERT INTO {t} (v) VALUES (11)")).await;
    assert_eq!(out.generated_fields, Some(vec![Field::LongValue(2)]));
    let out = exec(&client, MY_ARN, &format!("UPDATE {t} SET v = v + 1")).await;
    assert_eq!(out.number_of_records_updated, 2);
    assert!(out.records.is_none());
    exec(&client, MY_ARN, &format!("DROP TABLE {t}")).await;
}

/// UPDATE and DELETE responses carry `"generatedFields": []` (recorded responses of the real
/// service), and `columnMetadata.schemaName` is `""`, not the database name (recorded
/// responses of two clients).
#[tokio::test]
async fn empty_generated_fields_and_schema_name() {
    let (_server, client) = setup().await;
    let t = unique("genempty");
    exec(
        &client,
        MY_ARN,
        &format!("CREATE TABLE {t} (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT)"),
    )
    .await;
    exec(&client, MY_ARN, &format!("INSERT INTO {t} (v) VALUES (1)")).await;
    let out = exec(&client, MY_ARN, &format!("UPDATE {t} SET v = 2")).await;
    assert_eq!(out.generated_fields, Some(vec![]));
    let body = raw_post(
        &_server,
        "/Execute",
        format!(
            r#"{{"resourceArn":"{MY_ARN}","secretArn":"{SECRET_ARN}","sql":"UPDATE {t} SET v = 3"}}"#
        )
        .as_bytes(),
    )
    .await
    .2;
    assert!(body.contains(r#""generatedFields":[]"#), "{body}");
    let out = exec(&client, MY_ARN, &format!("SELECT id, v FROM {t}")).await;
    assert!(out.generated_fields.is_none());
    let meta = out.column_metadata.unwrap();
    assert!(
        meta.iter().all(|c| c.schema_name.as_deref() == Some("")),
        "{meta:?}"
    );
    assert_eq!(meta[0].table_name.as_deref(), Some(t.as_str()));
    let out = exec(&client, MY_ARN, &format!("DELETE FROM {t}")).await;
    assert_eq!(out.number_of_records_updated, 1);
    assert_eq!(out.generated_fields, Some(vec![]));
    exec(&client, MY_ARN, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn long_and_decimal_options() {
    let (_server, client) = setup().await;
    use aws_sdk_rdsdata::types::{DecimalReturnType, LongReturnType};
    let run = |sql: &'static str, options: ResultSetOptions| {
        let client = client.clone();
        async move {
            client
                .execute_statement()
                .resource_arn(MY_ARN)
                .secret_arn(SECRET_ARN)
                .sql(sql)
                .result_set_options(options)
                .send()
                .await
                .unwrap()
                .records
                .unwrap()[0][0]
                .clone()
        }
    };
    let long_string = ResultSetOptions::builder()
        .long_return_type(LongReturnType::String)
        .build();
    assert_eq!(run("SELECT CAST(5 AS SIGNED)", long_string).await, s("5"));
    let numbers = ResultSetOptions::builder()
        .decimal_return_type(DecimalReturnType::DoubleOrLong)
        .build();
    assert_eq!(
        run("SELECT CAST(42 AS DECIMAL(10,0))", numbers.clone()).await,
        Field::LongValue(42)
    );
    assert_eq!(
        run("SELECT CAST(1.25 AS DECIMAL(10,2))", numbers).await,
        Field::DoubleValue(1.25)
    );
}

/// numberOfRecordsUpdated counts matched ("found") rows, as Connector/J's default
/// (useAffectedRows=false) and diesel's MysqlConnection (CLIENT_FOUND_ROWS) do: an UPDATE or
/// upsert that changes nothing still counts its rows. *unverified* against real Aurora MySQL.
#[tokio::test]
async fn affected_rows_count_found_rows() {
    let (_server, client) = setup().await;
    let t = unique("found");
    exec(
        &client,
        MY_ARN,
        &format!("CREATE TABLE {t} (id INT PRIMARY KEY, v INT)"),
    )
    .await;
    exec(
        &client,
        MY_ARN,
        &format!("INSERT INTO {t} VALUES (1, 10), (2, 20)"),
    )
    .await;
    let updated = |sql: String| {
        let client = client.clone();
        async move { exec(&client, MY_ARN, &sql).await.number_of_records_updated }
    };
    // Nothing changes, two rows match.
    assert_eq!(updated(format!("UPDATE {t} SET v = v")).await, 2);
    assert_eq!(
        updated(format!("UPDATE {t} SET v = 10 WHERE id = 1")).await,
        1
    );
    // An upsert whose row is already as asked: 1 (found), not 0.
    assert_eq!(
        updated(format!(
            "INSERT INTO {t} VALUES (1, 10) ON DUPLICATE KEY UPDATE v = VALUES(v)"
        ))
        .await,
        1
    );
    // An upsert that changes the row: 2, as in MySQL either way.
    assert_eq!(
        updated(format!(
            "INSERT INTO {t} VALUES (1, 11) ON DUPLICATE KEY UPDATE v = VALUES(v)"
        ))
        .await,
        2
    );
    assert_eq!(
        updated(format!("UPDATE {t} SET v = v WHERE id = 3")).await,
        0
    );
    exec(&client, MY_ARN, &format!("DROP TABLE {t}")).await;
}

/// MariaDB JSON columns (LONGTEXT with a `json_valid` check) report typeName `JSON`, under an
/// alias too and after the table changes; plain LONGTEXT columns and JSON expressions do not.
#[tokio::test]
async fn mariadb_json_columns_report_json() {
    let (_server, client) = setup().await;
    let t = unique("myjson");
    exec(
        &client,
        MY_ARN,
        &format!("CREATE TABLE {t} (id INT, js JSON, lt LONGTEXT, `we``ird` JSON)"),
    )
    .await;
    exec(
        &client,
        MY_ARN,
        &format!(r#"INSERT INTO {t} VALUES (1, '{{"a": 1}}', 'x', '[]')"#),
    )
    .await;
    let types = |sql: String| {
        let client = client.clone();
        async move {
            exec(&client, MY_ARN, &sql)
                .await
                .column_metadata
                .unwrap()
                .into_iter()
                .map(|c| c.type_name.unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        types(format!("SELECT id, js, lt, `we``ird` FROM {t}")).await,
        ["INT", "JSON", "LONGTEXT", "JSON"]
    );
    assert_eq!(
        types(format!(
            "SELECT js AS renamed, CONCAT(lt) AS e FROM {t} AS x"
        ))
        .await[0],
        "JSON"
    );
    exec(
        &client,
        MY_ARN,
        &format!("ALTER TABLE {t} ADD COLUMN js2 JSON"),
    )
    .await;
    assert_eq!(
        types(format!("SELECT js2, lt FROM {t}")).await,
        ["JSON", "LONGTEXT"]
    );
    let out = exec(&client, MY_ARN, &format!("SELECT js FROM {t}")).await;
    assert_eq!(out.records.unwrap()[0][0], s(r#"{"a": 1}"#));
    exec(&client, MY_ARN, &format!("DROP TABLE {t}")).await;
}
