//! Limits: response size (and the transaction it terminates), no row limit, request size, SQL
//! length, statement timeout with and without continueAfterTimeout.

mod common;

use std::time::Duration;

use aws_sdk_rdsdata::types::Field;
use common::*;

#[tokio::test]
async fn response_over_1_mib_fails_and_terminates_the_transaction() {
    let (_server, client) = setup().await;
    // ~1.2 MiB of text in 1,200 rows of 1,000 characters.
    let big = "SELECT repeat('x', 1000) FROM generate_series(1, 1200)";
    let e = exec_err(&client, PG_ARN, big).await;
    assert_eq!(
        code_and_message(&e),
        (
            "DatabaseErrorException".into(),
            "Database returned more than the allowed response size limit".into()
        )
    );
    // Just under the limit passes.
    let ok = exec(
        &client,
        PG_ARN,
        "SELECT repeat('x', 1000) FROM generate_series(1, 900)",
    )
    .await;
    assert_eq!(ok.records.unwrap().len(), 900);

    let id = client
        .begin_transaction()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .send()
        .await
        .unwrap()
        .transaction_id
        .unwrap();
    in_tx(&client, PG_ARN, &id, big).await.unwrap_err();
    let e = in_tx(&client, PG_ARN, &id, "SELECT 1").await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "TransactionNotFoundException");
}

#[tokio::test]
async fn mysql_response_limit() {
    let (_server, client) = setup().await;
    let big = "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 35) SELECT REPEAT('x', 1000) FROM s a, s b";
    let e = exec_err(&client, MY_ARN, big).await;
    assert_eq!(
        code_and_message(&e).1,
        "Database returned more than the allowed response size limit"
    );
}

