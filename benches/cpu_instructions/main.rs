//! Client instructions per operation, each face of the adapter vs hand-written
//! `aws-sdk-rdsdata` calls, counted with `valgrind --tool=callgrind` (instruction counts do
//! not depend on the machine's load).
//!
//! ```sh
//! cargo bench --bench cpu_instructions -- matrix [face-or-op …]
//! ```
//!
//! `matrix` starts the local Data API server in a child process (`serve`), so only the client
//! is counted, makes the tables, then for every face (`sdk`, `async`, `sync`, `sea-orm`) ×
//! engine (`pg`, `mysql`) × operation (`point`, `load`, `insert`, `update`, `chunked`) runs
//! this binary under callgrind (`run <face> <engine> <op> <n>`) at two counts `n₁ < n₂`: per
//! operation = (I(n₂) − I(n₁)) / (n₂ − n₁), so start-up, connection and warm-up cancel. It
//! prints instructions per operation and the ratio to `sdk` on the same engine. Arguments
//! after `matrix` keep only the rows naming them (e.g. `matrix pg point`).
//!
//! Without arguments (as a plain `cargo bench` runs it) it does nothing. Needs PostgreSQL and
//! MariaDB / MySQL as the tests do (`TEST_POSTGRES_URL`, `TEST_MYSQL_URL`).

mod diesel_faces;
mod sdk_face;
mod sea_orm_face;
mod workload;

use std::process::{Child, Command};

use data_api_local::{ClusterConfig, LocalServer, ServerConfig};
use workload::Op;

const PG_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:cpu-pg";
const MY_ARN: &str = "arn:aws:rds:us-east-1:123456789012:cluster:cpu-mysql";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cpu-AbCdEf";
const LISTEN: &str = "127.0.0.1:18181";
const FACES: [&str; 4] = ["sdk", "async", "sync", "sea-orm"];
const ENGINES: [&str; 2] = ["pg", "mysql"];

fn endpoint() -> String {
    format!("http://{LISTEN}")
}

fn arn(engine: &str) -> &'static str {
    match engine {
        "pg" => PG_ARN,
        "mysql" => MY_ARN,
        other => panic!("engine is pg or mysql, not {other}"),
    }
}

fn url(engine: &str) -> String {
    format!(
        "dataapi://test?cluster_arn={}&secret_arn={SECRET}&region=us-east-1&endpoint={}",
        arn(engine),
        endpoint()
    )
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => {}
        ["serve"] => serve(),
        ["run", face, engine, op, n] => {
            let op = Op::parse(op).unwrap_or_else(|| panic!("unknown operation {op}"));
            run(face, engine, op, n.parse().expect("a count"));
        }
        ["matrix", filters @ ..] => matrix(filters),
        other => {
            panic!("usage: matrix [filter …] | serve | run <face> <engine> <op> <n>; got {other:?}")
        }
    }
}

/// The local Data API server over both databases, until killed.
fn serve() {
    let pg = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let mysql = std::env::var("TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let config = ServerConfig {
            listen: LISTEN.parse().unwrap(),
            ..ServerConfig::ephemeral(vec![
                ClusterConfig::new(PG_ARN, pg).unwrap(),
                ClusterConfig::new(MY_ARN, mysql).unwrap(),
            ])
        };
        let server = LocalServer::start(config)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        server.run_until_ctrl_c().await;
    });
}

