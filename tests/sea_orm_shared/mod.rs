//! The SeaORM checks both engines share: the author / book entities, CRUD, relations,
//! pagination, errors and transactions, run on both faces (proxy and native). Each test file
//! (`sea_orm_pg.rs`, `sea_orm_mysql.rs`) includes this module after defining what it needs:
//! `Mood` and `MOOD_TYPE`, `schema`, `run`, `proxy`, `native` and the `both_faces!` macro.

use super::*;
use sea_orm::sea_query::ExprTrait;
use sea_orm::TransactionSession;

pub mod author {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sea_author")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tag: String,
        pub name: String,
        #[sea_orm(unique)]
        pub email: Option<String>,
        pub born: Option<Date>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(has_many = "super::book::Entity")]
        Book,
    }

    impl Related<super::book::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Book.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod book {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sea_book")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub tag: String,
        pub author_id: i32,
        pub title: String,
        #[sea_orm(column_type = "Decimal(Some((10, 2)))", nullable)]
        pub price: Option<BigDecimal>,
        pub mood: super::Mood,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::author::Entity",
            from = "Column::AuthorId",
            to = "super::author::Column::Id"
        )]
        Author,
    }

    impl Related<super::author::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Author.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

async fn crud<C: ConnectionTrait>(db: &C, face: &str) {
    let tag = unique(face);
    let ada = author::ActiveModel {
        id: NotSet,
        tag: Set(tag.clone()),
        name: Set("Ada".into()),
        email: Set(Some(format!("ada-{tag}@example.com"))),
        born: Set(NaiveDate::from_ymd_opt(1815, 12, 10)),
    }
    .insert(db)
    .await
    .unwrap();
    assert!(ada.id > 0);
    assert_eq!(ada.name, "Ada");

    // Insert through `Entity::insert` (the key from `generatedFields` on MySQL, RETURNING on
    // PostgreSQL) and `insert_many`.
    let res = book::Entity::insert(book::ActiveModel {
        id: NotSet,
        tag: Set(tag.clone()),
        author_id: Set(ada.id),
        title: Set("Notes".into()),
        price: Set(Some("12.50".parse().unwrap())),
        mood: Set(Mood::Happy),
    })
    .exec(db)
    .await
    .unwrap();
    assert!(res.last_insert_id > 0);
    book::Entity::insert_many((0..3).map(|i| book::ActiveModel {
        id: NotSet,
        tag: Set(tag.clone()),
        author_id: Set(ada.id),
        title: Set(format!("Vol {i}")),
        price: Set(None),
        mood: Set(Mood::Sad),
    }))
    .exec(db)
    .await
    .unwrap();

    // Update one (ActiveModel) and many (rows_affected from numberOfRecordsUpdated).
    let mut am: author::ActiveModel = ada.clone().into();
    am.name = Set("Ada Lovelace".into());
    let ada = am.update(db).await.unwrap();
    assert_eq!(ada.name, "Ada Lovelace");
    let updated = book::Entity::update_many()
        .col_expr(
            book::Column::Mood,
            // As with sqlx, a string needs the enum cast in a raw expression.
            Expr::val(Mood::SoSo.to_value()).as_enum(sea_orm::sea_query::Alias::new(MOOD_TYPE)),
        )
        .filter(book::Column::Tag.eq(&tag))
        .filter(book::Column::Mood.eq(Mood::Sad))
        .exec(db)
        .await
        .unwrap();
    assert_eq!(updated.rows_affected, 3);

    let books = book::Entity::find()
        .filter(book::Column::Tag.eq(&tag))
        .order_by_asc(book::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert_eq!(books.len(), 4);
    assert_eq!(books[0].price, Some("12.50".parse().unwrap()));
    assert!(books[1..]
        .iter()
        .all(|b| b.mood == Mood::SoSo && b.price.is_none()));
    assert_eq!(book_count(db, &tag).await, 4);

    // Relations: find_with_related, find_also_related, a join.
    let with_books = author::Entity::find()
        .filter(author::Column::Tag.eq(&tag))
        .find_with_related(book::Entity)
        .all(db)
        .await
        .unwrap();
    assert_eq!(with_books.len(), 1);
    assert_eq!(with_books[0].0, ada);
    assert_eq!(with_books[0].1.len(), 4);
    let also = book::Entity::find()
        .filter(book::Column::Tag.eq(&tag))
        .find_also_related(author::Entity)
        .order_by_asc(book::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert_eq!(also.len(), 4);
    assert_eq!(also[0].1.as_ref(), Some(&ada));
    let lazy = ada.find_related(book::Entity).count(db).await.unwrap();
    assert_eq!(lazy, 4);
    let joined = author::Entity::find()
        .inner_join(book::Entity)
        .filter(book::Column::Title.eq("Notes"))
        .filter(author::Column::Tag.eq(&tag))
        .all(db)
        .await
        .unwrap();
    assert_eq!(joined, vec![ada.clone()]);

    // Pagination.
    let pages = book::Entity::find()
        .filter(book::Column::Tag.eq(&tag))
        .order_by_asc(book::Column::Id)
        .paginate(db, 3);
    assert_eq!(pages.num_items().await.unwrap(), 4);
    assert_eq!(pages.num_pages().await.unwrap(), 2);
    assert_eq!(pages.fetch_page(1).await.unwrap(), books[3..].to_vec());

    // Delete (cascade) and the unique violation error kind.
    let dup = author::ActiveModel {
        id: NotSet,
        tag: Set(tag.clone()),
        name: Set("Copy".into()),
        email: Set(ada.email.clone()),
        born: Set(None),
    }
    .insert(db)
    .await
    .unwrap_err();
    assert_eq!(
        error_kind(&dup),
        Some(DatabaseErrorKind::UniqueViolation),
        "{dup}"
    );
    assert!(matches!(
        sql_err(&dup),
        Some(SqlErr::UniqueConstraintViolation(_))
    ));
    let fk = book::ActiveModel {
        id: NotSet,
        tag: Set(tag.clone()),
        author_id: Set(-1),
        title: Set("orphan".into()),
        price: Set(None),
        mood: Set(Mood::Sad),
    }
    .insert(db)
    .await
    .unwrap_err();
    assert_eq!(
        error_kind(&fk),
        Some(DatabaseErrorKind::ForeignKeyViolation)
    );
    let deleted = author::Entity::delete_by_id(ada.id).exec(db).await.unwrap();
    assert_eq!(deleted.rows_affected, 1);
    assert_eq!(book_count(db, &tag).await, 0);
}

#[test]
fn crud_relations_pagination_and_errors() {
    both_faces!(crud);
}

/// Inserts an author with `tag` and `name`, panicking on failure.
pub async fn add_author<C: ConnectionTrait>(db: &C, tag: &str, name: &str) -> author::Model {
    add_author_result(db, tag, name).await.unwrap()
}

/// Inserts an author with `tag` and `name`.
pub async fn add_author_result<C: ConnectionTrait>(
    db: &C,
    tag: &str,
    name: &str,
) -> Result<author::Model, DbErr> {
    author::ActiveModel {
        id: NotSet,
        tag: Set(tag.into()),
        name: Set(name.into()),
        email: Set(None),
        born: Set(None),
    }
    .insert(db)
    .await
}

/// How many books carry `tag`.
async fn book_count<C: ConnectionTrait>(db: &C, tag: &str) -> u64 {
    book::Entity::find()
        .filter(book::Column::Tag.eq(tag))
        .count(db)
        .await
        .unwrap()
}

pub async fn names<C: ConnectionTrait>(db: &C, tag: &str) -> Vec<String> {
    author::Entity::find()
        .filter(author::Column::Tag.eq(tag))
        .order_by_asc(author::Column::Name)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect()
}

/// Commit, rollback on error, nested transactions (savepoints), dropped transactions.
async fn transactions<C: ConnectionTrait + TransactionTrait>(db: &C, face: &str) {
    let tag = unique(face);
    let t = tag.clone();
    db.transaction::<_, (), DbErr>(|txn| {
        Box::pin(async move {
            add_author(txn, &t, "committed").await;
            // Inner transaction rolled back: its row disappears, the outer one stays.
            let inner = txn
                .transaction::<_, (), DbErr>(|txn2| {
                    let t = t.clone();
                    Box::pin(async move {
                        add_author(txn2, &t, "inner rolled back").await;
                        Err(DbErr::Custom("undo inner".into()))
                    })
                })
                .await;
            assert!(matches!(inner, Err(TransactionError::Transaction(_))));
            txn.transaction::<_, (), DbErr>(|txn2| {
                let t = t.clone();
                Box::pin(async move {
                    add_author(txn2, &t, "inner committed").await;
                    Ok(())
                })
            })
            .await
            .unwrap();
            Ok(())
        })
    })
    .await
    .unwrap();
    assert_eq!(names(db, &tag).await, ["committed", "inner committed"]);

    let t = tag.clone();
    let failed = db
        .transaction::<_, (), DbErr>(|txn| {
            Box::pin(async move {
                add_author(txn, &t, "rolled back").await;
                Err(DbErr::Custom("undo".into()))
            })
        })
        .await;
    assert!(matches!(failed, Err(TransactionError::Transaction(_))));

    // Explicit begin / rollback, and a transaction dropped without either.
    let txn = db.begin().await.unwrap();
    add_author(&txn, &tag, "explicit rollback").await;
    txn.rollback().await.unwrap();
    {
        let txn = db.begin().await.unwrap();
        add_author(&txn, &tag, "dropped").await;
    }
    let txn = db.begin().await.unwrap();
    add_author(&txn, &tag, "explicit commit").await;
    txn.commit().await.unwrap();
    // The dropped transaction's rollback runs in the background.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        names(db, &tag).await,
        ["committed", "explicit commit", "inner committed"],
        "{face}"
    );
}

#[test]
fn transactions_commit_roll_back_and_nest() {
    both_faces!(transactions);
}
