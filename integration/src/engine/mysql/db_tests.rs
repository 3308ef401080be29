//! Tests against the MariaDB/MySQL at `MYSQL_TEST_URL` (default
//! `mysql://root@127.0.0.1:3306/test`). They fail, never skip, when it is unreachable.

use super::*;
use crate::error::ErrorCode;

fn url() -> String {
    std::env::var("MYSQL_TEST_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

async fn session() -> MysqlSession {
    match MysqlSession::connect(&url(), None).await {
        Ok(s) => s,
        Err(e) => {
            panic!(
                "MariaDB/MySQL test server at {} is unreachable (set MYSQL_TEST_URL): {e}",
                url()
            )
        }
    }
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}_{}_{}", std::process::id(), nanos % 1_000_000_000)
}

fn param(name: &str, value: Field) -> SqlParameter {
    SqlParameter {
        name: Some(name.into()),
        value: Some(value),
        type_hint: None,
    }
}

fn hinted(name: &str, value: &str, hint: &str) -> SqlParameter {
    SqlParameter {
        name: Some(name.into()),
        value: Some(Field::StringValue(value.into())),
        type_hint: Some(hint.into()),
    }
}

fn s(v: &str) -> Field {
    Field::StringValue(v.into())
}

#[tokio::test]
async fn every_type_round_trips() {
    let mut db = session().await;
    let table = unique("types");
    let opts = ResultOptions::default();
    db.execute(
        &format!(
            "CREATE TABLE {table} (
                id INT AUTO_INCREMENT PRIMARY KEY,
                b TINYINT(1), bit1 BIT(1), bit8 BIT(8),
                ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
                mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED,
                bi BIGINT, biu BIGINT UNSIGNED,
                f FLOAT, d DOUBLE, de DECIMAL(10,2) NOT NULL,
                c CHAR(5), v VARCHAR(10), t TEXT, e ENUM('a','b'), st SET('a','b','c'),
                bn BINARY(4), vb VARBINARY(8), bl BLOB,
                dt DATE, tm TIME(6), dtm DATETIME(6), ts TIMESTAMP(6) NULL, y YEAR, j JSON
            ) DEFAULT CHARSET=utf8mb4"
        ),
        &[],
        opts,
    )
    .await
    .unwrap();

    let insert = format!(
        "INSERT INTO {table} (b, bit1, bit8, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, f, d, de,
            c, v, t, e, st, bn, vb, bl, dt, tm, dtm, ts, y, j)
         VALUES (:b, :bit1, :bit8, :ti, :tiu, :si, :siu, :mi, :miu, :i, :iu, :bi, :biu, :f, :d, :de,
            :c, :v, :t, :e, :st, :bn, :vb, :bl, :dt, :tm, :dtm, :ts, :y, :j)"
    );
    let params = vec![
        param("b", Field::BooleanValue(true)),
        param("bit1", Field::LongValue(1)),
        param("bit8", Field::LongValue(0x81)),
        param("ti", Field::LongValue(-128)),
        param("tiu", Field::LongValue(255)),
        param("si", Field::LongValue(-32768)),
        param("siu", Field::LongValue(65535)),
        param("mi", Field::LongValue(-8_388_608)),
        param("miu", Field::LongValue(16_777_215)),
        param("i", Field::LongValue(-2_147_483_648)),
        param("iu", Field::LongValue(4_294_967_295)),
        param("bi", Field::LongValue(i64::MIN)),
        param("biu", s("18446744073709551615")),
        param("f", Field::DoubleValue(1.5)),
        param("d", Field::DoubleValue(2.25)),
        hinted("de", "0.10", "DECIMAL"),
        param("c", s("ab")),
        param("v", s("héllo")),
        param("t", s("long text")),
        param("e", s("b")),
        param("st", s("a,c")),
        param("bn", Field::BlobValue(vec![1, 2])),
        param("vb", Field::BlobValue(vec![0, 255])),
        param("bl", Field::BlobValue(b"blob".to_vec())),
        hinted("dt", "2024-02-29", "DATE"),
        param("tm", s("-838:59:59")),
        hinted("dtm", "2021-01-02 03:04:05.12", "TIMESTAMP"),
        hinted("ts", "2021-01-02 03:04:05", "TIMESTAMP"),
        param("y", Field::LongValue(2021)),
        hinted("j", r#"{"a": [1, 2]}"#, "JSON"),
    ];
    let r = db.execute(&insert, &params, opts).await.unwrap();
    assert_eq!(r.updated, 1);
    assert_eq!(r.generated, vec![Field::LongValue(1)]);
    assert!(!r.has_result_set);
    // A row of NULLs (DECIMAL is NOT NULL).
    let r = db
        .execute(
            &format!("INSERT INTO {table} (de) VALUES (:de)"),
            &[param("de", Field::LongValue(3))],
            opts,
        )
        .await
        .unwrap();
    assert_eq!(r.generated, vec![Field::LongValue(2)]);

    let r = db
        .execute(&format!("SELECT * FROM {table} ORDER BY id"), &[], opts)
        .await
        .unwrap();
    assert!(r.has_result_set);
    assert_eq!(r.updated, 0);
    assert!(r.generated.is_empty());
    let row = &r.records[0];
    let expected = vec![
        Field::LongValue(1),
        Field::BooleanValue(true),
        Field::BooleanValue(true),
        Field::BooleanValue(true),
        Field::LongValue(-128),
        Field::LongValue(255),
        Field::LongValue(-32768),
        Field::LongValue(65535),
        Field::LongValue(-8_388_608),
        Field::LongValue(16_777_215),
        Field::LongValue(-2_147_483_648),
        Field::LongValue(4_294_967_295),
        Field::LongValue(i64::MIN),
        s("18446744073709551615"),
        Field::DoubleValue(1.5),
        Field::DoubleValue(2.25),
        s("0.10"),
        s("ab"),
        s("héllo"),
        s("long text"),
        s("b"),
        s("a,c"),
        Field::BlobValue(vec![1, 2, 0, 0]),
        Field::BlobValue(vec![0, 255]),
        Field::BlobValue(b"blob".to_vec()),
        s("2024-02-29"),
        s("-838:59:59"),
        s("2021-01-02 03:04:05.12"),
        s("2021-01-02 03:04:05"),
        s("2021"),
    ];
    assert_eq!(&row[..expected.len()], &expected[..]);
    // JSON: MySQL normalizes the text, MariaDB (LONGTEXT) keeps it; compare as JSON.
    let Field::StringValue(j) = &row[expected.len()] else {
        panic!("json: {:?}", row[expected.len()])
    };
    let j: serde_json::Value = serde_json::from_str(j).unwrap();
    assert_eq!(j, serde_json::json!({"a": [1, 2]}));

    let nulls = &r.records[1];
    assert_eq!(nulls[0], Field::LongValue(2));
    assert_eq!(nulls[16], s("3.00"));
    for (i, f) in nulls.iter().enumerate() {
        if i != 0 && i != 16 {
            assert_eq!(f, &Field::IsNull(true), "column {i}");
        }
    }

    let meta = |name: &str| r.columns.iter().find(|c| c.name == name).unwrap().clone();
    let types: Vec<(&str, &str, i32)> = vec![
        ("id", "INT", 4),
        ("b", "BIT", -7),
        ("bit8", "BIT", -7),
        ("ti", "TINYINT", -6),
        ("tiu", "TINYINT UNSIGNED", -6),
        ("siu", "SMALLINT UNSIGNED", 5),
        ("mi", "MEDIUMINT", 4),
        ("iu", "INT UNSIGNED", 4),
        ("bi", "BIGINT", -5),
        ("biu", "BIGINT UNSIGNED", -5),
        ("f", "FLOAT", 7),
        ("d", "DOUBLE", 8),
        ("de", "DECIMAL", 3),
        ("c", "CHAR", 1),
        ("v", "VARCHAR", 12),
        ("t", "TEXT", -1),
        ("e", "ENUM", 1),
        ("st", "SET", 1),
        ("bn", "BINARY", -2),
        ("vb", "VARBINARY", -3),
        ("bl", "BLOB", -4),
        ("dt", "DATE", 91),
        ("tm", "TIME", 92),
        ("dtm", "DATETIME", 93),
        ("ts", "TIMESTAMP", 93),
        ("y", "YEAR", 91),
    ];
    for (name, type_name, code) in types {
        let m = meta(name);
        assert_eq!(
            (m.type_name.as_str(), m.type_code),
            (type_name, code),
            "column {name}"
        );
        assert_eq!(m.table_name, table);
        assert_eq!(m.schema_name, "");
    }
    let id = meta("id");
    assert!(id.is_auto_increment && id.is_signed);
    assert_eq!(id.nullable, 0);
    let de = meta("de");
    assert_eq!((de.precision, de.scale, de.nullable), (10, 2, 0));
    assert_eq!(meta("v").precision, 10);
    assert_eq!(meta("dtm").scale, 6);
    assert!(!meta("iu").is_signed);
    // MariaDB stores JSON as LONGTEXT; the session's lookup reports it as JSON, as MySQL.
    assert_eq!(meta("j").type_name, "JSON");

    // longReturnType=STRING and decimalReturnType=DOUBLE_OR_LONG.
    let opts2 = ResultOptions {
        long_as_string: true,
        decimal_as_number: true,
    };
    let r = db
        .execute(
            &format!("SELECT i, biu, de, b FROM {table} WHERE id = :id"),
            &[param("id", Field::LongValue(1))],
            opts2,
        )
        .await
        .unwrap();
    assert_eq!(
        r.records,
        vec![vec![
            s("-2147483648"),
            s("18446744073709551615"),
            Field::DoubleValue(0.1),
            Field::BooleanValue(true)
        ]]
    );

    // The same parameter twice; a hinted TIME with a fraction.
    let r = db
        .execute(
            "SELECT :x + :x AS twice, :t AS t",
            &[
                param("x", Field::LongValue(21)),
                hinted("t", "12:34:56.5", "TIME"),
            ],
            opts,
        )
        .await
        .unwrap();
    assert_eq!(r.records, vec![vec![Field::LongValue(42), s("12:34:56.5")]]);
    assert_eq!(r.columns[0].name, "twice");

    // A blobValue parameter is binary data: `SELECT :b` is a VARBINARY column, bytes kept
    // (not a utf8mb4 VARCHAR turned into a lossy stringValue), and compares byte for byte
    // (not by the connection's case-insensitive collation).
    let bytes = vec![0x80, 0, 0xff, b'a'];
    let r = db
        .execute(
            "SELECT :b AS b, :lower = :upper AS same, :s AS s",
            &[
                param("b", Field::BlobValue(bytes.clone())),
                param("lower", Field::BlobValue(b"a".to_vec())),
                param("upper", Field::BlobValue(b"A".to_vec())),
                param("s", s("ü")),
            ],
            opts,
        )
        .await
        .unwrap();
    assert_eq!(
        r.records,
        vec![vec![Field::BlobValue(bytes), Field::LongValue(0), s("ü")]]
    );
    assert_eq!(r.columns[0].type_name, "VARBINARY");

    db.execute(&format!("DROP TABLE {table}"), &[], opts)
        .await
        .unwrap();
    assert!(db.is_usable());
}

