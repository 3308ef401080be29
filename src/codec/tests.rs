use super::*;

#[test]
fn errors_map_to_diesel() {
    let e: diesel::result::Error = CodecError::bind("x").into();
    assert!(matches!(e, diesel::result::Error::SerializationError(_)));
    let e: diesel::result::Error = CodecError::result("y").into();
    assert!(matches!(e, diesel::result::Error::DeserializationError(_)));
    assert_eq!(
        CodecError::result("y").to_string(),
        "cannot decode a result value: y"
    );
}
