use super::*;
use crate::error::ErrorCode;

#[test]
fn driver_named_param_replica() {
    assert!(!driver_sees_named_params(
        "SELECT ?, ':a', `:b` -- :c\n, /* :d */ 1"
    ));
    assert!(driver_sees_named_params("SELECT '\\\\', ':a'"));
    assert!(driver_sees_named_params("SELECT 1::int"));
    assert!(!driver_sees_named_params("SELECT ':1', :1"));
}

#[test]
fn binds_hints() {
    let p = |v: Field, hint: Option<&str>| SqlParameter {
        name: Some("p".into()),
        value: Some(v),
        type_hint: hint.map(str::to_string),
    };
    let v = bind(&p(
        Field::StringValue("2024-02-29 01:02:03.5".into()),
        Some("timestamp"),
    ))
    .unwrap();
    assert_eq!(v.value, Value::Date(2024, 2, 29, 1, 2, 3, 500_000));
    let v = bind(&p(Field::StringValue("25:00:01".into()), Some("TIME"))).unwrap();
    assert_eq!(v.value, Value::Time(false, 1, 1, 0, 1, 0));
    let v = bind(&p(Field::StringValue("2024-02-29".into()), Some("DATE"))).unwrap();
    assert_eq!(v.value, Value::Bytes(b"2024-02-29".to_vec()));
    let e = bind(&p(
        Field::StringValue("2024-02-29T01:02:03".into()),
        Some("TIMESTAMP"),
    ))
    .err()
    .unwrap();
    assert_eq!(e.code, ErrorCode::BadRequest);
    assert_eq!(
        bind(&p(Field::BooleanValue(true), None)).unwrap().value,
        Value::Int(1)
    );
    assert!(bind(&p(Field::BlobValue(vec![1]), None)).unwrap().binary);
    assert_eq!(
        bind(&p(Field::IsNull(true), None)).unwrap().value,
        Value::NULL
    );
}

#[test]
fn literals() {
    let b = |value, binary| Bound { value, binary };
    assert_eq!(
        literal(&b(Value::Bytes(b"a'".to_vec()), false)),
        "_utf8mb4 X'6127'"
    );
    assert_eq!(literal(&b(Value::Bytes(vec![0, 255]), true)), "X'00FF'");
    assert_eq!(literal(&b(Value::Double(1.5), false)), "1.5e0");
    assert_eq!(
        literal(&b(Value::Time(true, 1, 2, 3, 4, 5), false)),
        "TIME'-26:03:04.000005'"
    );
    let sql = "SELECT ':x', :a, :b";
    let out = interpolate(sql, &[b(Value::Int(1), false), b(Value::NULL, false)]);
    assert_eq!(out, "SELECT ':x', 1, NULL");
    let out = cast_binary_placeholders(
        "SELECT ':b', :a, :b, :a",
        &[
            b(Value::Int(1), false),
            b(Value::Bytes(vec![0]), true),
            b(Value::Int(1), false),
        ],
    );
    assert_eq!(out, "SELECT ':b', ?, CAST(? AS BINARY), ?");
}

#[test]
fn server_error_shape() {
    let e = mysql_async::Error::Server(mysql_async::ServerError {
        code: 1062,
        message: "Duplicate entry '1' for key 'PRIMARY'".into(),
        state: "23000".into(),
    });
    let (api, fatal) = error_to_api(&e);
    assert!(!fatal);
    assert_eq!(api.code, ErrorCode::DatabaseError);
    assert_eq!(
        api.message,
        "Duplicate entry '1' for key 'PRIMARY'; Error code: 1062; SQLState: 23000"
    );
    let io = mysql_async::Error::Driver(mysql_async::DriverError::ConnectionClosed);
    let (api, fatal) = error_to_api(&io);
    assert!(fatal);
    assert!(
        api.message.starts_with("Communications link failure: "),
        "{}",
        api.message
    );
}