/// Warms up, then does `op` `n` times through `face`.
fn run(face: &str, engine: &str, op: Op, n: usize) {
    const WARM_UP: usize = 3;
    let pg = engine == "pg";
    match face {
        "sync" if pg => {
            use diesel::Connection;
            let mut conn =
                aurora_data_api::pg::DataApiPgConnection::establish(&url(engine)).unwrap();
            for i in 0..WARM_UP + n {
                diesel_faces::sync_pg(&mut conn, op, i);
            }
        }
        "sync" => {
            use diesel::Connection;
            let mut conn =
                aurora_data_api::mysql::DataApiMysqlConnection::establish(&url(engine)).unwrap();
            for i in 0..WARM_UP + n {
                diesel_faces::sync_mysql(&mut conn, op, i);
            }
        }
        _ => current_thread().block_on(async {
            use diesel_async::AsyncConnection;
            match face {
                "sdk" => {
                    let sdk = sdk_face::Sdk {
                        client: sdk_face::client(&endpoint()).await,
                        arn: arn(engine).into(),
                        secret: SECRET.into(),
                        postgres: pg,
                    };
                    for i in 0..WARM_UP + n {
                        sdk.run(op, i).await;
                    }
                }
                "async" if pg => {
                    let mut conn =
                        aurora_data_api::pg::AsyncDataApiPgConnection::establish(&url(engine))
                            .await
                            .unwrap();
                    for i in 0..WARM_UP + n {
                        diesel_faces::async_pg(&mut conn, op, i).await;
                    }
                }
                "async" => {
                    let mut conn = aurora_data_api::mysql::AsyncDataApiMysqlConnection::establish(
                        &url(engine),
                    )
                    .await
                    .unwrap();
                    for i in 0..WARM_UP + n {
                        diesel_faces::async_mysql(&mut conn, op, i).await;
                    }
                }
                "sea-orm" => {
                    let backend = if pg {
                        sea_orm::DbBackend::Postgres
                    } else {
                        sea_orm::DbBackend::MySql
                    };
                    let db =
                        aurora_data_api::sea_orm::DataApiConnection::connect(&url(engine), backend)
                            .await
                            .unwrap();
                    for i in 0..WARM_UP + n {
                        sea_orm_face::run(&db, op, i).await;
                    }
                }
                other => panic!("face is sdk, async, sync or sea-orm, not {other}"),
            }
        }),
    }
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Kills the server child when the matrix ends (or panics).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn matrix(filters: &[&str]) {
    let exe = std::env::current_exe().unwrap();
    let _server = Server(Command::new(&exe).arg("serve").spawn().unwrap());
    let ready = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(LISTEN).is_ok()
    });
    assert!(ready, "the local server did not come up on {LISTEN}");
    current_thread().block_on(async {
        use diesel_async::{AsyncConnection, SimpleAsyncConnection};
        let mut pg = aurora_data_api::pg::AsyncDataApiPgConnection::establish(&url("pg"))
            .await
            .unwrap();
        pg.batch_execute(workload::setup_sql(true)).await.unwrap();
        let mut my = aurora_data_api::mysql::AsyncDataApiMysqlConnection::establish(&url("mysql"))
            .await
            .unwrap();
        my.batch_execute(workload::setup_sql(false)).await.unwrap();
    });
    let out_dir = tempfile::tempdir().unwrap();
    println!(
        "{:<8} {:<6} {:<8} {:>14} {:>14} {:>7}",
        "face", "engine", "op", "instr/op", "sdk instr/op", "ratio"
    );
    let measure = |face: &str, engine: &str, op: Op| {
        let (n1, n2) = op.counts();
        let count = |n: usize| {
            let file = out_dir
                .path()
                .join(format!("{face}.{engine}.{}.{n}", op.name()));
            let status = Command::new("valgrind")
                .args(["--tool=callgrind", "--quiet"])
                .arg(format!("--callgrind-out-file={}", file.display()))
                .arg(&exe)
                .args(["run", face, engine, op.name(), &n.to_string()])
                .status()
                .expect("valgrind (is it installed?)");
            assert!(status.success(), "{face} {engine} {} {n} failed", op.name());
            total_instructions(&std::fs::read_to_string(&file).unwrap())
        };
        (count(n2) - count(n1)) as f64 / (n2 - n1) as f64
    };
    for engine in ENGINES {
        for op in Op::ALL {
            let faces: Vec<&str> = FACES
                .into_iter()
                .filter(|face| {
                    filters
                        .iter()
                        .all(|f| [*face, engine, op.name()].contains(f))
                })
                .collect();
            if faces.is_empty() {
                continue;
            }
            let sdk = measure("sdk", engine, op);
            for face in FACES
                .into_iter()
                .filter(|f| *f == "sdk" || faces.contains(f))
            {
                let per_op = if face == "sdk" {
                    sdk
                } else {
                    measure(face, engine, op)
                };
                println!(
                    "{face:<8} {engine:<6} {:<8} {per_op:>14.0} {sdk:>14.0} {:>7.3}",
                    op.name(),
                    per_op / sdk
                );
            }
        }
    }
}

/// The `totals:` (or `summary:`) line of a callgrind output file.
fn total_instructions(callgrind_out: &str) -> u64 {
    callgrind_out
        .lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .and_then(|v| v.trim().parse().ok())
        .expect("a callgrind output with a totals line")
}
