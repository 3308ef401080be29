//! Transactions: ids, commit / rollback statuses, expiry, ended ids, concurrent calls and
//! PostgreSQL's aborted state, on both engines.

mod common;

use std::time::Duration;

use aws_sdk_rdsdata::types::Field;
use common::*;

async fn begin(client: &aws_sdk_rdsdata::Client, arn: &str) -> String {
    client
        .begin_transaction()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .send()
        .await
        .unwrap_or_else(|e| panic!("begin: {}", describe(&e)))
        .transaction_id
        .expect("transaction id")
}

async fn count(client: &aws_sdk_rdsdata::Client, arn: &str, table: &str) -> i64 {
    match scalar(client, arn, &format!("SELECT COUNT(*) FROM {table}")).await {
        Field::LongValue(n) => n,
        other => panic!("count: {other:?}"),
    }
}

async fn commit_and_rollback(arn: &str) {
    let (_server, client) = setup().await;
    let table = unique("tx");
    exec(
        &client,
        arn,
        &format!("CREATE TABLE {table} (id INT PRIMARY KEY)"),
    )
    .await;

    let id = begin(&client, arn).await;
    assert!(id.len() >= 150 && id.len() <= 192, "id length {}", id.len());
    in_tx(&client, arn, &id, format!("INSERT INTO {table} VALUES (1)"))
        .await
        .unwrap();
    // Not visible outside the transaction before commit.
    assert_eq!(count(&client, arn, &table).await, 0);
    let status = client
        .commit_transaction()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status.transaction_status.as_deref(),
        Some("Transaction Committed")
    );
    assert_eq!(count(&client, arn, &table).await, 1);

    // An ended id is gone: TransactionNotFoundException on execute, NotFoundException on commit.
    let e = in_tx(&client, arn, &id, "SELECT 1").await.unwrap_err();
    let (code, message) = code_and_message(&e);
    assert_eq!(code, "TransactionNotFoundException");
    assert_eq!(message, format!("Transaction {id} is not found"));
    let e = client
        .commit_transaction()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code_and_message(&e).0, "NotFoundException");

    let id = begin(&client, arn).await;
    in_tx(&client, arn, &id, format!("INSERT INTO {table} VALUES (2)"))
        .await
        .unwrap();
    let status = client
        .rollback_transaction()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status.transaction_status.as_deref(),
        Some("Rollback Complete")
    );
    assert_eq!(count(&client, arn, &table).await, 1);
    let e = client
        .rollback_transaction()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code_and_message(&e).0, "NotFoundException");
    exec(&client, arn, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn postgres_commit_and_rollback() {
    commit_and_rollback(PG_ARN).await;
}

#[tokio::test]
async fn mysql_commit_and_rollback() {
    commit_and_rollback(MY_ARN).await;
}

async fn idle_expiry(arn: &str) {
    let mut config = config();
    config.limits.transaction_idle_timeout = Duration::from_millis(800);
    let server = start(config).await;
    let client = client(&server);
    let table = unique("txexp");
    exec(
        &client,
        arn,
        &format!("CREATE TABLE {table} (id INT PRIMARY KEY)"),
    )
    .await;
    let id = begin(&client, arn).await;
    in_tx(&client, arn, &id, format!("INSERT INTO {table} VALUES (1)"))
        .await
        .unwrap();
    // Calls keep it alive…
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        in_tx(&client, arn, &id, "SELECT 1")
            .await
            .unwrap_or_else(|e| panic!("still alive: {}", describe(&e)));
    }
    // …idleness ends it, and its work is rolled back.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let e = in_tx(&client, arn, &id, "SELECT 1").await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "TransactionNotFoundException");
    assert_eq!(server.open_transactions(), 0);
    assert_eq!(server.fault_counts().expired_transactions, 1);
    assert_eq!(count(&client, arn, &table).await, 0);
    exec(&client, arn, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn postgres_idle_expiry() {
    idle_expiry(PG_ARN).await;
}

#[tokio::test]
async fn mysql_idle_expiry() {
    idle_expiry(MY_ARN).await;
}

#[tokio::test]
async fn lifetime_expiry_despite_activity() {
    let mut config = config();
    config.limits.transaction_max_lifetime = Duration::from_millis(1000);
    let server = start(config).await;
    let client = client(&server);
    let id = begin(&client, PG_ARN).await;
    let mut ended = false;
    for _ in 0..10 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        if let Err(e) = in_tx(&client, PG_ARN, &id, "SELECT 1").await {
            assert_eq!(code_and_message(&e).0, "TransactionNotFoundException");
            ended = true;
            break;
        }
    }
    assert!(
        ended,
        "a transaction past its lifetime must end even while in use"
    );
}

async fn concurrent_call(arn: &str, sleep_sql: &str) {
    let (_server, client) = setup().await;
    let id = begin(&client, arn).await;
    let slow = {
        let (client, id, sql) = (client.clone(), id.clone(), sleep_sql.to_string());
        let arn = arn.to_string();
        tokio::spawn(async move { in_tx(&client, &arn, &id, sql).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let e = in_tx(&client, arn, &id, "SELECT 1").await.unwrap_err();
    assert_eq!(
        code_and_message(&e),
        (
            "DatabaseErrorException".into(),
            "Transaction is still running a query".into()
        )
    );
    slow.await
        .unwrap()
        .unwrap_or_else(|e| panic!("slow statement: {}", describe(&e)));
    // Once the first call is done the transaction is usable again.
    in_tx(&client, arn, &id, "SELECT 1").await.unwrap();
    client
        .commit_transaction()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn postgres_concurrent_call_is_refused() {
    concurrent_call(PG_ARN, "SELECT pg_sleep(1)").await;
}

#[tokio::test]
async fn mysql_concurrent_call_is_refused() {
    concurrent_call(MY_ARN, "SELECT SLEEP(1)").await;
}

#[tokio::test]
async fn postgres_failed_statement_aborts_the_transaction_and_commit_reports_committed() {
    let (_server, client) = setup().await;
    let table = unique("txabort");
    exec(
        &client,
        PG_ARN,
        &format!("CREATE TABLE {table} (id INT PRIMARY KEY)"),
    )
    .await;
    let id = begin(&client, PG_ARN).await;
    let run = |sql: String| {
        let (client, id) = (client.clone(), id.clone());
        async move { in_tx(&client, PG_ARN, &id, sql).await }
    };
    run(format!("INSERT INTO {table} VALUES (1)"))
        .await
        .unwrap();
    let e = run(format!("INSERT INTO {table} VALUES (1)"))
        .await
        .unwrap_err();
    let (code, message) = code_and_message(&e);
    assert_eq!(code, "DatabaseErrorException");
    assert!(
        message.starts_with("ERROR: duplicate key value violates unique constraint"),
        "{message}"
    );
    assert!(message.ends_with("; SQLState: 23505"), "{message}");
    let e = run("SELECT 1".into()).await.unwrap_err();
    let (_, message) = code_and_message(&e);
    assert!(
        message.contains("current transaction is aborted") && message.ends_with("SQLState: 25P02"),
        "{message}"
    );
    // Committing an aborted transaction answers "Transaction Committed", as the real service
    // does, but PostgreSQL turned the COMMIT into a rollback: nothing is stored.
    let status = client
        .commit_transaction()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("commit: {}", describe(&e)));
    assert_eq!(
        status.transaction_status.as_deref(),
        Some("Transaction Committed")
    );
    assert_eq!(count(&client, PG_ARN, &table).await, 0);
    // The id is gone afterwards.
    let e = in_tx(&client, PG_ARN, &id, "SELECT 1").await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "TransactionNotFoundException");

    // A savepoint rollback recovers it, as in PostgreSQL.
    let id2 = begin(&client, PG_ARN).await;
    let run2 = |sql: String| {
        let (client, id) = (client.clone(), id2.clone());
        async move { in_tx(&client, PG_ARN, &id, sql).await }
    };
    run2(format!("INSERT INTO {table} VALUES (1)"))
        .await
        .unwrap();
    run2("SAVEPOINT s1".into()).await.unwrap();
    run2(format!("INSERT INTO {table} VALUES (1)"))
        .await
        .unwrap_err();
    run2("ROLLBACK TO SAVEPOINT s1".into()).await.unwrap();
    let status = client
        .commit_transaction()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id2)
        .send()
        .await
        .unwrap();
    assert_eq!(
        status.transaction_status.as_deref(),
        Some("Transaction Committed")
    );
    assert_eq!(count(&client, PG_ARN, &table).await, 1);
    exec(&client, PG_ARN, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn mysql_ddl_commits_implicitly() {
    let (_server, client) = setup().await;
    let table = unique("txddl");
    exec(
        &client,
        MY_ARN,
        &format!("CREATE TABLE {table} (id INT PRIMARY KEY)"),
    )
    .await;
    let id = begin(&client, MY_ARN).await;
    let run = |sql: String| {
        let (client, id) = (client.clone(), id.clone());
        async move { in_tx(&client, MY_ARN, &id, sql).await }
    };
    run(format!("INSERT INTO {table} VALUES (1)"))
        .await
        .unwrap();
    run(format!("CREATE TABLE {table}_b (id INT)"))
        .await
        .unwrap();
    client
        .rollback_transaction()
        .resource_arn(MY_ARN)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .send()
        .await
        .unwrap();
    // The DDL committed the insert before the rollback: MySQL semantics, kept by the server.
    assert_eq!(count(&client, MY_ARN, &table).await, 1);
    exec(&client, MY_ARN, &format!("DROP TABLE {table}, {table}_b")).await;
}

#[tokio::test]
async fn transaction_on_another_cluster_is_not_found() {
    let (_server, client) = setup().await;
    let id = begin(&client, PG_ARN).await;
    let e = in_tx(&client, MY_ARN, &id, "SELECT 1").await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "TransactionNotFoundException");
}