#[tokio::test]
async fn errors_and_fallbacks() {
    let mut db = session().await;
    let table = unique("errs");
    let opts = ResultOptions::default();
    db.execute(
        &format!("CREATE TABLE {table} (id INT PRIMARY KEY, name VARCHAR(20))"),
        &[],
        opts,
    )
    .await
    .unwrap();
    let insert = format!("INSERT INTO {table} VALUES (:id, :name)");
    let params = [param("id", Field::LongValue(1)), param("name", s("a"))];
    let r = db.execute(&insert, &params, opts).await.unwrap();
    assert_eq!(r.updated, 1);
    // No AUTO_INCREMENT: no generated key.
    assert!(r.generated.is_empty());

    let e = db.execute(&insert, &params, opts).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::DatabaseError);
    assert!(
        e.message.starts_with("Duplicate entry '1' for key"),
        "{}",
        e.message
    );
    assert!(
        e.message.ends_with("; Error code: 1062; SQLState: 23000"),
        "{}",
        e.message
    );
    assert!(db.is_usable());

    let e = db.execute("SELEC 1", &[], opts).await.unwrap_err();
    assert!(
        e.message.contains("; Error code: 1064; SQLState: 42000"),
        "{}",
        e.message
    );

    // Missing parameter and multi-statements are refused before reaching the server.
    let e = db.execute("SELECT :nope", &[], opts).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::BadRequest);
    let e = db
        .execute("SELECT 1; SELECT 2", &[], opts)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);

    // UPDATE counts; a statement mysql_async's own lexer would misread goes by text.
    let r = db
        .execute(
            &format!("UPDATE {table} SET name = CONCAT(:n, '\\\\', ':x') WHERE id = :id"),
            &[param("n", s("it's")), param("id", Field::LongValue(1))],
            opts,
        )
        .await
        .unwrap();
    assert_eq!(r.updated, 1);
    let r = db
        .execute(&format!("SELECT name FROM {table}"), &[], opts)
        .await
        .unwrap();
    assert_eq!(r.records, vec![vec![s("it's\\:x")]]);

    // SQL-level PREPARE/EXECUTE cannot go through the binary protocol (error 1295): they
    // run through the text protocol, results included.
    db.execute(
        &format!("PREPARE dapi_s FROM 'SELECT COUNT(*) AS n FROM {table}'"),
        &[],
        opts,
    )
    .await
    .unwrap();
    let r = db.execute("EXECUTE dapi_s", &[], opts).await.unwrap();
    assert_eq!(r.records, vec![vec![Field::LongValue(1)]]);
    assert_eq!(r.columns[0].name, "n");
    db.execute("DEALLOCATE PREPARE dapi_s", &[], opts)
        .await
        .unwrap();
    // ...but not with parameters: the server's error is returned.
    let e = db
        .execute(
            "EXECUTE dapi_s USING :p",
            &[param("p", Field::LongValue(1))],
            opts,
        )
        .await
        .unwrap_err();
    assert!(e.message.contains("Error code: 1295"), "{}", e.message);

    // Transactions through simple().
    db.simple("START TRANSACTION").await.unwrap();
    db.execute(&format!("DELETE FROM {table}"), &[], opts)
        .await
        .unwrap();
    db.simple("ROLLBACK").await.unwrap();
    let r = db
        .execute(&format!("SELECT COUNT(*) FROM {table}"), &[], opts)
        .await
        .unwrap();
    assert_eq!(r.records, vec![vec![Field::LongValue(1)]]);
    let e = db.simple("NOT SQL").await.unwrap_err();
    assert!(e.message.contains("Error code: 1064"), "{}", e.message);

    db.execute(&format!("DROP TABLE {table}"), &[], opts)
        .await
        .unwrap();
    assert!(db.is_usable());
}

