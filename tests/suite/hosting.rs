//! `charter build` writes server configuration for every tier beside the sites, in
//! `site/hosting/<tier>/`: an nginx server and a `_headers` file, each with the security
//! headers; the public one is open and rooted in `public/` alone, the internal one
//! asks for sign-in, and the theme's pages fit the Content-Security-Policy they send.

use crate::common::*;
use crate::example_site::built_example;

const CSP: &str =
    "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'";

fn site_dir() -> std::path::PathBuf {
    built_example().path().join("site").canonicalize().unwrap()
}

fn roots(conf: &str) -> Vec<&str> {
    conf.lines().filter_map(|l| l.trim().strip_prefix("root ")).collect()
}

#[test]
fn the_public_server_is_open_and_rooted_in_the_public_folder_alone() {
    let site = site_dir();
    let conf = read(&site.join("hosting/public/nginx.conf"));
    assert_eq!(roots(&conf), [format!("\"{}/public\";", site.display())], "{conf}");
    assert!(!conf.contains("internal"), "the public server names the internal site:\n{conf}");
    assert!(!conf.contains("auth_basic") && !conf.contains("X-Robots-Tag"), "{conf}");
    assert!(conf.contains("    server_name handbook.example.com;\n"), "{conf}");
    for header in
        ["Content-Security-Policy \"default-src 'none';", "X-Content-Type-Options \"nosniff\"", "Referrer-Policy"]
    {
        assert!(conf.contains(&format!("    add_header {header}")), "{header} missing:\n{conf}");
    }
    let headers = read(&site.join("hosting/public/_headers"));
    assert!(headers.contains(&format!("/*\n  {CSP}")), "{headers}");
    assert!(headers.contains("  X-Content-Type-Options: nosniff\n") && !headers.contains("noindex"), "{headers}");
    assert!(!headers.contains("internal"), "{headers}");
}

#[test]
fn the_internal_server_asks_for_sign_in_and_is_never_indexed() {
    let site = site_dir();
    let conf = read(&site.join("hosting/internal/nginx.conf"));
    assert_eq!(roots(&conf), [format!("\"{}/internal\";", site.display())], "{conf}");
    assert!(conf.contains("    auth_basic_user_file /etc/nginx/charter/internal.htpasswd;\n"), "{conf}");
    assert!(conf.contains("    # auth_request /oauth2/auth;\n"), "{conf}");
    assert!(conf.contains("    add_header X-Robots-Tag \"noindex, nofollow\" always;\n"), "{conf}");
    let headers = read(&site.join("hosting/internal/_headers"));
    assert!(headers.contains("  X-Robots-Tag: noindex, nofollow\n") && headers.contains(CSP), "{headers}");
}

/// The configuration is never inside a served folder: it names the sign-in files and
/// the folders behind sign-in.
#[test]
fn no_site_folder_holds_server_configuration() {
    let site = site_dir();
    for tier in ["public", "internal", "managers"] {
        let files = tree(&site.join(tier));
        let found: Vec<&String> = files
            .keys()
            .filter(|p| p.ends_with("_headers") || p.ends_with("nginx.conf") || p.contains("hosting"))
            .collect();
        assert!(found.is_empty(), "{tier}/ holds {found:?}");
    }
}

/// What the Content-Security-Policy forbids never occurs in the built pages: no inline
/// script, no `<style>` element, no event handler attribute; style attributes only for
/// table alignment (allowed by `style-src-attr`); nothing loaded from another origin.
#[test]
fn the_pages_fit_the_content_security_policy() {
    let site = site_dir();
    let mut pages = 0;
    for tier in ["public", "internal", "managers"] {
        for (path, bytes) in tree(&site.join(tier)).iter().filter(|(p, _)| p.ends_with(".html")) {
            pages += 1;
            let html = String::from_utf8_lossy(bytes);
            for (i, _) in html.match_indices("<script") {
                let tag = &html[i..i + html[i..].find('>').unwrap()];
                assert!(tag.contains(" src=\""), "{tier}/{path}: inline script {tag}");
            }
            assert!(!html.contains("<style"), "{tier}/{path}: <style> element");
            for (i, _) in html.match_indices(" style=\"") {
                let value = &html[i + 8..i + 8 + html[i + 8..].find('"').unwrap()];
                assert!(value.starts_with("text-align"), "{tier}/{path}: style=\"{value}\"");
            }
            for attr in [" onclick=", " onload=", " onerror=", " src=\"//", "javascript:"] {
                assert!(!html.contains(attr), "{tier}/{path}: {attr}");
            }
            // The 404 page, served at any depth, loads its script by the site's own
            // address (`base_url`): the same origin as the page, so `'self'` allows it.
            for (i, _) in html.match_indices(" src=\"http") {
                let rest = &html[i + 6..];
                assert!(rest.starts_with("https://handbook.example.com/"), "{tier}/{path}: {}", &rest[..60]);
            }
        }
    }
    assert!(pages > 190, "only {pages} pages checked");
}
