//! Where requests go: a region (and options) turned into SWF's endpoint URL, or a
//! caller's `endpoint` override checked so that it can be signed and is safe to use.

use crate::error::Error;
use crate::swf::text::concat;

/// A resolved endpoint: the URL requests are POSTed to, and the signing region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `scheme://host[:port]/`, the exact URL that is signed and fetched.
    pub url: String,
    /// The region the signature is scoped to.
    pub region: String,
}

/// How to reach SWF, as the caller configured it.
#[derive(Debug, Clone, Default)]
pub struct EndpointConfig<'a> {
    /// The AWS region, e.g. `us-east-1`.
    pub region: &'a str,
    /// An explicit endpoint (e.g. `http://127.0.0.1:4566`); overrides the region's.
    pub endpoint: Option<&'a str>,
    /// Use the region's FIPS endpoint.
    pub use_fips: bool,
    /// Use the region's dual-stack (IPv4 and IPv6) endpoint.
    pub use_dualstack: bool,
    /// Allow `http://` to a host that is not loopback.
    pub allow_insecure: bool,
}

/// An AWS partition, as AWS's endpoint rules know it (botocore's `partitions.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// The partition's name, e.g. `aws-us-gov`.
    pub name: &'static str,
    /// The DNS suffix of its endpoints.
    pub dns_suffix: &'static str,
    /// The DNS suffix of its dual-stack endpoints.
    pub dual_stack_dns_suffix: &'static str,
}

/// The partitions other than `aws`, each with the region prefix its `regionRegex` names
/// (`^{prefix}-\w+-\d+$`). Every partition supports FIPS and dual-stack endpoints.
const PARTITIONS: &[(&str, Partition)] = &[
    (
        "cn",
        part("aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn"),
    ),
    ("us-gov", part("aws-us-gov", "amazonaws.com", "api.aws")),
    ("us-iso", part("aws-iso", "c2s.ic.gov", "api.aws.ic.gov")),
    (
        "us-isob",
        part("aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud"),
    ),
    (
        "eu-isoe",
        part("aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"),
    ),
    (
        "us-isof",
        part("aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov"),
    ),
    (
        "eusc-de",
        part("aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu"),
    ),
];

/// The `aws` partition: its own regions and every region no other partition claims.
const AWS: Partition = part("aws", "amazonaws.com", "api.aws");

const fn part(
    name: &'static str,
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
) -> Partition {
    Partition {
        name,
        dns_suffix,
        dual_stack_dns_suffix,
    }
}

/// The partition of a well-formed region, as the rules' `aws.partition` picks it: the one
/// whose pattern `{prefix}-{word}-{digits}` it matches, else `aws`.
pub fn partition(region: &str) -> Partition {
    PARTITIONS
        .iter()
        .find(|(prefix, _)| {
            region
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|rest| rest.bytes().filter(|&b| b == b'-').count() == 1)
        })
        .map_or(AWS, |(_, partition)| *partition)
}

/// Resolves the endpoint for a configuration, or says clearly why it cannot.
pub fn resolve(config: &EndpointConfig<'_>) -> Result<Endpoint, Error> {
    check_region(config.region)?;
    let url = match config.endpoint {
        // As in AWS's rules: an override is the endpoint, there is no variant of it.
        Some(_) if config.use_fips || config.use_dualstack => {
            let flag = if config.use_fips {
                "useFipsEndpoint"
            } else {
                "useDualstackEndpoint"
            };
            let message = concat(&[flag, " cannot be combined with an endpoint override"]);
            return Err(Error::invalid(flag, message));
        }
        Some(endpoint) => check_override(endpoint, config.allow_insecure)?,
        None => default_url(config.region, config.use_fips, config.use_dualstack),
    };
    Ok(Endpoint {
        url,
        region: config.region.to_owned(),
    })
}

/// The AWS endpoint of SWF in `region`, by SWF's endpoint rules (botocore's
/// `endpoint-rule-set-1.json`). GovCloud is the rules' exception: its FIPS endpoint is
/// `swf.{region}.amazonaws.com` and its dual-stack ones are `swf-fips.{region}.api.aws`.
fn default_url(region: &str, use_fips: bool, use_dualstack: bool) -> String {
    let partition = partition(region);
    let fips_host = if partition.name == "aws-us-gov" {
        use_dualstack
    } else {
        use_fips
    };
    let service = if fips_host { "swf-fips" } else { "swf" };
    let suffix = if use_dualstack {
        partition.dual_stack_dns_suffix
    } else {
        partition.dns_suffix
    };
    concat(&["https://", service, ".", region, ".", suffix, "/"])
}

