use super::*;
use sea_orm::sea_query::Values;

fn pg(sql: &str, values: Vec<Value>) -> crate::session::Prepared {
    bind(&Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .unwrap()
}

#[test]
fn pg_placeholders_are_cast_to_exact_types() {
    let b = pg(
        "SELECT $1, $2, $3, $4, $5",
        vec![
            1i32.into(),
            uuid::Uuid::nil().into(),
            serde_json::json!({"a": 1}).into(),
            Value::String(None),
            bigdecimal::BigDecimal::from(7).into(),
        ],
    );
    assert_eq!(
        b.sql,
        "SELECT :p1::int4, :p2::uuid, :p3::jsonb, :p4::text, :p5::numeric"
    );
    assert_eq!(b.params.len(), 5);
    assert_eq!(b.params[0].name(), Some("p1"));
    assert_eq!(b.params[3].value(), Some(&Field::IsNull(true)));
}

#[test]
fn mysql_casts_only_where_needed() {
    let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let b = bind(&Statement::from_sql_and_values(
        DbBackend::MySql,
        "SELECT ?, ?, ?, '?'",
        vec![1i32.into(), date.into(), u64::MAX.into()],
    ))
    .unwrap();
    assert_eq!(
        b.sql,
        "SELECT :p1, CAST(:p2 AS DATE), CAST(:p3 AS UNSIGNED), '?'"
    );
    assert_eq!(
        b.params[2].value(),
        Some(&Field::StringValue(u64::MAX.to_string()))
    );
}

#[test]
fn too_few_values_is_an_error_not_a_panic() {
    let s = Statement {
        sql: "SELECT $1, $2".into(),
        values: Some(Values(vec![1i32.into()])),
        db_backend: DbBackend::Postgres,
    };
    assert!(matches!(bind(&s), Err(DbErr::Type(_))));
    let s = Statement::from_string(DbBackend::Sqlite, "SELECT 1");
    assert!(matches!(bind(&s), Err(DbErr::Conn(_))));
    let s = Statement::from_string(DbBackend::Postgres, "SELECT 'open");
    assert!(matches!(bind(&s), Err(DbErr::Custom(_))));
}

#[test]
fn temporal_text_forms() {
    let t = NaiveDate::from_ymd_opt(2024, 1, 2)
        .unwrap()
        .and_hms_micro_opt(3, 4, 5, 60)
        .unwrap();
    assert_eq!(pg_timestamp(&t), "2024-01-02 03:04:05.000060");
    let bc = NaiveDate::from_ymd_opt(0, 3, 1).unwrap();
    assert_eq!(pg_date(&bc), "0001-03-01 BC");
    let tz = chrono::FixedOffset::east_opt(3600)
        .unwrap()
        .from_utc_datetime(&t);
    assert_eq!(offset_seconds(&tz), 3600);
    assert_eq!(
        zoned(&tz),
        Field::StringValue("2024-01-02 03:04:05.000060+00:00".into())
    );
    assert!(mysql_date(&bc).is_ok());
    assert!(mysql_date(&NaiveDate::from_ymd_opt(-1, 1, 1).unwrap()).is_err());
    assert_eq!(double_field(f64::NAN), Field::StringValue("NaN".into()));
    assert!(mysql_double(f64::INFINITY).is_err());
}
