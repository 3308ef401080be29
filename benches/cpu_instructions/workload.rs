//! The operations measured, and the tables they run on (same on both engines).

/// The operations: what each face does once per count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// A SELECT of one row by primary key, every column read.
    Point,
    /// A SELECT of all 1,000 rows, mapped into structs.
    Load,
    /// A single-row INSERT (`RETURNING id` on PostgreSQL; the generated id on MySQL).
    Insert,
    /// A single-row UPDATE by primary key.
    Update,
    /// One INSERT of 1,000 rows (4 values each).
    Chunked,
}

impl Op {
    pub const ALL: [Op; 5] = [Op::Point, Op::Load, Op::Insert, Op::Update, Op::Chunked];

    pub fn name(self) -> &'static str {
        match self {
            Op::Point => "point",
            Op::Load => "load",
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Chunked => "chunked",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.name() == s)
    }

    /// The two counts whose difference is measured (the load and the chunked insert are
    /// a thousand rows each).
    pub fn counts(self) -> (usize, usize) {
        match self {
            Op::Load | Op::Chunked => (4, 8),
            _ => (100, 200),
        }
    }
}

/// Rows in `cpu_items` and per chunked insert.
pub const ROWS: usize = 1000;

/// The key a point read or update of the `i`-th operation uses.
pub fn key(i: usize) -> i32 {
    (i % ROWS) as i32 + 1
}

/// The values of the `i`-th inserted row: (name, qty, n, note).
pub fn new_row(i: usize) -> (String, i64, i32, String) {
    (format!("new {i}"), i as i64 * 7, i as i32, "w".repeat(40))
}

/// A row of `cpu_items` as every face maps it.
#[derive(Debug, PartialEq)]
pub struct Item {
    pub id: i32,
    pub name: String,
    pub qty: i64,
    pub note: String,
}

/// Every face checks what it read, so no side can skip work.
pub fn check(item: &Item, id: i32) {
    assert_eq!(item.id, id);
    assert_eq!(item.qty, id as i64 * 10);
    assert_eq!(item.name, format!("item {id}"));
    assert_eq!(item.note.len(), 100);
}

pub fn check_all(items: &[Item]) {
    assert_eq!(items.len(), ROWS);
    for (i, item) in items.iter().enumerate() {
        check(item, i as i32 + 1);
    }
}

/// The tables, made once before any measured run.
pub fn setup_sql(postgres: bool) -> &'static str {
    if postgres {
        "DROP TABLE IF EXISTS cpu_items;
         DROP TABLE IF EXISTS cpu_writes;
         CREATE TABLE cpu_items (id int PRIMARY KEY, name text NOT NULL, qty int8 NOT NULL, note text NOT NULL);
         INSERT INTO cpu_items SELECT g, 'item ' || g, g * 10, repeat('n', 100) FROM generate_series(1, 1000) g;
         CREATE TABLE cpu_writes (id serial PRIMARY KEY, name text NOT NULL, qty int8 NOT NULL, n int4 NOT NULL, note text NOT NULL)"
    } else {
        "DROP TABLE IF EXISTS cpu_items;
         DROP TABLE IF EXISTS cpu_writes;
         CREATE TABLE cpu_items (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, qty BIGINT NOT NULL, note TEXT NOT NULL);
         INSERT INTO cpu_items WITH RECURSIVE s (g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 1000) SELECT g, CONCAT('item ', g), g * 10, REPEAT('n', 100) FROM s;
         CREATE TABLE cpu_writes (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, qty BIGINT NOT NULL, n INT NOT NULL, note TEXT NOT NULL)"
    }
}
