use super::*;

#[test]
fn wrappers_call_the_codecs() {
    let types = PgTypes::new();
    assert_eq!(
        types.encode_bind(23, Some(&7i32.to_be_bytes())),
        Ok((Field::LongValue(7), "int4".to_string()))
    );
    assert!(types.encode_bind(23, Some(&[1])).is_err());
    let (oid, array_oid) = types.register("mood", Some("public")).unwrap();
    assert_eq!(
        types.encode_bind(array_oid, None),
        Ok((Field::IsNull(true), "\"public\".\"mood\"[]".to_string()))
    );
    assert_eq!(
        types.encode_bind(oid, Some(b"happy")).unwrap().0,
        Field::StringValue("happy".into())
    );
    assert!(pg_builtin_types().contains(&(23, 1007, "int4")));
    assert_eq!(
        pg_decode("int2", None, Field::LongValue(-2)),
        Ok(Some((vec![0xff, 0xfe], 21)))
    );
    assert_eq!(pg_decode("int4", None, Field::IsNull(true)), Ok(None));

    let bind = mysql_encode_bind(MysqlType::Numeric, Some(b"1.50")).unwrap();
    assert_eq!(bind.value, Field::StringValue("1.50".into()));
    assert_eq!(bind.type_hint.as_deref(), Some("DECIMAL"));
    assert_eq!(
        mysql_decode("TINYINT", None, Field::LongValue(-1)),
        Ok(Some((vec![0xff], MysqlType::Tiny)))
    );
    assert!(mysql_decode("DATE", None, Field::StringValue("x".into())).is_err());
}
