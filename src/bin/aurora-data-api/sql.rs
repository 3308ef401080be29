//! `sql "<statement>"`: one statement, printed as an aligned table or as JSON.

use aurora_data_api::client::{DataApiClient, ExecuteOptions};
use aws_sdk_rdsdata::types::{ArrayValue, Field};

use crate::connect::runtime;
use crate::error::{from_data_api, CliError};

/// Runs `statement` and prints its result.
pub fn run(client: &DataApiClient, statement: &str, json: bool) -> Result<(), CliError> {
    let out = runtime()
        .block_on(client.execute(statement, Vec::new(), None, ExecuteOptions::default()))
        .map_err(from_data_api)?;
    let names: Vec<String> = out
        .column_metadata
        .unwrap_or_default()
        .iter()
        .map(|c| {
            c.label
                .clone()
                .or_else(|| c.name.clone())
                .unwrap_or_default()
        })
        .collect();
    let Some(records) = out.records else {
        println!("{} row(s) affected", out.number_of_records_updated);
        if let Some(Field::LongValue(id)) = out.generated_fields.unwrap_or_default().first() {
            println!("generated id: {id}");
        }
        return Ok(());
    };
    if json {
        let rows: Vec<serde_json::Value> = records
            .iter()
            .map(|r| {
                serde_json::Value::Object(
                    names.iter().cloned().zip(r.iter().map(to_json)).collect(),
                )
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).map_err(|e| CliError::Io(e.to_string()))?
        );
        return Ok(());
    }
    let cells: Vec<Vec<String>> = records
        .iter()
        .map(|r| r.iter().map(to_text).collect())
        .collect();
    let widths: Vec<usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            cells
                .iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
                .max(n.chars().count())
        })
        .collect();
    let line = |values: &[String]| {
        values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!(" {v:<w$} "))
            .collect::<Vec<_>>()
            .join("|")
    };
    println!("{}", line(&names));
    println!(
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("+")
    );
    for row in &cells {
        println!("{}", line(row));
    }
    println!(
        "({} row{})",
        cells.len(),
        if cells.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

fn to_text(field: &Field) -> String {
    match to_json(field) {
        serde_json::Value::Null => "NULL".into(),
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

fn to_json(field: &Field) -> serde_json::Value {
    match field {
        Field::IsNull(_) => serde_json::Value::Null,
        Field::BooleanValue(b) => (*b).into(),
        Field::LongValue(v) => (*v).into(),
        Field::DoubleValue(v) => {
            serde_json::Number::from_f64(*v).map_or_else(|| v.to_string().into(), Into::into)
        }
        Field::StringValue(s) => s.clone().into(),
        Field::BlobValue(b) => format!("\\x{}", hex(b.as_ref())).into(),
        Field::ArrayValue(a) => array(a),
        other => format!("{other:?}").into(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn array(a: &ArrayValue) -> serde_json::Value {
    match a {
        ArrayValue::BooleanValues(v) => serde_json::json!(v),
        ArrayValue::LongValues(v) => serde_json::json!(v),
        ArrayValue::DoubleValues(v) => serde_json::json!(v),
        ArrayValue::StringValues(v) => serde_json::json!(v),
        ArrayValue::ArrayValues(v) => v
            .iter()
            .map(|a| a.as_ref().map_or(serde_json::Value::Null, array))
            .collect(),
        _ => serde_json::Value::Null,
    }
}
