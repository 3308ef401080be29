use super::*;
use crate::pg::codec::tests::*;

#[test]
fn nulls() {
    assert_eq!(decode_field(&Field::IsNull(true), "int4").unwrap(), None);
    assert_eq!(decode_field(&Field::IsNull(true), "mood").unwrap(), None);
    assert!(decode_field(&Field::IsNull(false), "int4").is_err());
}

#[test]
fn unknown_types_keep_natural_forms() {
    assert_eq!(
        dec(Field::LongValue(5), "posint"),
        RawValue {
            bytes: 5i64.to_be_bytes().to_vec(),
            oid: 20
        }
    );
    assert_eq!(dec(Field::DoubleValue(0.5), "dom").oid, 701);
    assert_eq!(dec(Field::BooleanValue(true), "dom").oid, 16);
    assert_eq!(dec(Field::BlobValue(Blob::new(vec![1])), "dom").oid, 17);
    // With the expected OID from diesel's row metadata, a domain over int4 gets 4 bytes.
    let raw = decode_field_expecting(&Field::LongValue(5), "posint", Some(23))
        .unwrap()
        .unwrap();
    assert_eq!(
        raw,
        RawValue {
            bytes: 5i32.to_be_bytes().to_vec(),
            oid: 23
        }
    );
    let raw = decode_field_expecting(
        &Field::ArrayValue(ArrayValue::LongValues(vec![Some(1)])),
        "posints",
        Some(1005),
    )
    .unwrap()
    .unwrap();
    assert_eq!(from_raw::<st::Array<st::SmallInt>, Vec<i16>>(&raw), vec![1]);
    // A built-in typeName wins over the expectation.
    assert_eq!(
        decode_field_expecting(&Field::LongValue(5), "int8", Some(23))
            .unwrap()
            .unwrap()
            .oid,
        20
    );
    assert!(
        dec_err(Field::ArrayValue(ArrayValue::LongValues(vec![])), "int4").contains("arrayValue")
    );
}

/// The inline shortcut of a load gives what the general decode gives.
#[test]
fn inline_shortcut_decodes_as_the_general_path() {
    let fields = [
        Field::LongValue(-5),
        Field::LongValue(40_000),
        Field::LongValue(i64::MIN),
        Field::BooleanValue(false),
        Field::StringValue("7".into()),
    ];
    for name in ["int2", "int4", "int8", "bool", "text", "numeric"] {
        let decoder = ColumnDecoder::new(name, None);
        for field in &fields {
            if let Some((bytes, oid)) = decoder.decode_inline(field) {
                let general = decoder.decode(field.clone()).unwrap().unwrap();
                assert_eq!(
                    (bytes.as_slice(), oid),
                    (general.bytes.as_slice(), general.oid),
                    "{name} {field:?}"
                );
            }
        }
    }
}