/// Checks that a region looks like one (`us-east-1`, `cn-north-1`, `us-gov-west-1`):
/// lowercase words joined by `-`, ending in a number. Unknown but well-formed regions pass.
fn check_region(region: &str) -> Result<(), Error> {
    // A byte loop over the `-`-separated parts (a split collected into a Vec cost more).
    let bytes = region.as_bytes();
    let (mut words, mut start, mut words_ok) = (0, 0, true);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'-' {
            words_ok &= i > start && bytes[start..i].iter().all(u8::is_ascii_lowercase);
            words += 1;
            start = i + 1;
        }
    }
    let number = &bytes[start..];
    let well_formed = region.len() <= 32
        && words >= 2
        && words_ok
        && matches!(number.len(), 1 | 2)
        && number.iter().all(u8::is_ascii_digit);
    if region.starts_with("fips-") || region.ends_with("-fips") {
        return Err(Error::invalid(
            "region",
            "region must not be a FIPS alias: set useFipsEndpoint instead",
        ));
    }
    if well_formed {
        Ok(())
    } else {
        Err(Error::invalid(
            "region",
            "region must be an AWS region name like \"us-east-1\" (the value is not shown)",
        ))
    }
}

/// Checks an endpoint override and returns it as `scheme://host[:port]/`, lowercase.
/// Only origins are accepted: a scheme, a DNS name, IPv4 or `[IPv6]` host, an optional
/// port, and nothing after but an optional `/`.
fn check_override(endpoint: &str, allow_insecure: bool) -> Result<String, Error> {
    // The value is never quoted: a secret passed here by mistake must not be shown.
    let bad = |why: &str| Error::invalid("endpoint", concat(&["endpoint ", why]));
    let lower = endpoint.to_ascii_lowercase();
    let (scheme, rest) = split_scheme(&lower)
        .filter(|(scheme, _)| !scheme.is_empty())
        .ok_or_else(|| bad("needs a scheme (https:// or http://)"))?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err(bad("must not contain credentials (user:password@)"));
    }
    if !matches!(tail, "" | "/") {
        return Err(bad(
            "must be an origin only, without a path, query or fragment",
        ));
    }
    let host = host_of_authority(authority).ok_or_else(|| bad("is not a valid URL"))?;
    match scheme {
        "https" => {}
        "http" if allow_insecure || is_loopback(host) => {}
        "http" => {
            return Err(bad(
                "uses plain http to a host that is not loopback; use https or set allowInsecureEndpoint: true",
            ))
        }
        _ => return Err(bad("must use https:// (or http:// for loopback)")),
    }
    Ok(concat(&[scheme, "://", authority, "/"]))
}

/// `url` split around its first `://` (what `url.split_once("://")` gives), found with a
/// byte loop: a `&str` pattern would link in core's general substring searcher.
pub fn split_scheme(url: &str) -> Option<(&str, &str)> {
    let at = url.as_bytes().windows(3).position(|w| w == b"://")?;
    Some((&url[..at], &url[at + 3..]))
}

/// The host of a lowercase `host[:port]` authority, if it is well formed: a DNS name or
/// IPv4 address (letters, digits, `-`, `.`, `_`), or an IPv6 address in brackets, and a
/// port of 1 to 65535 if any.
fn host_of_authority(authority: &str) -> Option<&str> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let (v6, after) = bracketed.split_once(']')?;
            let v6_ok = v6.contains(':')
                && v6
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
            if !v6_ok {
                return None;
            }
            (&authority[..v6.len() + 2], after)
        }
        None => {
            let colon = authority.find(':').unwrap_or(authority.len());
            let name = &authority[..colon];
            let name_ok = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
            if !name_ok {
                return None;
            }
            (name, &authority[colon..])
        }
    };
    if let Some(port) = (!port.is_empty()).then_some(port) {
        let digits = port.strip_prefix(':')?;
        let number: u32 = (digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()?;
        if !(1..=65_535).contains(&number) {
            return None;
        }
    }
    Some(host)
}