#[tokio::test]
async fn connect_errors_and_cancel() {
    let e = MysqlSession::connect(&url(), Some("no_such_db_for_data_api_tests"))
        .await
        .err()
        .unwrap();
    assert!(
        e.message.contains("Error code: 1049; SQLState: 42000"),
        "{}",
        e.message
    );
    let e = MysqlSession::connect("mysql://root@127.0.0.1:1/test", None)
        .await
        .err()
        .unwrap();
    assert!(
        e.message.starts_with("Communications link failure: "),
        "{}",
        e.message
    );

    let mut db = session().await;
    assert!(db.connection_id() > 0);
    let handle = db.cancel_handle();
    let killer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        handle.cancel().await;
    });
    let started = std::time::Instant::now();
    let r = db
        .execute("SELECT SLEEP(20)", &[], ResultOptions::default())
        .await;
    killer.await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "KILL QUERY did not stop the statement"
    );
    // MySQL makes SLEEP return 1 when killed; MariaDB reports error 1317.
    match r {
        Ok(r) => assert_eq!(r.records, vec![vec![Field::LongValue(1)]]),
        Err(e) => assert!(e.message.contains("Error code: 1317"), "{}", e.message),
    }
    assert!(db.is_usable());
    let r = db
        .execute("SELECT 1 AS one", &[], ResultOptions::default())
        .await
        .unwrap();
    assert_eq!(r.records, vec![vec![Field::LongValue(1)]]);
}
