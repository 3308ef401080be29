//! The Diesel faces: the same query-builder code on the sync and async connections of both
//! engines (a macro, since `diesel::RunQueryDsl` and `diesel_async::RunQueryDsl` differ
//! only in `.await`).

use diesel::{ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable, SelectableHelper};

use crate::workload::{check, check_all, key, new_row, Item, Op, ROWS};

diesel::table! {
    cpu_items (id) {
        id -> Int4,
        name -> Text,
        qty -> Int8,
        note -> Text,
    }
}

diesel::table! {
    cpu_writes (id) {
        id -> Int4,
        name -> Text,
        qty -> Int8,
        n -> Int4,
        note -> Text,
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = cpu_items)]
struct Row {
    id: i32,
    name: String,
    qty: i64,
    note: String,
}

impl From<Row> for Item {
    fn from(r: Row) -> Item {
        Item {
            id: r.id,
            name: r.name,
            qty: r.qty,
            note: r.note,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = cpu_writes)]
struct NewRow {
    name: String,
    qty: i64,
    n: i32,
    note: String,
}

fn new(i: usize) -> NewRow {
    let (name, qty, n, note) = new_row(i);
    NewRow { name, qty, n, note }
}

/// A single-row INSERT: `returning` reads the id back (PostgreSQL), `plain` counts the row.
macro_rules! insert_one {
    (returning, $conn:expr, $row:expr, $($aw:tt)*) => {{
        let id: i32 = diesel::insert_into(cpu_writes::table)
            .values($row)
            .returning(cpu_writes::id)
            .get_result($conn)
            $($aw)*
            .unwrap();
        assert!(id > 0);
    }};
    (plain, $conn:expr, $row:expr, $($aw:tt)*) => {{
        let n = diesel::insert_into(cpu_writes::table)
            .values($row)
            .execute($conn)
            $($aw)*
            .unwrap();
        assert_eq!(n, 1);
    }};
}

/// One operation on a Diesel connection; `$($aw)*` is `.await` for the async ones, and
/// `$returning` how an INSERT ends (see `insert_one`).
macro_rules! run_op {
    ($conn:expr, $op:expr, $i:expr, $returning:ident, $($aw:tt)*) => {{
        let (conn, i) = ($conn, $i);
        match $op {
            Op::Point => {
                let id = key(i);
                let row: Row = cpu_items::table
                    .filter(cpu_items::id.eq(id))
                    .select(Row::as_select())
                    .first(conn)
                    $($aw)*
                    .unwrap();
                check(&row.into(), id);
            }
            Op::Load => {
                let rows: Vec<Row> = cpu_items::table
                    .select(Row::as_select())
                    .order(cpu_items::id)
                    .load(conn)
                    $($aw)*
                    .unwrap();
                check_all(&rows.into_iter().map(Item::from).collect::<Vec<_>>());
            }
            Op::Insert => insert_one!($returning, conn, new(i), $($aw)*),
            Op::Update => {
                let id = key(i);
                let n = diesel::update(cpu_items::table.filter(cpu_items::id.eq(id)))
                    .set(cpu_items::qty.eq(id as i64 * 10))
                    .execute(conn)
                    $($aw)*
                    .unwrap();
                // MySQL may count changed rows only (the value is the same).
                assert!(n <= 1);
            }
            Op::Chunked => {
                let rows: Vec<NewRow> = (0..ROWS).map(|r| new(i * ROWS + r)).collect();
                let n = diesel::insert_into(cpu_writes::table)
                    .values(&rows)
                    .execute(conn)
                    $($aw)*
                    .unwrap();
                assert_eq!(n, ROWS);
            }
        }
    }};
}

pub async fn async_pg(conn: &mut aurora_data_api::pg::AsyncDataApiPgConnection, op: Op, i: usize) {
    use diesel_async::RunQueryDsl;
    run_op!(conn, op, i, returning, .await)
}

pub async fn async_mysql(
    conn: &mut aurora_data_api::mysql::AsyncDataApiMysqlConnection,
    op: Op,
    i: usize,
) {
    use diesel_async::RunQueryDsl;
    run_op!(conn, op, i, plain, .await)
}

pub fn sync_pg(conn: &mut aurora_data_api::pg::DataApiPgConnection, op: Op, i: usize) {
    use diesel::RunQueryDsl;
    run_op!(conn, op, i, returning,)
}

pub fn sync_mysql(conn: &mut aurora_data_api::mysql::DataApiMysqlConnection, op: Op, i: usize) {
    use diesel::RunQueryDsl;
    run_op!(conn, op, i, plain,)
}
