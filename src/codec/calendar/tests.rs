use super::*;

#[test]
fn calendar_round_trips() {
    assert_eq!(days_from_civil(2000, 1, 1), PG_EPOCH_DAYS_1970);
    assert_eq!(civil_from_days(0), (1970, 1, 1));
    for z in [-3_000_000i64, -719_468, -1, 0, 59, 10_957, 2_000_000] {
        let (y, m, d) = civil_from_days(z);
        assert_eq!(days_from_civil(y, m, d), z);
        assert!(d <= days_in_month(y, m));
    }
    assert_eq!(days_in_month(2000, 2), 29);
    assert_eq!(days_in_month(1900, 2), 28);
    assert_eq!(days_in_month(0, 2), 29);
}

#[test]
fn fractions_are_microseconds_never_rounded() {
    assert_eq!(fraction_micros(""), Ok(0));
    assert_eq!(fraction_micros("5"), Ok(500_000));
    assert_eq!(fraction_micros("000001"), Ok(1));
    assert_eq!(fraction_micros("1234560"), Ok(123_456));
    assert!(fraction_micros("1234567").is_err());
    assert!(fraction_micros("1a").is_err());
}
