//! The SeaORM face: the same operations through entities on the native
//! `aurora_data_api::sea_orm::DataApiConnection`.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::workload::{check, check_all, key, new_row, Item, Op, ROWS};

mod items {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cpu_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub name: String,
        pub qty: i64,
        pub note: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod writes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cpu_writes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub qty: i64,
        pub n: i32,
        pub note: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn item(m: items::Model) -> Item {
    Item {
        id: m.id,
        name: m.name,
        qty: m.qty,
        note: m.note,
    }
}

fn new(i: usize) -> writes::ActiveModel {
    let (name, qty, n, note) = new_row(i);
    writes::ActiveModel {
        name: Set(name),
        qty: Set(qty),
        n: Set(n),
        note: Set(note),
        ..Default::default()
    }
}

pub async fn run(db: &aurora_data_api::sea_orm::DataApiConnection, op: Op, i: usize) {
    match op {
        Op::Point => {
            let id = key(i);
            let m = items::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap();
            check(&item(m), id);
        }
        Op::Load => {
            let all = items::Entity::find()
                .order_by_asc(items::Column::Id)
                .all(db)
                .await
                .unwrap();
            check_all(&all.into_iter().map(item).collect::<Vec<_>>());
        }
        Op::Insert => {
            let res = writes::Entity::insert(new(i)).exec(db).await.unwrap();
            assert!(res.last_insert_id > 0);
        }
        Op::Update => {
            let id = key(i);
            let res = items::Entity::update_many()
                .col_expr(items::Column::Qty, Expr::value(id as i64 * 10))
                .filter(items::Column::Id.eq(id))
                .exec(db)
                .await
                .unwrap();
            assert!(res.rows_affected <= 1);
        }
        Op::Chunked => {
            let res = writes::Entity::insert_many((0..ROWS).map(|r| new(i * ROWS + r)))
                .exec_without_returning(db)
                .await
                .unwrap();
            assert_eq!(res, ROWS as u64);
        }
    }
}
