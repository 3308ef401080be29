use super::*;

#[test]
fn pages_add_the_key_condition_and_keep_the_query_s_own() {
    let q = Prepared {
        sql: "SELECT `items`.`id`, `items`.`name` FROM `items` WHERE `items`.`qty` > :p1 OR `items`.`name` = :p2 ORDER BY `items`.`id`".into(),
        params: vec![],
        shape: None,
    };
    let k = plan(&q.sql).unwrap();
    assert_eq!(k.table.as_deref(), Some("items"));
    assert_eq!(k.key_names().collect::<Vec<_>>(), vec!["id"]);
    assert_eq!(
        k.page(&q, None, 10).sql,
        "SELECT `items`.`id`, `items`.`name` FROM `items` WHERE (`items`.`qty` > :p1 OR `items`.`name` = :p2) ORDER BY `items`.`id` LIMIT 10"
    );
    let p = k.page(&q, Some(&[Field::LongValue(7)]), 10);
    assert_eq!(
        p.sql,
        "SELECT `items`.`id`, `items`.`name` FROM `items` WHERE (`items`.`id`) > (:aurora_k0) AND (`items`.`qty` > :p1 OR `items`.`name` = :p2) ORDER BY `items`.`id` LIMIT 10"
    );
    assert_eq!(p.params.len(), 1);
}

#[test]
fn descending_and_composite_keys() {
    let k = plan("SELECT a, b FROM t ORDER BY a DESC, b DESC").unwrap();
    let q = Prepared::plain("SELECT a, b FROM t ORDER BY a DESC, b DESC");
    assert_eq!(
        k.page(&q, Some(&[Field::LongValue(1), Field::StringValue("x".into())]), 5).sql,
        "SELECT a, b FROM t WHERE (a, b) < (:aurora_k0, :aurora_k1) ORDER BY a DESC, b DESC LIMIT 5"
    );
}

#[test]
fn what_cannot_be_paged_says_why_and_what_to_do() {
    for (sql, why) in [
        ("SELECT * FROM t", "no `ORDER BY`"),
        ("SELECT * FROM t ORDER BY id LIMIT 5", "`LIMIT`"),
        ("SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY a", "`GROUP`"),
        ("SELECT * FROM t ORDER BY a, b DESC", "mixes"),
        ("SELECT * FROM t ORDER BY LOWER(a)", "not a plain column"),
        (
            "SELECT * FROM t JOIN u ON t.x = u.x ORDER BY t.id, u.id",
            "several tables",
        ),
    ] {
        let e = plan(sql).unwrap_err();
        assert!(
            e.contains(why) && e.contains("unique key") && e.contains("load_in_pages"),
            "{sql}: {e}"
        );
    }
    // Parentheses and literals do not confuse it.
    assert!(
        plan("SELECT (SELECT 1 FROM u ORDER BY x LIMIT 1) AS s, 'LIMIT' FROM t ORDER BY t.id")
            .is_ok()
    );
}
