use super::*;

#[test]
fn cuts_head_rows_and_tail() {
    let sql = "INSERT INTO \"t\" (\"a\", \"b\") VALUES (CAST(:p1 AS int4), CAST(:p2 AS text)), (CAST(:p3 AS int4), DEFAULT) ON CONFLICT (\"a\") DO UPDATE SET \"b\" = CAST(:p5 AS text) RETURNING \"a\"";
    let m = parse_multi_row_insert(sql, Dialect::Postgres).unwrap();
    assert_eq!(m.head, "INSERT INTO \"t\" (\"a\", \"b\") VALUES");
    assert_eq!(
        m.rows,
        vec![
            "(CAST(:p1 AS int4), CAST(:p2 AS text))",
            "(CAST(:p3 AS int4), DEFAULT)"
        ]
    );
    assert_eq!(
        m.tail,
        " ON CONFLICT (\"a\") DO UPDATE SET \"b\" = CAST(:p5 AS text) RETURNING \"a\""
    );
    assert_eq!(
        m.with_rows(&m.rows[1..]),
        "INSERT INTO \"t\" (\"a\", \"b\") VALUES (CAST(:p3 AS int4), DEFAULT) ON CONFLICT (\"a\") DO UPDATE SET \"b\" = CAST(:p5 AS text) RETURNING \"a\""
    );
    assert_eq!(named_placeholders(m.tail, Dialect::Postgres), vec!["p5"]);
    assert_eq!(
        named_placeholders(m.rows[0], Dialect::Postgres),
        vec!["p1", "p2"]
    );
}

#[test]
fn mysql_forms() {
    for sql in [
        "INSERT IGNORE INTO `t` (`a`) VALUES (:p1), (:p2)",
        "REPLACE INTO `t` (`a`) VALUES (:p1), (:p2)",
        "INSERT INTO `t` (`a`) VALUES (:p1), (:p2) ON DUPLICATE KEY UPDATE `a` = VALUES(`a`)",
    ] {
        let m = parse_multi_row_insert(sql, Dialect::Mysql).unwrap();
        assert_eq!(m.rows, vec!["(:p1)", "(:p2)"], "{sql}");
    }
}

#[test]
fn literals_and_comments_do_not_confuse_it() {
    let sql = "INSERT INTO t (a) VALUES ('(,)'), (/* ) */ :p1), (')''')";
    let m = parse_multi_row_insert(sql, Dialect::Postgres).unwrap();
    assert_eq!(m.rows, vec!["('(,)')", "(/* ) */ :p1)", "(')''')"]);
    assert_eq!(m.tail, "");
}

#[test]
fn other_statements_are_not_cut() {
    for sql in [
        "SELECT * FROM t WHERE a IN (:p1, :p2)",
        "INSERT INTO t (a) SELECT a FROM u",
        "INSERT INTO t DEFAULT VALUES",
        "UPDATE t SET a = :p1",
        "INSERT INTO t (a) VALUES (:p1",
        "INSERT INTO t (a) VALUES",
    ] {
        assert_eq!(
            parse_multi_row_insert(sql, Dialect::Postgres),
            None,
            "{sql}"
        );
    }
}