/// Whether traffic to `host` cannot leave this machine: a literal IPv4 loopback address
/// (`127.0.0.0/8`, dotted-quad), the IPv6 loopback address written `[::1]`, or the name
/// `localhost` itself, which resolvers answer locally. Not `*.localhost` or any other
/// name: those may go through DNS (e.g. `127.0.0.1.nip.io`, `swf.localhost` on many Linux
/// set-ups) and reach another host. (Other spellings of `::1` are refused too: parsing
/// IPv6 would cost the wasm ~3 KB for no real use.)
pub fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost" || host == "[::1]" || is_ipv4_loopback(&host)
}

/// Whether `host` is an IPv4 address in `127.0.0.0/8` written as `str::parse::<Ipv4Addr>`
/// accepts it: four decimal parts of 1 to 3 digits, each at most 255, no leading zero
/// (`127.1`, `0x7f.0.0.1`, `0127.0.0.1` and `2130706433` are not addresses here). A byte
/// loop, not std's parser (0.5 KB of wasm); a native test compares the two.
fn is_ipv4_loopback(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        let digits = part.as_bytes();
        let number_ok = matches!(digits.len(), 1..=3)
            && digits.iter().all(u8::is_ascii_digit)
            && (digits.len() == 1 || digits[0] != b'0')
            && digits
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
                <= 255;
        if !number_ok || (parts == 0 && part != "127") {
            return false;
        }
        parts += 1;
    }
    parts == 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_for(region: &str, endpoint: Option<&str>, use_fips: bool) -> Result<String, Error> {
        resolve(&EndpointConfig {
            region,
            endpoint,
            use_fips,
            ..EndpointConfig::default()
        })
        .map(|e| e.url)
    }

    fn dualstack(region: &str, use_fips: bool) -> String {
        resolve(&EndpointConfig {
            region,
            use_fips,
            use_dualstack: true,
            ..EndpointConfig::default()
        })
        .unwrap()
        .url
    }

    fn field_of(result: Result<String, Error>) -> String {
        match result {
            Err(Error::Validation { field: Some(f), .. }) => f,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn region_table() {
        let cases = [
            ("us-east-1", false, "https://swf.us-east-1.amazonaws.com/"),
            (
                "eu-central-2",
                false,
                "https://swf.eu-central-2.amazonaws.com/",
            ),
            (
                "ap-southeast-5",
                false,
                "https://swf.ap-southeast-5.amazonaws.com/",
            ),
            (
                "cn-north-1",
                false,
                "https://swf.cn-north-1.amazonaws.com.cn/",
            ),
            (
                "cn-northwest-1",
                false,
                "https://swf.cn-northwest-1.amazonaws.com.cn/",
            ),
            (
                "us-gov-west-1",
                false,
                "https://swf.us-gov-west-1.amazonaws.com/",
            ),
            (
                "us-iso-east-1",
                false,
                "https://swf.us-iso-east-1.c2s.ic.gov/",
            ),
            (
                "us-isob-east-1",
                false,
                "https://swf.us-isob-east-1.sc2s.sgov.gov/",
            ),
            (
                "us-east-1",
                true,
                "https://swf-fips.us-east-1.amazonaws.com/",
            ),
            (
                "us-west-2",
                true,
                "https://swf-fips.us-west-2.amazonaws.com/",
            ),
            (
                "us-gov-east-1",
                true,
                "https://swf.us-gov-east-1.amazonaws.com/",
            ),
            (
                "ca-west-1",
                true,
                "https://swf-fips.ca-west-1.amazonaws.com/",
            ),
            (
                "us-iso-west-1",
                true,
                "https://swf-fips.us-iso-west-1.c2s.ic.gov/",
            ),
            (
                "eusc-de-east-1",
                false,
                "https://swf.eusc-de-east-1.amazonaws.eu/",
            ),
            (
                "eu-isoe-west-1",
                false,
                "https://swf.eu-isoe-west-1.cloud.adc-e.uk/",
            ),
            (
                "us-isof-south-1",
                false,
                "https://swf.us-isof-south-1.csp.hci.ic.gov/",
            ),
            // Not a partition's pattern (four parts starting with `cn`): `aws`, as AWS's rules say.
            (
                "cn-north-east-1",
                false,
                "https://swf.cn-north-east-1.amazonaws.com/",
            ),
        ];
        for (region, fips, want) in cases {
            assert_eq!(
                url_for(region, None, fips).unwrap(),
                want,
                "{region} fips={fips}"
            );
        }
    }

    #[test]
    fn dualstack_endpoints_follow_the_rules() {
        assert_eq!(
            dualstack("us-east-1", false),
            "https://swf.us-east-1.api.aws/"
        );
        assert_eq!(
            dualstack("us-east-1", true),
            "https://swf-fips.us-east-1.api.aws/"
        );
        assert_eq!(
            dualstack("cn-north-1", false),
            "https://swf.cn-north-1.api.amazonwebservices.com.cn/"
        );
        // GovCloud's exception in SWF's rule set: dual-stack is always the FIPS host.
        assert_eq!(
            dualstack("us-gov-west-1", false),
            "https://swf-fips.us-gov-west-1.api.aws/"
        );
        assert_eq!(
            dualstack("us-gov-west-1", true),
            "https://swf-fips.us-gov-west-1.api.aws/"
        );
    }

    #[test]
    fn fips_or_dualstack_with_an_override_is_refused() {
        assert_eq!(
            field_of(url_for("us-east-1", Some("https://example.com"), true)),
            "useFipsEndpoint"
        );
        let config = EndpointConfig {
            region: "us-east-1",
            endpoint: Some("https://example.com"),
            use_dualstack: true,
            ..EndpointConfig::default()
        };
        assert_eq!(
            field_of(resolve(&config).map(|e| e.url)),
            "useDualstackEndpoint"
        );
    }

    #[test]
    fn malformed_regions_are_refused_not_guessed() {
        for region in [
            "",
            "us",
            "US-EAST-1",
            "us-east",
            "us_east_1",
            "us-east-1a",
            "us-east-1.evil.com",
            "us--1",
            "x-y-123",
        ] {
            assert_eq!(
                field_of(url_for(region, None, false)),
                "region",
                "{region:?}"
            );
        }
    }

    #[test]
    fn override_is_normalised_to_an_origin() {
        assert_eq!(
            url_for("us-east-1", Some("https://example.com"), false).unwrap(),
            "https://example.com/"
        );
        assert_eq!(
            url_for("us-east-1", Some("https://Example.com:8443/"), false).unwrap(),
            "https://example.com:8443/"
        );
        assert_eq!(
            url_for("us-east-1", Some("http://127.0.0.1:4566"), false).unwrap(),
            "http://127.0.0.1:4566/"
        );
        assert_eq!(
            url_for("us-east-1", Some("http://localhost:1"), false).unwrap(),
            "http://localhost:1/"
        );
        assert_eq!(
            url_for("us-east-1", Some("http://[::1]:9"), false).unwrap(),
            "http://[::1]:9/"
        );
        assert_eq!(
            url_for("us-east-1", Some("http://127.255.0.9"), false).unwrap(),
            "http://127.255.0.9/"
        );
        assert_eq!(
            url_for("us-east-1", Some("http://LOCALHOST:8"), false).unwrap(),
            "http://localhost:8/"
        );
    }

    #[test]
    fn http_only_where_traffic_cannot_leave_the_machine() {
        for host in ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "swf.localhost",
            "localhost.",
            "localhost.example",
            "127.0.0.1.nip.io",
            "127.evil.example",
            "127.1",
            "0127.0.0.1",
            "2130706433",
            "0x7f.0.0.1",
            "128.0.0.1",
            "0.0.0.0",
            "[::]",
            "[::ffff:127.0.0.1]",
            "[::2]",
            "[0:0:0:0:0:0:0:1]",
            "10.0.0.1",
        ] {
            assert!(!is_loopback(host), "{host}");
            assert_eq!(
                field_of(url_for(
                    "us-east-1",
                    Some(&format!("http://{host}:80")),
                    false
                )),
                "endpoint",
                "{host}"
            );
        }
    }

    #[test]
    fn unsafe_or_unsignable_overrides_are_refused() {
        for endpoint in [
            "example.com",
            "ftp://example.com",
            "http://example.com",
            "http://10.0.0.1",
            "https://user:pw@example.com",
            "https://example.com/path",
            "https://example.com/?q=1",
            "https://example.com/#frag",
            "https://",
            "not a url",
        ] {
            assert_eq!(
                field_of(url_for("us-east-1", Some(endpoint), false)),
                "endpoint",
                "{endpoint}"
            );
        }
    }

    #[test]
    fn malformed_hosts_and_ports_are_refused() {
        for endpoint in [
            "https://exa mple.com",
            "https://example.com:",
            "https://example.com:0",
            "https://example.com:65536",
            "https://example.com:+1",
            "https://[::1",
            "https://[zz::1]",
            "https://[127.0.0.1]",
            "https://:443",
            "://example.com",
            "https://ex%41mple.com",
        ] {
            assert_eq!(
                field_of(url_for("us-east-1", Some(endpoint), false)),
                "endpoint",
                "{endpoint}"
            );
        }
        assert_eq!(
            url_for("us-east-1", Some("HTTPS://SWF.Example.COM:8443"), false).unwrap(),
            "https://swf.example.com:8443/"
        );
    }

    #[test]
    fn insecure_http_allowed_when_asked() {
        let config = EndpointConfig {
            region: "us-east-1",
            endpoint: Some("http://swf.internal:8080"),
            allow_insecure: true,
            ..EndpointConfig::default()
        };
        assert_eq!(resolve(&config).unwrap().url, "http://swf.internal:8080/");
    }

    /// The byte loop agrees with std's `Ipv4Addr` parser (what the check used before) on
    /// every address built from these parts, and on the spellings that must be refused.
    #[test]
    fn ipv4_loopback_matches_std_parser() {
        let parts = [
            "127", "0", "1", "00", "01", "001", "10", "255", "256", "999", "1000", "0127", "7f",
            "0x7f", "", " 1", "1 ", "+1", "-1", "٣",
        ];
        let std_says = |s: &str| {
            s.parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback())
        };
        let mut checked = 0;
        for a in parts {
            for b in parts {
                for c in ["0", "255", "", "01"] {
                    for d in ["1", "0", "256", "x"] {
                        for s in [
                            [a, b, c, d].join("."),
                            [a, b, c].join("."),
                            [a, b, c, d, "1"].join("."),
                            [a, b, c, d, ""].join("."),
                        ] {
                            assert_eq!(is_ipv4_loopback(&s), std_says(&s), "{s:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        for s in [
            "127.0.0.1",
            "127.255.255.255",
            "2130706433",
            "127.1",
            "127.0.0.1.",
            ".127.0.0.1",
        ] {
            assert_eq!(is_ipv4_loopback(s), std_says(s), "{s:?}");
        }
        assert!(checked > 6000);
        assert!(is_ipv4_loopback("127.0.0.1") && !is_ipv4_loopback("128.0.0.1"));
    }

    /// `split_scheme` is `split_once("://")`.
    #[test]
    fn split_scheme_is_split_once() {
        for s in [
            "https://a",
            "a:b://c",
            "://x",
            "x://",
            "x:/y",
            "",
            "a://b://c",
            ":://",
        ] {
            assert_eq!(split_scheme(s), s.split_once("://"), "{s:?}");
        }
    }

    /// `check_region`'s byte loop accepts exactly what the split it replaced accepted:
    /// lowercase words joined by `-` (at least two), then a number of one or two digits.
    #[test]
    fn check_region_is_the_split_rule() {
        let by_split = |region: &str| {
            let parts: Vec<&str> = region.split('-').collect();
            region.len() <= 32
                && parts.len() >= 3
                && parts[..parts.len() - 1]
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
                && parts.last().is_some_and(|p| {
                    !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit())
                })
        };
        let pieces = [
            "us", "east", "gov", "1", "12", "123", "", "-", "E", "é", "a1", " ",
        ];
        let mut cases = vec!["a".repeat(30) + "-b-1", "a".repeat(29) + "-b-1"];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    cases.push([a, "-", b, "-", c].concat());
                    cases.push([a, b, "-", c].concat());
                    cases.push([a, "-", b, "-", c, "-1"].concat());
                }
            }
        }
        for region in &cases {
            let fips = region.starts_with("fips-") || region.ends_with("-fips");
            if !fips {
                assert_eq!(check_region(region).is_ok(), by_split(region), "{region:?}");
            }
        }
    }
}
