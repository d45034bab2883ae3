//! A handbook written for GitHub, as a team would bring it: no front matter but a
//! Docusaurus and a Hugo page, `README.md` files as folder pages, an image beside the
//! pages, GitHub alerts and a Docusaurus admonition, a six-column table, links with
//! GitHub's anchors. It builds under `--strict` with no edits, and reads as on GitHub.

use std::path::Path;

use crate::common::{charter, copy_of, fixtures, stderr, tree};
use crate::files_and_links::assert_local_links_resolve;

fn page(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `<h1>` texts of a page.
fn headings_1(html: &str) -> Vec<String> {
    html.split("<h1").skip(1).map(|h| h[h.find('>').unwrap() + 1..h.find("</h1>").unwrap()].to_string()).collect()
}

#[test]
fn a_github_handbook_builds_strict_without_edits_and_reads_as_on_github() {
    let dir = copy_of(&fixtures().join("valid/github-handbook"));
    let root = dir.path();
    let o = charter(&["build", "--root", root.to_str().unwrap(), "--strict"]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("warning") && !err.contains("note:"), "{err}");
    let public = root.join("site/public");
    let internal = root.join("site/internal");

    // README.md is the home page and a folder's page, titled once by its heading.
    let home = page(&public, "index.html");
    assert_eq!(headings_1(&home), ["Harbour Street Support Handbook"]);
    assert!(home.contains("How the support desk at Harbour Street answers customers"));
    assert!(!public.join("README").exists());
    let policies = page(&public, "policies/index.html");
    assert_eq!(headings_1(&policies), ["Policies"]);
    assert!(policies.contains("The rules customers can hold us to."));
    assert!(policies.contains("href=\"refunds/\""), "the folder page lists and links its pages");

    // An internal README is its folder's page in the internal site only.
    assert!(page(&internal, "team/index.html").contains("the safe code changes monthly"));
    let public_files = tree(&public);
    for (path, bytes) in &public_files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("safe code") && !text.contains("Team notes"), "{path} shows the internal README");
    }

    // Alerts and admonitions are callouts; the wide table scrolls in its own box.
    let refunds = page(&public, "policies/refunds/index.html");
    assert!(refunds.contains("<div class=\"callout callout-warning\" role=\"note\">\n<p>Never refund in cash"));
    assert!(refunds.contains("<p class=\"callout-title\">Before you start</p>"));
    assert!(!refunds.contains(":::"), "no admonition markers are left");
    assert!(home.contains("<div class=\"callout callout-note\" role=\"note\">"));
    assert!(refunds
        .contains("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"who-decides\"><table>"));

    // GitHub's anchors lead to Charter's; the image is published beside the page, as is.
    assert!(home.contains("href=\"guide/launch-day/#before-the-doors-open\""));
    assert!(page(&public, "guide/contact/index.html").contains("href=\"../launch-day/#qa-what-if-a-reader-fails\""));
    let png = std::fs::read(fixtures().join("valid/github-handbook/content/img/desk.png")).unwrap();
    assert_eq!(public_files.get("img/desk.png"), Some(&png));
    // Links written before a page moved (its `aliases`) lead to where it is now; the
    // old address redirects.
    assert!(home.contains("href=\"guide/contact/\""), "a site path to the old address");
    assert!(refunds.contains("href=\"../../guide/contact/\""), "a source path to the old file");
    assert!(page(&public, "help/contact/index.html").contains("url=../../guide/contact/"));
    assert!(assert_local_links_resolve(&public) > 20);
    assert!(assert_local_links_resolve(&internal) > 20);

    // Docusaurus and Hugo front matter: titles, order by sidebar_position / weight.
    let guide = page(&public, "guide/index.html");
    let (launch, contact) = (guide.find("Launch day").unwrap(), guide.find("Who to call").unwrap());
    assert!(launch < contact, "sidebar_position 2 before weight 3");
    assert!(guide.contains("What happens on the first day a new store opens."), "description is the summary");
}
