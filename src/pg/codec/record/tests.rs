use super::*;
use crate::pg::codec::tests::*;

#[test]
fn composites_become_record_literals() {
    let registry = TypeRegistry::new();
    let (oid, _) = registry.oids_for("pair", None).unwrap();
    let mut rec = Vec::new();
    rec.extend_from_slice(&3i32.to_be_bytes());
    rec.extend_from_slice(&23u32.to_be_bytes());
    rec.extend_from_slice(&4i32.to_be_bytes());
    rec.extend_from_slice(&7i32.to_be_bytes());
    rec.extend_from_slice(&25u32.to_be_bytes());
    rec.extend_from_slice(&4i32.to_be_bytes());
    rec.extend_from_slice(b"a\"\\b");
    rec.extend_from_slice(&25u32.to_be_bytes());
    rec.extend_from_slice(&(-1i32).to_be_bytes());
    let e = encode_bind(&PgTypeMetadata::new(oid, 0), Some(&rec), &registry).unwrap();
    assert_eq!(
        (e.value, e.cast.as_ref()),
        (s("(\"7\",\"a\\\"\\\\b\",)"), "\"pair\"")
    );
    // NUL bytes that are not a record.
    assert!(encode_bind(&PgTypeMetadata::new(oid, 0), Some(&[0, 1]), &registry).is_err());
    // Anonymous records cannot be parameters.
    assert!(raw(2249, &rec)
        .unwrap_err()
        .to_string()
        .contains("anonymous record"));
}
