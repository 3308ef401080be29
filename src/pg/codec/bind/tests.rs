use super::*;
use crate::pg::codec::tests::*;
use crate::pg::codec::types::FIRST_SYNTHETIC_OID;

#[test]
fn names_and_placeholders() {
    assert_eq!(placeholder(3, "int4[]"), ":p3::int4[]");
}

#[test]
fn nulls_keep_their_cast() {
    let e = enc::<st::Nullable<st::Integer>, Option<i32>>(&None);
    assert_eq!(
        e,
        EncodedBind {
            value: Field::IsNull(true),
            cast: "int4".into()
        }
    );
    let e = enc::<st::Nullable<st::Array<st::Text>>, Option<Vec<String>>>(&None);
    assert_eq!(e.cast, "text[]");
    let e = enc::<st::Nullable<st::Citext>, Option<String>>(&None);
    assert_eq!(
        (e.value, e.cast.as_ref()),
        (Field::IsNull(true), "\"citext\"")
    );
}

#[test]
fn custom_types_are_cast_by_name() {
    let registry = TypeRegistry::new();
    let (oid, array_oid) = registry.oids_for("mood", Some("public")).unwrap();
    let meta = PgTypeMetadata::new(oid, array_oid);
    let e = encode_bind(&meta, Some(b"happy"), &registry).unwrap();
    assert_eq!(
        (e.value, e.cast.as_ref()),
        (s("happy"), "\"public\".\"mood\"")
    );
    // An array of the enum (diesel's header carries the synthetic element OID).
    let mut arr = Vec::new();
    for v in [1i32, 0, oid as i32, 2, 1, 3] {
        arr.extend_from_slice(&v.to_be_bytes());
    }
    arr.extend_from_slice(b"sad");
    arr.extend_from_slice(&(-1i32).to_be_bytes());
    let e = encode_bind(&PgTypeMetadata::new(array_oid, 0), Some(&arr), &registry).unwrap();
    assert_eq!(
        (e.value, e.cast.as_ref()),
        (s("{\"sad\",NULL}"), "\"public\".\"mood\"[]")
    );
    // Unknown OIDs are errors that name the OID.
    let err = encode_bind(
        &PgTypeMetadata::new(FIRST_SYNTHETIC_OID + 100, 0),
        Some(b"x"),
        &registry,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains(&(FIRST_SYNTHETIC_OID + 100).to_string()),
        "{err}"
    );
    assert!(raw(9999, b"x")
        .unwrap_err()
        .to_string()
        .contains("OID 9999"));
}

#[test]
fn other_scalars() {
    let u = uuid::Uuid::parse_str("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11").unwrap();
    assert_eq!(
        string::<st::Uuid, _>(&u),
        ("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".into(), "uuid".into())
    );
    let j = serde_json::json!({"a": [1, 2], "b": "x"});
    assert_eq!(string::<st::Json, _>(&j), (j.to_string(), "json".into()));
    assert_eq!(string::<st::Jsonb, _>(&j), (j.to_string(), "jsonb".into()));
    assert!(raw(3802, b"\x02{}")
        .unwrap_err()
        .to_string()
        .contains("jsonb version"));
    assert!(raw(3802, b"").is_err());
    assert_eq!(
        string::<st::Money, _>(&PgMoney(12345)),
        ("123.45".into(), "money".into())
    );
    assert_eq!(string::<st::Money, _>(&PgMoney(-5)).0, "-0.05");
    assert_eq!(
        string::<st::Money, _>(&PgMoney(i64::MIN)).0,
        "-92233720368547758.08"
    );
    assert_eq!(
        raw(869, &[2, 8, 0, 4, 10, 0, 0, 1]).unwrap().value,
        s("10.0.0.1/8")
    );
    let mut v6 = vec![3, 64, 1, 16, 0x20, 0x01, 0x0d, 0xb8];
    v6.extend_from_slice(&[0; 12]);
    let e = raw(650, &v6).unwrap();
    assert_eq!((e.value, e.cast.as_ref()), (s("2001:db8::/64"), "cidr"));
    assert!(raw(869, &[2, 33, 0, 4, 10, 0, 0, 1]).is_err());
    assert!(raw(869, &[2, 32, 0, 5, 10, 0, 0, 1]).is_err());
    assert_eq!(
        string::<st::MacAddr, _>(&[8u8, 0, 0x2b, 1, 2, 3]),
        ("08:00:2b:01:02:03".into(), "macaddr".into())
    );
    assert_eq!(
        string::<st::MacAddr8, _>(&[8u8, 0, 0x2b, 1, 2, 3, 4, 5]).0,
        "08:00:2b:01:02:03:04:05"
    );
    let lsn = diesel::pg::data_types::PgLsn(0x16_B374_D848);
    assert_eq!(
        string::<st::PgLsn, _>(&lsn),
        ("16/B374D848".into(), "pg_lsn".into())
    );
}

#[test]
fn wrong_sizes_are_errors() {
    assert!(raw(23, &[0, 1])
        .unwrap_err()
        .to_string()
        .contains("must be 4 bytes"));
    assert!(raw(21, &[0, 0, 0, 1]).is_err());
    assert!(raw(16, &[]).is_err());
    assert!(raw(700, &[0; 8]).is_err());
    assert!(raw(1186, &[0; 12]).is_err());
    assert!(raw(2950, &[0; 15]).is_err());
    let failed = PgTypeMetadata::from_result(Err(diesel::pg::FailedToLookupTypeError::new(
        diesel::pg::PgMetadataCacheKey::new(None, "nope".into()),
    )));
    let err = encode_bind(&failed, Some(b"x"), &TypeRegistry::new()).unwrap_err();
    assert!(err.to_string().contains("unknown"), "{err}");
}
