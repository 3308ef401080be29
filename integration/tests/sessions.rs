//! Session state does not leak between calls: the server resets a pooled session
//! (PostgreSQL: DISCARD ALL without DEALLOCATE ALL; MySQL: COM_RESET_CONNECTION) before it
//! serves another call, as on the real service no session state survives between calls. The
//! sessions are still reused (same backend / connection id), not reopened.

mod common;

use aws_sdk_rdsdata::types::Field;
use common::*;

async fn connection_id(client: &aws_sdk_rdsdata::Client, arn: &str, sql: &str) -> i64 {
    match scalar(client, arn, sql).await {
        Field::LongValue(n) => n,
        other => panic!("{sql}: {other:?}"),
    }
}

#[tokio::test]
async fn postgres_session_state_does_not_leak() {
    let (_server, client) = setup().await;
    let pid = connection_id(&client, PG_ARN, "SELECT pg_backend_pid()").await;
    let temp = unique("pgtemp");
    exec(
        &client,
        PG_ARN,
        &format!("CREATE TEMP TABLE {temp} (id int)"),
    )
    .await;
    exec(&client, PG_ARN, "SET application_name = 'leaked'").await;
    exec(&client, PG_ARN, "PREPARE leaked_stmt AS SELECT 1").await;
    exec(&client, PG_ARN, "SELECT pg_advisory_lock(424242)").await;
    // The same pooled session serves the next calls, without the state.
    assert_eq!(
        connection_id(&client, PG_ARN, "SELECT pg_backend_pid()").await,
        pid
    );
    let e = exec_err(&client, PG_ARN, &format!("SELECT * FROM {temp}")).await;
    let (_, message) = code_and_message(&e);
    assert!(message.ends_with("SQLState: 42P01"), "{message}");
    assert_ne!(
        scalar(
            &client,
            PG_ARN,
            "SELECT current_setting('application_name')"
        )
        .await,
        Field::StringValue("leaked".into())
    );
    let e = exec_err(&client, PG_ARN, "EXECUTE leaked_stmt").await;
    assert!(code_and_message(&e).1.ends_with("SQLState: 26000"));
    assert_eq!(
        scalar(
            &client,
            PG_ARN,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 424242"
        )
        .await,
        Field::LongValue(0)
    );
    // Enum types (looked up by tokio-postgres with its own prepared statements) still work
    // after resets.
    let mood = unique("mood");
    exec(
        &client,
        PG_ARN,
        &format!("CREATE TYPE {mood} AS ENUM ('ok')"),
    )
    .await;
    for _ in 0..2 {
        assert_eq!(
            scalar(&client, PG_ARN, &format!("SELECT 'ok'::{mood}")).await,
            Field::StringValue("ok".into())
        );
    }
    exec(&client, PG_ARN, &format!("DROP TYPE {mood}")).await;

    // A session-level SET made inside a transaction does not outlive it either.
    let id = client
        .begin_transaction()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .send()
        .await
        .unwrap()
        .transaction_id
        .unwrap();
    in_tx(&client, PG_ARN, &id, "SET application_name = 'from_tx'")
        .await
        .unwrap();
    client
        .commit_transaction()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .transaction_id(&id)
        .send()
        .await
        .unwrap();
    for _ in 0..3 {
        assert_ne!(
            scalar(
                &client,
                PG_ARN,
                "SELECT current_setting('application_name')"
            )
            .await,
            Field::StringValue("from_tx".into())
        );
    }
}

#[tokio::test]
async fn mysql_session_state_does_not_leak() {
    let (_server, client) = setup().await;
    let id = connection_id(&client, MY_ARN, "SELECT CONNECTION_ID()").await;
    let temp = unique("mytemp");
    exec(
        &client,
        MY_ARN,
        &format!("CREATE TEMPORARY TABLE {temp} (id int)"),
    )
    .await;
    exec(&client, MY_ARN, "SET @leaked = 1").await;
    exec(&client, MY_ARN, "SET SESSION sql_mode = 'ANSI_QUOTES'").await;
    assert_eq!(
        connection_id(&client, MY_ARN, "SELECT CONNECTION_ID()").await,
        id
    );
    let e = exec_err(&client, MY_ARN, &format!("SELECT * FROM {temp}")).await;
    assert!(
        code_and_message(&e).1.contains("Error code: 1146"),
        "{}",
        describe(&e)
    );
    assert_eq!(
        scalar(&client, MY_ARN, "SELECT @leaked").await,
        Field::IsNull(true)
    );
    let Field::StringValue(mode) = scalar(&client, MY_ARN, "SELECT @@SESSION.sql_mode").await
    else {
        panic!("sql_mode")
    };
    assert_ne!(mode, "ANSI_QUOTES");
    // Prepared statements are re-prepared after the reset: parameters still work.
    for n in 0..3 {
        let out = client
            .execute_statement()
            .resource_arn(MY_ARN)
            .secret_arn(SECRET_ARN)
            .sql("SELECT :n + 1")
            .parameters(param("n", Field::LongValue(n)))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{}", describe(&e)));
        assert_eq!(out.records.unwrap()[0][0], Field::LongValue(n + 1));
    }
}
