//! The hand-written side: the `aws-sdk-rdsdata` calls and the mapping a user would write for
//! the same operations, on a plainly configured SDK client (the SDK's own defaults, the local
//! endpoint, static credentials).

use aws_sdk_rdsdata::operation::execute_statement::builders::ExecuteStatementFluentBuilder;
use aws_sdk_rdsdata::types::{Field, SqlParameter};

use crate::workload::{check, check_all, key, new_row, Item, Op, ROWS};

pub struct Sdk {
    pub client: aws_sdk_rdsdata::Client,
    pub arn: String,
    pub secret: String,
    pub postgres: bool,
}

pub async fn client(endpoint: &str) -> aws_sdk_rdsdata::Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "local", "local", None, None, "bench",
        ))
        .endpoint_url(endpoint)
        .load()
        .await;
    aws_sdk_rdsdata::Client::new(&config)
}

fn param(name: impl Into<String>, value: Field) -> SqlParameter {
    SqlParameter::builder().name(name).value(value).build()
}

fn item(record: &[Field]) -> Item {
    let long = |f: &Field| match f {
        Field::LongValue(v) => *v,
        other => panic!("{other:?}"),
    };
    let text = |f: &Field| match f {
        Field::StringValue(v) => v.clone(),
        other => panic!("{other:?}"),
    };
    Item {
        id: long(&record[0]) as i32,
        name: text(&record[1]),
        qty: long(&record[2]),
        note: text(&record[3]),
    }
}

impl Sdk {
    fn statement(&self, sql: &str) -> ExecuteStatementFluentBuilder {
        self.client
            .execute_statement()
            .resource_arn(&self.arn)
            .secret_arn(&self.secret)
            .database("test")
            .sql(sql)
    }

    /// The row values as parameters `a<r>`, `b<r>`, `c<r>`, `d<r>`.
    fn row_params(r: usize, i: usize) -> [SqlParameter; 4] {
        let (name, qty, n, note) = new_row(i);
        [
            param(format!("a{r}"), Field::StringValue(name)),
            param(format!("b{r}"), Field::LongValue(qty)),
            param(format!("c{r}"), Field::LongValue(n as i64)),
            param(format!("d{r}"), Field::StringValue(note)),
        ]
    }

    pub async fn run(&self, op: Op, i: usize) {
        match op {
            Op::Point => {
                let id = key(i);
                let sql = if self.postgres {
                    "SELECT id, name, qty, note FROM cpu_items WHERE id = CAST(:id AS int4) LIMIT 1"
                } else {
                    "SELECT id, name, qty, note FROM cpu_items WHERE id = :id LIMIT 1"
                };
                let out = self
                    .statement(sql)
                    .parameters(param("id", Field::LongValue(id as i64)))
                    .include_result_metadata(true)
                    .send()
                    .await
                    .unwrap();
                check(&item(&out.records.unwrap()[0]), id);
            }
            Op::Load => {
                let out = self
                    .statement("SELECT id, name, qty, note FROM cpu_items ORDER BY id")
                    .include_result_metadata(true)
                    .send()
                    .await
                    .unwrap();
                let items: Vec<Item> = out.records.unwrap().iter().map(|r| item(r)).collect();
                check_all(&items);
            }
            Op::Insert => {
                let sql = if self.postgres {
                    "INSERT INTO cpu_writes (name, qty, n, note) VALUES (:a0, :b0, :c0, :d0) RETURNING id"
                } else {
                    "INSERT INTO cpu_writes (name, qty, n, note) VALUES (:a0, :b0, :c0, :d0)"
                };
                let out = self
                    .statement(sql)
                    .set_parameters(Some(Self::row_params(0, i).into()))
                    .send()
                    .await
                    .unwrap();
                let id = if self.postgres {
                    match &out.records.unwrap()[0][0] {
                        Field::LongValue(id) => *id,
                        other => panic!("{other:?}"),
                    }
                } else {
                    match &out.generated_fields.unwrap()[0] {
                        Field::LongValue(id) => *id,
                        other => panic!("{other:?}"),
                    }
                };
                assert!(id > 0);
            }
            Op::Update => {
                let id = key(i);
                let out = self
                    .statement("UPDATE cpu_items SET qty = :qty WHERE id = :id")
                    .parameters(param("qty", Field::LongValue(id as i64 * 10)))
                    .parameters(param("id", Field::LongValue(id as i64)))
                    .send()
                    .await
                    .unwrap();
                // MySQL counts changed rows: the value is the same, so 0 there.
                assert!(out.number_of_records_updated <= 1);
            }
            Op::Chunked => {
                let mut sql = String::from("INSERT INTO cpu_writes (name, qty, n, note) VALUES ");
                let mut params = Vec::with_capacity(ROWS * 4);
                for r in 0..ROWS {
                    if r > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("(:a{r}, :b{r}, :c{r}, :d{r})"));
                    params.extend(Self::row_params(r, i * ROWS + r));
                }
                let out = self
                    .statement(&sql)
                    .set_parameters(Some(params))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(out.number_of_records_updated, ROWS as i64);
            }
        }
    }
}
