use crate::pg::codec::tests::*;

#[test]
fn network_and_misc() {
    assert_eq!(
        dec(s("192.168.0.1"), "inet"),
        RawValue {
            bytes: vec![2, 32, 0, 4, 192, 168, 0, 1],
            oid: 869
        }
    );
    assert_eq!(
        dec(s("10.0.0.0/8"), "cidr").bytes,
        vec![2, 8, 1, 4, 10, 0, 0, 0]
    );
    let v6 = dec(s("2001:db8::/64"), "cidr").bytes;
    assert_eq!(&v6[..6], &[3, 64, 1, 16, 0x20, 0x01]);
    assert_eq!(dec(s("::1"), "inet").bytes[..4], [3, 128, 0, 16]);
    assert!(dec_err(s("300.1.1.1"), "inet").contains("inet"));
    assert!(dec_err(s("10.0.0.1/33"), "inet").contains("prefix"));
    let mac: [u8; 6] = read::<st::MacAddr, _>(s("08:00:2b:01:02:03"), "macaddr");
    assert_eq!(mac, [8, 0, 0x2b, 1, 2, 3]);
    assert_eq!(dec(s("08-00-2b-01-02-03-04-05"), "macaddr8").bytes.len(), 8);
    assert!(dec_err(s("08:00:2b"), "macaddr").contains("MAC"));
    let lsn: diesel::pg::data_types::PgLsn = read::<st::PgLsn, _>(s("16/B374D848"), "pg_lsn");
    assert_eq!(lsn.0, 0x16_B374_D848);
    let money = |text: &str| read::<st::Money, PgMoney>(s(text), "money").0;
    assert_eq!(money("$1,234.56"), 123_456);
    assert_eq!(money("-$1.00"), -100);
    assert_eq!(money("($5.00)"), -500);
    assert_eq!(money("12.5"), 1250);
    assert_eq!(money("-92233720368547758.08"), i64::MIN);
    assert!(dec_err(s("1.234"), "money").contains("money"));
    // Found by fuzz/ pg_codec: the cents of a 38-digit amount overflowed i128 (a panic with
    // overflow checks, a wrapped value without).
    for huge in [
        "70725354693371523778662173309347902773",
        "-170141183460469231731687303715884105727.99",
    ] {
        assert!(dec_err(s(huge), "money").contains("money"), "{huge}");
    }
    assert!(dec_err(s("(1,2)"), "record").contains("record"));
}
