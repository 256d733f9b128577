//! Where requests go: a region (and options) turned into SWF's endpoint URL, or a
//! caller's `endpoint` override checked so that it can be signed and is safe to use.

use crate::error::Error;

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
    /// Use the FIPS endpoint of the region (US and GovCloud regions only).
    pub use_fips: bool,
    /// Allow `http://` to a host that is not loopback.
    pub allow_insecure: bool,
}

/// Regions with an SWF FIPS endpoint.
const FIPS_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "us-gov-east-1",
    "us-gov-west-1",
];

/// Resolves the endpoint for a configuration, or says clearly why it cannot.
pub fn resolve(config: &EndpointConfig<'_>) -> Result<Endpoint, Error> {
    check_region(config.region)?;
    let url = match config.endpoint {
        Some(endpoint) => check_override(endpoint, config.allow_insecure)?,
        None => default_url(config.region, config.use_fips)?,
    };
    Ok(Endpoint {
        url,
        region: config.region.to_owned(),
    })
}

/// The AWS endpoint of SWF in `region`.
fn default_url(region: &str, use_fips: bool) -> Result<String, Error> {
    let suffix = dns_suffix(region);
    if use_fips {
        if !FIPS_REGIONS.contains(&region) {
            return Err(Error::invalid(
                "useFipsEndpoint",
                format!(
                    "SWF has no FIPS endpoint in {region} (only in {})",
                    FIPS_REGIONS.join(", ")
                ),
            ));
        }
        return Ok(format!("https://swf-fips.{region}.{suffix}/"));
    }
    Ok(format!("https://swf.{region}.{suffix}/"))
}

/// The DNS suffix of a region's partition.
fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else {
        "amazonaws.com"
    }
}

/// Checks that a region looks like one (`us-east-1`, `cn-north-1`, `us-gov-west-1`):
/// lowercase words joined by `-`, ending in a number. Unknown but well-formed regions pass.
fn check_region(region: &str) -> Result<(), Error> {
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = region.len() <= 32
        && parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.last().is_some_and(|p| {
            !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit())
        });
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
    let bad = |why: &str| Error::invalid("endpoint", format!("endpoint {why}"));
    let lower = endpoint.to_ascii_lowercase();
    let (scheme, rest) = lower
        .split_once("://")
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
    Ok(format!("{scheme}://{authority}/"))
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

/// Whether `host` names this machine (`localhost`, `127.0.0.0/8`, `[::1]`).
fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_for(region: &str, endpoint: Option<&str>, use_fips: bool) -> Result<String, Error> {
        resolve(&EndpointConfig {
            region,
            endpoint,
            use_fips,
            allow_insecure: false,
        })
        .map(|e| e.url)
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
                "https://swf-fips.us-gov-east-1.amazonaws.com/",
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
    fn fips_only_where_offered() {
        assert_eq!(
            field_of(url_for("eu-west-1", None, true)),
            "useFipsEndpoint"
        );
        assert_eq!(
            field_of(url_for("cn-north-1", None, true)),
            "useFipsEndpoint"
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
            use_fips: false,
            allow_insecure: true,
        };
        assert_eq!(resolve(&config).unwrap().url, "http://swf.internal:8080/");
    }
}
