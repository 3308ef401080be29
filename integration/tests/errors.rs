//! Every error code the server produces, with its HTTP status, `X-Amzn-ErrorType` header and
//! `{__type, message}` body, and the exact SQL error message shapes of both engines.

mod common;

use aws_sdk_rdsdata::types::{ArrayValue, Field, SqlParameter};
use common::*;
use data_api_local::FaultConfig;

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Asserts the wire shape of an error answer.
fn assert_error(
    status: u16,
    headers: &[(String, String)],
    body: &str,
    want_status: u16,
    code: &str,
) -> serde_json::Value {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(
        header(headers, "x-amzn-errortype"),
        Some(code),
        "{headers:?}"
    );
    assert!(header(headers, "x-amzn-requestid").is_some(), "{headers:?}");
    let v: serde_json::Value =
        serde_json::from_str(body.trim()).unwrap_or_else(|e| panic!("body {body:?}: {e}"));
    assert_eq!(v["__type"], code);
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    v
}

#[tokio::test]
async fn malformed_requests_get_bad_request_never_500() {
    let (server, _client) = setup().await;
    for body in [
        &b"{not json"[..],
        b"[]",
        b"{\"resourceArn\": 5}",
        b"\xff\xfe",
        b"{\"parameters\": [{\"value\": {\"longValue\": 1, \"stringValue\": \"x\"}}]}",
    ] {
        let (status, headers, text) = raw_post(&server, "/Execute", body).await;
        assert_error(status, &headers, &text, 400, "BadRequestException");
    }
    let body = format!(
        r#"{{"resourceArn":"{PG_ARN}","secretArn":"{SECRET_ARN}","sql":"SELECT :b","parameters":[{{"name":"b","value":{{"blobValue":"***"}}}}]}}"#
    );
    let (status, headers, text) = raw_post(&server, "/Execute", body.as_bytes()).await;
    assert_error(status, &headers, &text, 400, "BadRequestException");
    let (status, headers, text) = raw_post(&server, "/ExecuteSql", b"{}").await;
    assert_error(status, &headers, &text, 400, "BadRequestException");
    let (status, headers, text) = raw_post(&server, "/NoSuchOperation", b"{}").await;
    assert_error(status, &headers, &text, 404, "NotFoundException");
}

