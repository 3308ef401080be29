use super::*;
use crate::pg::codec::tests::*;

#[test]
fn booleans() {
    assert_eq!(
        dec(Field::BooleanValue(true), "bool"),
        RawValue {
            bytes: vec![1],
            oid: 16
        }
    );
    assert_eq!(dec(Field::BooleanValue(false), "bool").bytes, vec![0]);
    assert!(read::<st::Bool, bool>(s("t"), "bool"));
    assert!(!read::<st::Bool, bool>(s("false"), "bool"));
    assert!(dec_err(Field::LongValue(1), "bool").contains("longValue"));
    assert!(dec_err(s("maybe"), "bool").contains("maybe"));
}

#[test]
fn text_like_types() {
    for (name, oid) in [
        ("text", 25),
        ("varchar", 1043),
        ("bpchar", 1042),
        ("name", 19),
        ("json", 114),
    ] {
        assert_eq!(
            dec(s("ab  "), name),
            RawValue {
                bytes: b"ab  ".to_vec(),
                oid
            }
        );
    }
    // Types unknown here (citext, enums) are text.
    assert_eq!(
        dec(s("MiXed"), "citext"),
        RawValue {
            bytes: b"MiXed".to_vec(),
            oid: 25
        }
    );
    assert_eq!(
        dec(s("happy"), "mood"),
        RawValue {
            bytes: b"happy".to_vec(),
            oid: 25
        }
    );
    assert_eq!(read::<st::Citext, String>(s("MiXed"), "citext"), "MiXed");
    assert!(dec_err(Field::LongValue(1), "text").contains("longValue"));
    assert_eq!(
        dec(s("{\"a\":1}"), "jsonb").bytes,
        b"\x01{\"a\":1}".to_vec()
    );
    let j: serde_json::Value = read::<st::Jsonb, _>(s("{\"a\": [1, 2]}"), "jsonb");
    assert_eq!(j, serde_json::json!({"a": [1, 2]}));
    assert_eq!(read::<st::CChar, u8>(s("A"), "char"), b'A');
    assert_eq!(read::<st::CChar, u8>(s("\\304"), "char"), 0xC4);
    assert_eq!(dec(s(""), "char").bytes, vec![0]);
    assert!(dec_err(s("ab"), "char").contains("single byte"));
}

#[test]
fn bytea() {
    assert_eq!(
        dec(Field::BlobValue(Blob::new(vec![0, 255, 16])), "bytea"),
        RawValue {
            bytes: vec![0, 255, 16],
            oid: 17
        }
    );
    assert_eq!(dec(s("\\x00ff10"), "bytea").bytes, vec![0, 255, 16]);
    assert_eq!(dec(s("\\x00 FF"), "bytea").bytes, vec![0, 255]);
    assert_eq!(
        dec(s("a\\000\\\\b"), "bytea").bytes,
        vec![b'a', 0, b'\\', b'b']
    );
    assert!(dec_err(s("\\x0"), "bytea").contains("bytea"));
    assert!(dec_err(s("\\9"), "bytea").contains("bytea"));
    assert!(dec_err(Field::LongValue(1), "bytea").contains("longValue"));
}

#[test]
fn uuids() {
    let raw = dec(s("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "uuid");
    assert_eq!(raw.oid, 2950);
    let u: uuid::Uuid = from_raw::<st::Uuid, _>(&raw);
    assert_eq!(u.to_string(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assert_eq!(
        dec(s("A0EEBC999C0B4EF8BB6D6BB9BD380A11"), "uuid").bytes,
        raw.bytes
    );
    assert!(dec_err(s("a0eebc99"), "uuid").contains("invalid uuid"));
}

#[test]
fn text_types() {
    assert_eq!(
        string::<st::Text, _>("héllo \"x\""),
        ("héllo \"x\"".into(), "text".into())
    );
    assert_eq!(string::<st::VarChar, _>("v").1, "text");
    assert_eq!(
        string::<st::Citext, _>("MiXed"),
        ("MiXed".into(), "\"citext\"".into())
    );
    assert_eq!(raw(1042, b"ab  ").unwrap().cast, "bpchar");
    assert_eq!(raw(19, b"nm").unwrap().value, s("nm"));
    let err = raw(25, &[0x66, 0xff]).unwrap_err();
    assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    assert_eq!(string::<st::CChar, _>(&b'A').0, "A");
    assert_eq!(
        string::<st::CChar, _>(&0xC4u8),
        ("\\304".into(), "\"char\"".into())
    );
}

#[test]
fn bytea_is_a_blob() {
    let e = enc::<st::Binary, _>(&vec![0u8, 255, 16]);
    assert_eq!(
        (e.value, e.cast.as_ref()),
        (Field::BlobValue(Blob::new(vec![0, 255, 16])), "bytea")
    );
    assert_eq!(bytea_hex(&[1, 0xab]), "\\x01ab");
}