/// No per-row limit on the current Data API: a 100,000-character TEXT and a 500 KiB
/// BYTEA / LONGBLOB round-trip (only the 1 MiB response limit applies).
async fn large_values_round_trip(arn: &str, text_type: &str, blob_type: &str) {
    let (_server, client) = setup().await;
    let table = unique("bigrow");
    exec(
        &client,
        arn,
        &format!("CREATE TABLE {table} (id INT, t {text_type}, b {blob_type})"),
    )
    .await;
    let text: String = (0..100_000)
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect();
    let blob: Vec<u8> = (0..500 * 1024).map(|i| (i * 7 % 256) as u8).collect();
    client
        .execute_statement()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .sql(format!("INSERT INTO {table} VALUES (1, :t, :b)"))
        .parameters(param("t", Field::StringValue(text.clone())))
        .parameters(param(
            "b",
            Field::BlobValue(aws_sdk_rdsdata::primitives::Blob::new(blob.clone())),
        ))
        .send()
        .await
        .unwrap_or_else(|e| panic!("insert: {}", describe(&e)));
    let out = exec(&client, arn, &format!("SELECT t, b FROM {table}")).await;
    let row = &out.records.unwrap()[0];
    assert_eq!(row[0], Field::StringValue(text));
    assert_eq!(
        row[1],
        Field::BlobValue(aws_sdk_rdsdata::primitives::Blob::new(blob))
    );
    exec(&client, arn, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn postgres_large_values_round_trip() {
    large_values_round_trip(PG_ARN, "TEXT", "BYTEA").await;
}

#[tokio::test]
async fn mysql_large_values_round_trip() {
    // MySQL's TEXT holds 65,535 bytes.
    large_values_round_trip(MY_ARN, "LONGTEXT", "LONGBLOB").await;
}

#[tokio::test]
async fn request_over_4_mib_is_refused() {
    let (server, client) = setup().await;
    let huge = "y".repeat(4 * 1024 * 1024 + 10);
    let e = client
        .execute_statement()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .sql("SELECT length(:s)")
        .parameters(param("s", Field::StringValue(huge)))
        .send()
        .await
        .unwrap_err();
    let (code, message) = code_and_message(&e);
    assert_eq!(code, "BadRequestException", "{message}");
    assert!(message.contains("4 MiB"), "{message}");
    // 3 MiB is accepted.
    let big = "y".repeat(3 * 1024 * 1024);
    let out = client
        .execute_statement()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .sql("SELECT length(:s)")
        .parameters(param("s", Field::StringValue(big)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.records.unwrap()[0][0],
        Field::LongValue(3 * 1024 * 1024)
    );
    drop(server);
}

#[tokio::test]
async fn sql_over_65536_chars_is_refused() {
    let (_server, client) = setup().await;
    let padding = " ".repeat(65_537 - "SELECT 1".len());
    let e = exec_err(&client, PG_ARN, &format!("SELECT 1{padding}")).await;
    assert_eq!(code_and_message(&e).0, "ValidationException");
    let padding = " ".repeat(65_536 - "SELECT 1".len());
    exec(&client, PG_ARN, &format!("SELECT 1{padding}")).await;
}

async fn timeout_server() -> (data_api_local::LocalServer, aws_sdk_rdsdata::Client) {
    let mut config = config();
    config.limits.statement_timeout = Duration::from_millis(700);
    let server = start(config).await;
    let client = client(&server);
    (server, client)
}

async fn statement_timeout(arn: &str, sleep: &str) {
    let (server, client) = timeout_server().await;
    let table = unique("timeout");
    exec(&client, arn, &format!("CREATE TABLE {table} (id INT)")).await;
    let slow = format!("INSERT INTO {table} SELECT 1 FROM (SELECT {sleep}) AS s");

    // Without continueAfterTimeout the statement is cancelled.
    let e = exec_err(&client, arn, &slow).await;
    let (code, _) = code_and_message(&e);
    assert_eq!(code, "StatementTimeoutException");
    let body = e
        .raw_response()
        .and_then(|r| r.body().bytes())
        .map(|b| String::from_utf8_lossy(b).to_string())
        .unwrap_or_default();
    assert!(body.contains("dbConnectionId"), "{body}");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        scalar(&client, arn, &format!("SELECT COUNT(*) FROM {table}")).await,
        Field::LongValue(0)
    );

    // With it, the statement finishes after the call timed out.
    let e = client
        .execute_statement()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .sql(&slow)
        .continue_after_timeout(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code_and_message(&e).0, "StatementTimeoutException");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        scalar(&client, arn, &format!("SELECT COUNT(*) FROM {table}")).await,
        Field::LongValue(1)
    );
    assert_eq!(server.fault_counts().statement_timeouts, 2);
    exec(&client, arn, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn postgres_statement_timeout() {
    statement_timeout(PG_ARN, "pg_sleep(1.5)").await;
}

#[tokio::test]
async fn mysql_statement_timeout() {
    statement_timeout(MY_ARN, "SLEEP(1.5)").await;
}

async fn begin(client: &aws_sdk_rdsdata::Client, arn: &str) -> String {
    client
        .begin_transaction()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .send()
        .await
        .unwrap_or_else(|e| panic!("begin: {}", describe(&e)))
        .transaction_id
        .unwrap()
}

async fn end(client: &aws_sdk_rdsdata::Client, arn: &str, id: &str, commit: bool) -> String {
    let status = if commit {
        client
            .commit_transaction()
            .resource_arn(arn)
            .secret_arn(SECRET_ARN)
            .transaction_id(id)
            .send()
            .await
            .map(|o| o.transaction_status)
            .map_err(|e| describe(&e))
    } else {
        client
            .rollback_transaction()
            .resource_arn(arn)
            .secret_arn(SECRET_ARN)
            .transaction_id(id)
            .send()
            .await
            .map(|o| o.transaction_status)
            .map_err(|e| describe(&e))
    };
    status.unwrap_or_else(|e| panic!("end: {e}")).unwrap()
}

async fn count(client: &aws_sdk_rdsdata::Client, arn: &str, table: &str) -> Field {
    scalar(client, arn, &format!("SELECT COUNT(*) FROM {table}")).await
}

/// Without continueAfterTimeout a timeout cancels the statement but leaves the PostgreSQL
/// transaction open and aborted: the next statement fails with 25P02, nothing of it is
/// committed (a COMMIT answers "Transaction Committed" but rolls back), a rollback works.
#[tokio::test]
async fn postgres_timeout_inside_a_transaction_leaves_it_open_and_aborted() {
    let (_server, client) = timeout_server().await;
    let table = unique("txtimeout");
    exec(&client, PG_ARN, &format!("CREATE TABLE {table} (id INT)")).await;
    for commit in [false, true] {
        let id = begin(&client, PG_ARN).await;
        in_tx(
            &client,
            PG_ARN,
            &id,
            format!("INSERT INTO {table} VALUES (1)"),
        )
        .await
        .unwrap();
        let e = in_tx(&client, PG_ARN, &id, "SELECT pg_sleep(2)")
            .await
            .unwrap_err();
        assert_eq!(code_and_message(&e).0, "StatementTimeoutException");
        let e = in_tx(&client, PG_ARN, &id, "SELECT 1").await.unwrap_err();
        assert_eq!(
            code_and_message(&e),
            (
                "DatabaseErrorException".into(),
                "ERROR: current transaction is aborted, commands ignored until end of transaction block; SQLState: 25P02".into()
            )
        );
        let expected = if commit {
            "Transaction Committed"
        } else {
            "Rollback Complete"
        };
        assert_eq!(end(&client, PG_ARN, &id, commit).await, expected);
        assert_eq!(count(&client, PG_ARN, &table).await, Field::LongValue(0));
    }
    exec(&client, PG_ARN, &format!("DROP TABLE {table}")).await;
}

/// MySQL (*unverified*, inferred from MySQL's own semantics): KILL QUERY interrupts the
/// timed-out statement and undoes it, the transaction stays open and usable, and a commit
/// keeps the work done before the timeout.
#[tokio::test]
async fn mysql_timeout_inside_a_transaction_keeps_it_open() {
    let (_server, client) = timeout_server().await;
    let table = unique("txtimeout");
    exec(
        &client,
        MY_ARN,
        &format!("CREATE TABLE {table} (id INT) ENGINE=InnoDB"),
    )
    .await;
    let id = begin(&client, MY_ARN).await;
    in_tx(
        &client,
        MY_ARN,
        &id,
        format!("INSERT INTO {table} VALUES (1)"),
    )
    .await
    .unwrap();
    let slow = format!("INSERT INTO {table} SELECT 2 FROM (SELECT SLEEP(2)) AS s");
    let e = in_tx(&client, MY_ARN, &id, slow).await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "StatementTimeoutException");
    in_tx(
        &client,
        MY_ARN,
        &id,
        format!("INSERT INTO {table} VALUES (3)"),
    )
    .await
    .unwrap_or_else(|e| panic!("after the timeout: {}", describe(&e)));
    assert_eq!(
        end(&client, MY_ARN, &id, true).await,
        "Transaction Committed"
    );
    let ids = exec(
        &client,
        MY_ARN,
        &format!("SELECT id FROM {table} ORDER BY id"),
    )
    .await;
    assert_eq!(
        ids.records.unwrap(),
        vec![vec![Field::LongValue(1)], vec![Field::LongValue(3)]]
    );
    exec(&client, MY_ARN, &format!("DROP TABLE {table}")).await;
}

/// With continueAfterTimeout the statement goes on inside the transaction; the next call
/// waits for it and sees its row; two calls in flight at once still get "Transaction is
/// still running a query"; the commit keeps the row.
async fn continue_after_timeout_in_transaction(arn: &str, sleep: &str) {
    let (_server, client) = timeout_server().await;
    let table = unique("txcontinue");
    exec(&client, arn, &format!("CREATE TABLE {table} (id INT)")).await;
    let id = begin(&client, arn).await;
    let slow = format!("INSERT INTO {table} SELECT 1 FROM (SELECT {sleep}) AS s");
    let e = client
        .execute_statement()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .sql(slow)
        .continue_after_timeout(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code_and_message(&e).0, "StatementTimeoutException");
    // Two calls at once: the first waits for the running INSERT, the second is refused.
    let first = {
        let (client, id, sql) = (
            client.clone(),
            id.clone(),
            format!("SELECT COUNT(*) FROM {table}"),
        );
        let arn = arn.to_string();
        tokio::spawn(async move { in_tx(&client, &arn, &id, sql).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let e = in_tx(&client, arn, &id, "SELECT 1").await.unwrap_err();
    assert_eq!(
        code_and_message(&e),
        (
            "DatabaseErrorException".into(),
            "Transaction is still running a query".into()
        )
    );
    let seen = first
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("select after the timeout: {}", describe(&e)));
    assert_eq!(seen.records.unwrap(), vec![vec![Field::LongValue(1)]]);
    assert_eq!(end(&client, arn, &id, true).await, "Transaction Committed");
    assert_eq!(count(&client, arn, &table).await, Field::LongValue(1));
    exec(&client, arn, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn postgres_continue_after_timeout_in_a_transaction() {
    continue_after_timeout_in_transaction(PG_ARN, "pg_sleep(1.2)").await;
}

#[tokio::test]
async fn mysql_continue_after_timeout_in_a_transaction() {
    continue_after_timeout_in_transaction(MY_ARN, "SLEEP(1.2)").await;
}
