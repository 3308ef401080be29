use super::*;

#[test]
fn builtin_table_is_consistent() {
    for (i, t) in BUILTINS.iter().enumerate() {
        assert!(t.oid < 16384 && t.array_oid < 16384, "{}", t.name);
        for u in &BUILTINS[i + 1..] {
            assert_ne!(t.oid, u.oid, "{}", t.name);
            assert_ne!(t.array_oid, u.array_oid, "{}", t.name);
            assert_ne!(t.name, u.name);
            assert!(t.oid != u.array_oid && t.array_oid != u.oid, "{}", t.name);
        }
        if let Kind::Range(e) | Kind::Multirange(e) = t.kind {
            assert!(builtin_by_oid(e).is_some());
        }
    }
}

#[test]
fn casts() {
    assert_eq!(builtin_cast_type(23).as_deref(), Some("int4"));
    assert_eq!(builtin_cast_type(1007).as_deref(), Some("int4[]"));
    assert_eq!(builtin_cast_type(1009).as_deref(), Some("text[]"));
    assert_eq!(builtin_cast_type(1185).as_deref(), Some("timestamptz[]"));
    assert_eq!(builtin_cast_type(18).as_deref(), Some("\"char\""));
    assert_eq!(builtin_cast_type(9), None);
    let r = TypeRegistry::new();
    assert_eq!(r.cast_type(1231).as_deref(), Some("numeric[]"));
    assert_eq!(r.cast_type(FIRST_SYNTHETIC_OID), None);
}

#[test]
fn registry_hands_out_stable_synthetic_oids() {
    let r = TypeRegistry::new();
    let mood = r.oids_for("mood", Some("s")).unwrap();
    assert_eq!(mood, (FIRST_SYNTHETIC_OID, FIRST_SYNTHETIC_OID + 1));
    assert_eq!(r.oids_for("mood", Some("s")), Some(mood));
    let plain = r.oids_for("mood", None).unwrap();
    assert_ne!(plain, mood);
    let q = r.oids_for("we\"ird", Some("My Schema")).unwrap();
    assert_eq!(r.cast_type(mood.0).as_deref(), Some("\"s\".\"mood\""));
    assert_eq!(r.cast_type(mood.1).as_deref(), Some("\"s\".\"mood\"[]"));
    assert_eq!(r.cast_type(plain.0).as_deref(), Some("\"mood\""));
    assert_eq!(
        r.cast_type(q.0).as_deref(),
        Some("\"My Schema\".\"we\"\"ird\"")
    );
    assert_eq!(r.array_element(mood.1), Some(mood.0));
    assert_eq!(r.array_element(1007), Some(23));
    assert_eq!(r.array_element(mood.0), None);
    let c = r.custom_type(q.0).unwrap();
    assert_eq!(
        (c.schema.as_deref(), c.name.as_str()),
        (Some("My Schema"), "we\"ird")
    );
    // Clones share the table.
    let clone = r.clone();
    assert_eq!(clone.oids_for("mood", Some("s")), Some(mood));
    // Built-in names keep their real OIDs (diesel looks up "text" by name).
    assert_eq!(r.oids_for("text", None), Some((25, 1009)));
    assert_eq!(r.oids_for("int4", Some("pg_catalog")), Some((23, 1007)));
    assert_ne!(r.oids_for("text", Some("public")), Some((25, 1009)));
}

#[test]
fn diesel_lookups_go_through_the_registry() {
    use diesel::pg::Pg;
    use diesel::sql_types::{Array, HasSqlType};
    let mut r = TypeRegistry::new();
    let citext = <Pg as HasSqlType<diesel::sql_types::Citext>>::metadata(&mut r);
    let oid = citext.oid().unwrap();
    assert!(oid >= FIRST_SYNTHETIC_OID);
    assert_eq!(r.cast_type(oid).as_deref(), Some("\"citext\""));
    let arr = <Pg as HasSqlType<Array<diesel::sql_types::Citext>>>::metadata(&mut r);
    assert_eq!(
        r.cast_type(arr.oid().unwrap()).as_deref(),
        Some("\"citext\"[]")
    );
    let int4 = <Pg as HasSqlType<diesel::sql_types::Integer>>::metadata(&mut r);
    assert_eq!(int4.oid().unwrap(), 23);
    // `as_any` must not panic (MultiConnection downcasts through it).
    let lookup: &mut dyn PgMetadataLookup = &mut r;
    assert!(lookup.as_any().downcast_mut::<TypeRegistry>().is_some());
}

#[test]
fn exhausted_oid_space_is_an_error_not_a_panic() {
    let mut r = TypeRegistry::new();
    r.lock().next_oid = Some(u32::MAX);
    assert_eq!(r.oids_for("a", None), None);
    assert!(r.lookup_type("a", None).oid().is_err());
    r.lock().next_oid = Some(u32::MAX - 1);
    assert_eq!(r.oids_for("b", None), Some((u32::MAX - 1, u32::MAX)));
    assert_eq!(r.oids_for("c", None), None);
}