#[tokio::test]
async fn missing_required_members_are_validation_errors() {
    let (server, _client) = setup().await;
    let (status, headers, text) = raw_post(&server, "/Execute", br#"{"sql":"SELECT 1"}"#).await;
    let v = assert_error(status, &headers, &text, 400, "ValidationException");
    assert!(
        v["message"].as_str().unwrap().contains("resourceArn"),
        "{v}"
    );
}

#[tokio::test]
async fn postgres_sql_error_shape() {
    let (_server, client) = setup().await;
    let e = exec_err(&client, PG_ARN, "SELECT * FROM no_such_table_xyz").await;
    let (code, message) = code_and_message(&e);
    assert_eq!(code, "DatabaseErrorException");
    assert_eq!(
        message,
        "ERROR: relation \"no_such_table_xyz\" does not exist; Position: 15; SQLState: 42P01"
    );
    let e = exec_err(&client, PG_ARN, "SELECT 1/0").await;
    assert_eq!(
        code_and_message(&e).1,
        "ERROR: division by zero; SQLState: 22012"
    );
    let status = e.raw_response().map(|r| r.status().as_u16());
    assert_eq!(status, Some(400));
}

#[tokio::test]
async fn postgres_error_with_detail() {
    let (_server, client) = setup().await;
    let table = unique("errdetail");
    exec(
        &client,
        PG_ARN,
        &format!("CREATE TABLE {table} (id INT PRIMARY KEY)"),
    )
    .await;
    exec(&client, PG_ARN, &format!("INSERT INTO {table} VALUES (7)")).await;
    let e = exec_err(&client, PG_ARN, &format!("INSERT INTO {table} VALUES (7)")).await;
    assert_eq!(
        code_and_message(&e).1,
        format!("ERROR: duplicate key value violates unique constraint \"{table}_pkey\"; Detail: Key (id)=(7) already exists.; SQLState: 23505")
    );
    exec(&client, PG_ARN, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn mysql_sql_error_shape() {
    let (_server, client) = setup().await;
    let e = exec_err(&client, MY_ARN, "SELECT * FROM no_such_table_xyz").await;
    let (code, message) = code_and_message(&e);
    assert_eq!(code, "DatabaseErrorException");
    assert_eq!(
        message,
        "Table 'test.no_such_table_xyz' doesn't exist; Error code: 1146; SQLState: 42S02"
    );
}

#[tokio::test]
async fn validation_errors() {
    let (_server, client) = setup().await;
    for arn in [PG_ARN, MY_ARN] {
        let e = exec_err(&client, arn, "SELECT 1; SELECT 2").await;
        assert_eq!(
            code_and_message(&e),
            (
                "ValidationException".into(),
                "Multistatements aren't supported.".into()
            )
        );
        let e = client
            .execute_statement()
            .resource_arn(arn)
            .secret_arn(SECRET_ARN)
            .schema("public")
            .sql("SELECT 1")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            code_and_message(&e),
            (
                "ValidationException".into(),
                "The schema parameter isn't supported".into()
            )
        );
        let array = Field::ArrayValue(ArrayValue::LongValues(vec![Some(1), Some(2)]));
        let e = client
            .execute_statement()
            .resource_arn(arn)
            .secret_arn(SECRET_ARN)
            .sql("SELECT :a")
            .parameters(param("a", array))
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            code_and_message(&e),
            (
                "ValidationException".into(),
                "Array parameters are not supported".into()
            )
        );
        let e = client
            .begin_transaction()
            .resource_arn(arn)
            .secret_arn(SECRET_ARN)
            .schema("s")
            .send()
            .await
            .unwrap_err();
        assert_eq!(code_and_message(&e).0, "ValidationException");
    }
    // A semicolon inside a literal or a trailing one is not a second statement.
    exec(&client, PG_ARN, "SELECT ';' ;").await;
    exec(&client, MY_ARN, "SELECT ';' ;").await;
}

#[tokio::test]
async fn missing_parameter_is_named() {
    let (_server, client) = setup().await;
    for arn in [PG_ARN, MY_ARN] {
        let e = client
            .execute_statement()
            .resource_arn(arn)
            .secret_arn(SECRET_ARN)
            .sql("SELECT :present, :absent_one")
            .parameters(param("present", Field::LongValue(1)))
            .send()
            .await
            .unwrap_err();
        let (code, message) = code_and_message(&e);
        assert_eq!(code, "BadRequestException");
        assert!(message.contains("absent_one"), "{message}");
    }
}

#[tokio::test]
async fn bad_type_hint_format() {
    let (_server, client) = setup().await;
    let p = hinted("d", "29/02/2024", aws_sdk_rdsdata::types::TypeHint::Date);
    let e = client
        .execute_statement()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .sql("SELECT :d")
        .parameters(p)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code_and_message(&e).1, "Cannot parse date or time");
}

#[tokio::test]
async fn unknown_cluster_is_not_found() {
    let (_server, client) = setup().await;
    let e = exec_err(
        &client,
        "arn:aws:rds:us-east-1:123456789012:cluster:nope",
        "SELECT 1",
    )
    .await;
    assert_eq!(code_and_message(&e).0, "NotFoundException");
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(404));
}

#[tokio::test]
async fn postgres_unsupported_result_types() {
    let (_server, client) = setup().await;
    for (sql, type_name) in [
        ("SELECT 12.5::money", "money"),
        ("SELECT ARRAY[[1,2],[3,4]]", "_int4"),
        ("SELECT point(1,2)", "point"),
        ("SELECT '08:00:2b:01:02:03'::macaddr", "macaddr"),
    ] {
        let e = exec_err(&client, PG_ARN, sql).await;
        let (code, message) = code_and_message(&e);
        assert_eq!(code, "UnsupportedResultException", "{sql}");
        assert!(
            message.contains(type_name) || message.contains("unsupported"),
            "{sql}: {message}"
        );
    }
}

#[tokio::test]
async fn injected_resuming_and_5xx() {
    let (server, client) = setup().await;
    server.set_faults(FaultConfig {
        resuming_calls: 2,
        ..Default::default()
    });
    for _ in 0..2 {
        let e = exec_err(&client, PG_ARN, "SELECT 1").await;
        let (code, message) = code_and_message(&e);
        assert_eq!(code, "DatabaseResumingException");
        assert!(
            message.contains("is resuming after being auto-paused"),
            "{message}"
        );
        assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(400));
    }
    exec(&client, PG_ARN, "SELECT 1").await;
    server.set_faults(FaultConfig {
        error_5xx_rate: 1.0,
        ..Default::default()
    });
    for _ in 0..6 {
        let e = exec_err(&client, PG_ARN, "SELECT 1").await;
        let status = e.raw_response().map(|r| r.status().as_u16()).unwrap();
        let code = code_and_message(&e).0;
        assert!(
            matches!(
                (status, code.as_str()),
                (500, "InternalServerErrorException") | (503, "ServiceUnavailableError")
            ),
            "{status} {code}"
        );
    }
    assert_eq!(server.fault_counts().resuming, 2);
    assert_eq!(server.fault_counts().error_5xx, 6);
}

