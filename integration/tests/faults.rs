//! The faults of issue 13 as the official SDK sees them, on both engines: a cluster resuming
//! in the middle of a transaction's calls, a 5xx to a CommitTransaction that committed, an
//! HTTP connection closed after the call was applied, and a transaction the server expires
//! between two of its calls. (Resuming before a call, 5xx before / after a statement and
//! dropped database connections are in `errors.rs`.)

mod common;

use aws_sdk_rdsdata::error::SdkError;
use aws_sdk_rdsdata::types::Field;
use aws_sdk_rdsdata::Client;
use common::*;
use data_api_local::FaultConfig;

async fn begin(client: &Client, arn: &str) -> String {
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

async fn commit(
    client: &Client,
    arn: &str,
    id: &str,
) -> Result<
    aws_sdk_rdsdata::operation::commit_transaction::CommitTransactionOutput,
    SdkError<aws_sdk_rdsdata::operation::commit_transaction::CommitTransactionError>,
> {
    client
        .commit_transaction()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .transaction_id(id)
        .send()
        .await
}

async fn count(client: &Client, arn: &str, table: &str) -> i64 {
    match scalar(client, arn, &format!("SELECT COUNT(*) FROM {table}")).await {
        Field::LongValue(n) => n,
        other => panic!("count: {other:?}"),
    }
}

async fn table(client: &Client, arn: &str, prefix: &str) -> String {
    let table = unique(prefix);
    exec(
        client,
        arn,
        &format!("CREATE TABLE {table} (id INT PRIMARY KEY)"),
    )
    .await;
    table
}

fn status<E>(e: &SdkError<E, aws_sdk_rdsdata::config::http::HttpResponse>) -> Option<u16> {
    e.raw_response().map(|r| r.status().as_u16())
}

/// (a) DatabaseResumingException inside a transaction: nothing runs, the transaction stays
/// open, and the same call sent again continues it.
async fn resuming_mid_transaction(arn: &str) {
    let (server, client) = setup().await;
    let t = table(&client, arn, "f_resume_mid").await;
    let id = begin(&client, arn).await;
    in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (1)"))
        .await
        .unwrap();
    server.set_faults(FaultConfig {
        resuming_in_transaction_calls: 2,
        ..Default::default()
    });
    // A call outside the transaction is not affected.
    exec(&client, arn, "SELECT 1").await;
    for _ in 0..2 {
        let e = in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (2)"))
            .await
            .unwrap_err();
        let (code, message) = code_and_message(&e);
        assert_eq!(code, "DatabaseResumingException", "{message}");
        assert!(message.contains("is resuming after being auto-paused"));
        assert_eq!(status(&e), Some(400));
    }
    in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (2)"))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "the retried statement continues the transaction: {}",
                describe(&e)
            )
        });
    // A commit meeting a resuming answer; sent again it commits both rows.
    server.set_faults(FaultConfig {
        resuming_in_transaction_calls: 1,
        ..Default::default()
    });
    let e = commit(&client, arn, &id).await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "DatabaseResumingException");
    assert_eq!(count(&client, arn, &t).await, 0, "not committed yet");
    let out = commit(&client, arn, &id).await.unwrap();
    assert_eq!(
        out.transaction_status.as_deref(),
        Some("Transaction Committed")
    );
    assert_eq!(count(&client, arn, &t).await, 2);
    let c = server.fault_counts();
    assert_eq!((c.resuming, c.resuming_in_transaction), (3, 3), "{c:?}");
    assert_eq!(server.open_transactions(), 0);
    exec(&client, arn, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn postgres_resuming_mid_transaction() {
    resuming_mid_transaction(PG_ARN).await;
}

#[tokio::test]
async fn mysql_resuming_mid_transaction() {
    resuming_mid_transaction(MY_ARN).await;
}

/// (b) A 5xx to a CommitTransaction that committed: the data is stored, the transaction is
/// gone (a repeated commit gets NotFoundException).
async fn commit_5xx_after_apply(arn: &str) {
    let (server, client) = setup().await;
    let t = table(&client, arn, "f_commit5xx").await;
    server.set_faults(FaultConfig {
        commit_5xx_after_apply_calls: 1,
        ..Default::default()
    });
    let id = begin(&client, arn).await;
    // Statements and rollbacks are not affected.
    in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (1)"))
        .await
        .unwrap();
    let e = commit(&client, arn, &id).await.unwrap_err();
    let code = code_and_message(&e).0;
    assert!(
        matches!(
            (status(&e), code.as_str()),
            (Some(500), "InternalServerErrorException") | (Some(503), "ServiceUnavailableError")
        ),
        "{:?} {code}",
        status(&e)
    );
    assert_eq!(count(&client, arn, &t).await, 1, "the commit was applied");
    let e = commit(&client, arn, &id).await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "NotFoundException");
    // Only the next commit was hit.
    let id = begin(&client, arn).await;
    in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (2)"))
        .await
        .unwrap();
    commit(&client, arn, &id).await.unwrap();
    assert_eq!(count(&client, arn, &t).await, 2);
    let c = server.fault_counts();
    assert_eq!(
        (c.commit_5xx_after_apply, c.error_5xx_after_apply),
        (1, 1),
        "{c:?}"
    );
    assert_eq!(server.open_transactions(), 0);
    exec(&client, arn, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn postgres_commit_5xx_after_apply() {
    commit_5xx_after_apply(PG_ARN).await;
}

#[tokio::test]
async fn mysql_commit_5xx_after_apply() {
    commit_5xx_after_apply(MY_ARN).await;
}

/// (c) The HTTP connection closed after the call was applied: the SDK reports a dispatch
/// (transport) failure, no answer at all; the write is there once, a commit is applied.
async fn http_dropped_after_apply(arn: &str) {
    let (server, client) = setup().await;
    let t = table(&client, arn, "f_httpdrop").await;

    server.set_faults(FaultConfig {
        drop_http_after_apply_calls: 1,
        ..Default::default()
    });
    let e = exec_err(&client, arn, &format!("INSERT INTO {t} VALUES (1)")).await;
    assert!(
        matches!(e, SdkError::DispatchFailure(_)) && e.raw_response().is_none(),
        "a transport failure without an answer: {e:?}"
    );
    // The server goes on serving (on a new connection); the write was applied once.
    assert_eq!(count(&client, arn, &t).await, 1);

    // A commit whose connection is cut: committed, and the transaction is gone.
    let id = begin(&client, arn).await;
    in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (2)"))
        .await
        .unwrap();
    server.set_faults(FaultConfig {
        drop_http_after_apply_calls: 1,
        ..Default::default()
    });
    let e = commit(&client, arn, &id).await.unwrap_err();
    assert!(matches!(e, SdkError::DispatchFailure(_)), "{e:?}");
    assert_eq!(count(&client, arn, &t).await, 2);
    let e = commit(&client, arn, &id).await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "NotFoundException");

    // A statement inside a transaction: applied in it; the transaction goes on.
    let id = begin(&client, arn).await;
    server.set_faults(FaultConfig {
        drop_http_after_apply_calls: 1,
        ..Default::default()
    });
    let e = in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (3)"))
        .await
        .unwrap_err();
    assert!(matches!(e, SdkError::DispatchFailure(_)), "{e:?}");
    // Sending it again would apply it twice: the key is taken (in the transaction).
    let e = in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (3)"))
        .await
        .unwrap_err();
    assert_eq!(code_and_message(&e).0, "DatabaseErrorException");
    client
        .rollback_transaction()
        .resource_arn(arn)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(count(&client, arn, &t).await, 2);

    // A call that fails is answered normally (nothing was applied).
    server.set_faults(FaultConfig {
        drop_http_after_apply_calls: 1,
        ..Default::default()
    });
    let e = exec_err(&client, arn, &format!("INSERT INTO {t} VALUES (1)")).await;
    assert_eq!(code_and_message(&e).0, "DatabaseErrorException");
    // …and the pending fault is still there for the next call that succeeds.
    let e = exec_err(&client, arn, "SELECT 1").await;
    assert!(matches!(e, SdkError::DispatchFailure(_)), "{e:?}");
    assert_eq!(server.fault_counts().dropped_http_after_apply, 4);
    assert_eq!(server.open_transactions(), 0);
    exec(&client, arn, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn postgres_http_dropped_after_apply() {
    http_dropped_after_apply(PG_ARN).await;
}

#[tokio::test]
async fn mysql_http_dropped_after_apply() {
    http_dropped_after_apply(MY_ARN).await;
}

/// The control endpoint works over a connection the fault would cut: it is never cut.
#[tokio::test]
async fn control_endpoint_is_not_cut() {
    let (server, _client) = setup().await;
    let body = br#"{"drop_http_after_apply_rate": 1.0}"#;
    let (status, _, text) = raw_post(&server, "/_local/faults", body).await;
    assert_eq!(status, 200, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["injected"]["droppedHttpAfterApply"], 0, "{v}");
    assert_eq!(server.fault_counts().dropped_http_after_apply, 0);
}

/// (d) Expiry after the Nth statement of a transaction (e.g. between two chunks of a bulk
/// insert): the Nth call is answered, the next finds the transaction gone, nothing is stored.
async fn expiry_after_statements(arn: &str) {
    let (server, client) = setup().await;
    let t = table(&client, arn, "f_expire_n").await;
    server.set_faults(FaultConfig {
        expire_transactions_after_statements: Some(2),
        ..Default::default()
    });
    let id = begin(&client, arn).await;
    let chunk = |start: i64| {
        client
            .batch_execute_statement()
            .resource_arn(arn)
            .secret_arn(SECRET_ARN)
            .transaction_id(&id)
            .sql(format!("INSERT INTO {t} VALUES (:id)"))
            .set_parameter_sets(Some(
                (start..start + 3)
                    .map(|i| vec![param("id", Field::LongValue(i))])
                    .collect(),
            ))
            .send()
    };
    chunk(0).await.unwrap();
    chunk(3).await.unwrap();
    let e = chunk(6).await.unwrap_err();
    let (code, message) = code_and_message(&e);
    assert_eq!(code, "TransactionNotFoundException", "{message}");
    assert!(message.contains("is not found"), "{message}");
    assert_eq!(status(&e), Some(404));
    let e = commit(&client, arn, &id).await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "NotFoundException");
    assert_eq!(count(&client, arn, &t).await, 0, "nothing of it is stored");
    assert_eq!(server.open_transactions(), 0);
    // Calls outside transactions are not counted; every transaction gets its own count.
    for _ in 0..3 {
        exec(&client, arn, "SELECT 1").await;
    }
    let id = begin(&client, arn).await;
    in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (100)"))
        .await
        .unwrap();
    commit(&client, arn, &id).await.unwrap();
    assert_eq!(count(&client, arn, &t).await, 1);
    let c = server.fault_counts();
    assert_eq!(
        (c.expired_by_fault, c.expired_transactions),
        (1, 1),
        "{c:?}"
    );
    exec(&client, arn, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn postgres_expiry_after_statements() {
    expiry_after_statements(PG_ARN).await;
}

#[tokio::test]
async fn mysql_expiry_after_statements() {
    expiry_after_statements(MY_ARN).await;
}

/// (d) Expiry on the next call of a transaction: statement and commit both meet it.
async fn expiry_on_next_call(arn: &str) {
    let (server, client) = setup().await;
    let t = table(&client, arn, "f_expire_next").await;
    let id = begin(&client, arn).await;
    in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (1)"))
        .await
        .unwrap();
    server.set_faults(FaultConfig {
        expire_transaction_calls: 1,
        ..Default::default()
    });
    // Calls outside a transaction do not use up the fault.
    exec(&client, arn, "SELECT 1").await;
    let e = in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (2)"))
        .await
        .unwrap_err();
    assert_eq!(code_and_message(&e).0, "TransactionNotFoundException");
    assert_eq!(count(&client, arn, &t).await, 0);

    // On the commit: NotFoundException, rolled back.
    let id = begin(&client, arn).await;
    in_tx(&client, arn, &id, format!("INSERT INTO {t} VALUES (3)"))
        .await
        .unwrap();
    server.set_faults(FaultConfig {
        expire_transaction_calls: 1,
        ..Default::default()
    });
    let e = commit(&client, arn, &id).await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "NotFoundException");
    assert_eq!(count(&client, arn, &t).await, 0);
    // The key is free again: the expired transaction's row lock is gone.
    exec(&client, arn, &format!("INSERT INTO {t} VALUES (3)")).await;
    let c = server.fault_counts();
    assert_eq!(
        (c.expired_by_fault, c.expired_transactions),
        (2, 2),
        "{c:?}"
    );
    assert_eq!(server.open_transactions(), 0);
    exec(&client, arn, &format!("DROP TABLE {t}")).await;
}

#[tokio::test]
async fn postgres_expiry_on_next_call() {
    expiry_on_next_call(PG_ARN).await;
}

#[tokio::test]
async fn mysql_expiry_on_next_call() {
    expiry_on_next_call(MY_ARN).await;
}

/// An auto-paused cluster's idle clock starts when its resume ends, not at the last call: a
/// client retrying shortly after the resume finds it awake even though its previous call
/// (the one that woke it) was longer ago than the auto-pause delay.
#[tokio::test]
async fn idle_clock_starts_when_a_resume_ends() {
    use std::time::Duration;
    let mut config = config();
    config.faults = FaultConfig {
        resuming_after_idle: Some(Duration::from_millis(300)),
        resuming_duration: Some(Duration::from_millis(500)),
        ..FaultConfig::default()
    };
    let server = start(config).await;
    let client = client(&server);
    for arn in [PG_ARN, MY_ARN] {
        exec(&client, arn, "SELECT 1").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        let e = exec_err(&client, arn, "SELECT 1").await;
        assert_eq!(code_and_message(&e).0, "DatabaseResumingException", "{arn}");
        // 700 ms after that call, 200 ms after the resume ended: awake.
        tokio::time::sleep(Duration::from_millis(700)).await;
        exec(&client, arn, "SELECT 1").await;
        // Idle past the delay again: paused again.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let e = exec_err(&client, arn, "SELECT 1").await;
        assert_eq!(code_and_message(&e).0, "DatabaseResumingException", "{arn}");
        tokio::time::sleep(Duration::from_millis(600)).await;
    }
}