#[tokio::test]
async fn error_after_apply_applies_the_write() {
    let (server, client) = setup().await;
    let table = unique("afterapply");
    exec(&client, MY_ARN, &format!("CREATE TABLE {table} (id INT)")).await;
    server.set_faults(FaultConfig {
        error_5xx_after_apply_rate: 1.0,
        ..Default::default()
    });
    let e = exec_err(&client, MY_ARN, &format!("INSERT INTO {table} VALUES (1)")).await;
    assert!(e.raw_response().is_some_and(|r| r.status().as_u16() >= 500));
    server.set_faults(FaultConfig::default());
    assert_eq!(
        scalar(&client, MY_ARN, &format!("SELECT COUNT(*) FROM {table}")).await,
        Field::LongValue(1)
    );
    exec(&client, MY_ARN, &format!("DROP TABLE {table}")).await;
}

#[tokio::test]
async fn dropped_connection_fails_the_call_then_recovers() {
    let (server, client) = setup().await;
    for arn in [PG_ARN, MY_ARN] {
        server.set_faults(FaultConfig {
            drop_connection_rate: 1.0,
            ..Default::default()
        });
        let e = exec_err(&client, arn, "SELECT 1").await;
        assert_eq!(
            code_and_message(&e).0,
            "DatabaseErrorException",
            "{arn}: {}",
            describe(&e)
        );
        server.set_faults(FaultConfig::default());
        exec(&client, arn, "SELECT 1").await;
    }
    assert_eq!(server.fault_counts().dropped_connections, 2);
}

#[tokio::test]
async fn dropped_connection_ends_the_transaction() {
    let (server, client) = setup().await;
    let id = client
        .begin_transaction()
        .resource_arn(PG_ARN)
        .secret_arn(SECRET_ARN)
        .send()
        .await
        .unwrap()
        .transaction_id
        .unwrap();
    server.set_faults(FaultConfig {
        drop_connection_rate: 1.0,
        ..Default::default()
    });
    in_tx(&client, PG_ARN, &id, "SELECT 1").await.unwrap_err();
    server.set_faults(FaultConfig::default());
    let e = in_tx(&client, PG_ARN, &id, "SELECT 1").await.unwrap_err();
    assert_eq!(code_and_message(&e).0, "TransactionNotFoundException");
}

#[tokio::test]
async fn sql_parameters_with_wrong_shape_are_rejected() {
    let (server, _client) = setup().await;
    // A parameter without a value.
    let body = serde_json::json!({"resourceArn": PG_ARN, "secretArn": SECRET_ARN, "sql": "SELECT :a", "parameters": [{"name": "a"}]});
    let (status, headers, text) = raw_post(&server, "/Execute", body.to_string().as_bytes()).await;
    assert_error(status, &headers, &text, 400, "BadRequestException");
    let _ = SqlParameter::builder();
}

#[tokio::test]
async fn unknown_secret_is_refused_when_secrets_are_mapped() {
    let mut config = config();
    for cluster in &mut config.clusters {
        cluster.secrets.insert(
            SECRET_ARN.into(),
            data_api_local::SecretCredentials {
                username: if cluster.arn == PG_ARN {
                    "postgres"
                } else {
                    "root"
                }
                .into(),
                password: String::new(),
            },
        );
    }
    let server = start(config).await;
    let client = client(&server);
    exec(&client, PG_ARN, "SELECT 1").await;
    exec(&client, MY_ARN, "SELECT 1").await;
    let other = "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-XyZ";
    let e = client
        .execute_statement()
        .resource_arn(PG_ARN)
        .secret_arn(other)
        .sql("SELECT 1")
        .send()
        .await
        .unwrap_err();
    let (code, message) = code_and_message(&e);
    assert_eq!(code, "BadRequestException");
    assert!(
        message.contains("can't find the specified secret"),
        "{message}"
    );
}
