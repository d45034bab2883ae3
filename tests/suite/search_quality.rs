//! Search quality over the bundled example: a fixed set of queries a customer or an
//! employee types, each with the page that must come first (or among the first few),
//! ranked by `charter::search::rank` on the bundle the build wrote — the ranking
//! `search.js` performs with the same integer arithmetic (the browser suite checks they
//! agree).

use std::collections::BTreeMap;

use crate::common::{ranked, read_bundle, Bundle};
use crate::example_site::built_example;

/// Site, query, the page (relative to the site's home) and the rank it must reach.
const QUERIES: &[(&str, &str, &str, usize)] = &[
    ("public", "投诉", "standards/complaint-handling/", 1),
    ("public", "时限", "standards/complaint-handling/", 1),
    ("public", "退货", "standards/complaint-handling/", 3),
    ("public", "投诉时限", "standards/complaint-handling/", 3),
    // No page holds the phrase (they say 服务态度类投诉): the pages with the row rank first.
    ("public", "服务态度投诉", "standards/complaint-handling/", 5),
    ("public", "退款多久", "standards/complaint-handling/", 3),
    ("public", "complaint", "standards/complaint-handling/", 3),
    ("public", "投诉与建议", "standards/complaint-handling/", 1),
    ("public", "净推荐值", "kpis/nps/", 1),
    ("public", "NPS", "kpis/nps/", 1),
    ("public", "客户满意度", "kpis/satisfaction/", 1),
    ("public", "满意度", "kpis/satisfaction/", 1),
    ("public", "投诉率", "kpis/complaint_rate/", 1),
    ("public", "问题解决率", "kpis/resolution_rate/", 1),
    ("public", "投诉响应时长", "kpis/response_hours/", 1),
    ("public", "电话服务", "standards/phone-service/", 1),
    ("public", "phone", "standards/phone-service/", 1),
    ("public", "线上服务", "standards/online-service/", 1),
    ("public", "服务理念", "standards/service-philosophy/", 1),
    ("public", "服务流程", "standards/service-process/", 1),
    ("public", "服务工具", "standards/service-tools/", 1),
    ("public", "前台接待", "roles/front-desk/", 1),
    ("public", "技术支持部", "roles/technical-support/", 1),
    ("public", "销售部", "roles/sales/", 1),
    ("public", "服务策划", "roles/planning/", 1),
    ("internal", "投诉时限", "reports/complaints/", 3),
    ("internal", "服务态度投诉", "kpis/service_attitude/", 3),
    ("internal", "客服专员", "roles/service-specialist/", 1),
    ("internal", "差错率", "kpis/error_rate/", 1),
    ("internal", "考核", "standards/assessment-discipline/", 1),
    ("internal", "奖惩", "standards/assessment-discipline/", 1),
    ("internal", "售后专员", "roles/after-sales-specialist/", 1),
    ("internal", "时限内解决率", "kpis/on_time_resolution_rate/", 1),
    ("internal", "团队协作互评", "kpis/peer_review/", 1),
    ("internal", "培训演练", "standards/training-drills/", 1),
];

#[test]
fn every_query_ranks_its_page_first_or_near_the_top() {
    let site = built_example().path().join("site");
    let bundles: BTreeMap<&str, Bundle> =
        ["public", "internal"].into_iter().map(|s| (s, read_bundle(&site.join(s).join("search")))).collect();
    let mut failures = Vec::new();
    let mut table = String::from("site\tquery\texpected\tmust be within\trank\n");
    for &(site, query, page, within) in QUERIES {
        let found = ranked(&bundles[site], query);
        let rank = found.iter().position(|u| u == page).map(|r| r + 1);
        table.push_str(&format!("{site}\t{query}\t{page}\t{within}\t{rank:?}\n"));
        if rank.is_none_or(|r| r > within) {
            failures
                .push(format!("{site} {query:?}: {page} ranks {rank:?}, first 5: {:?}", &found[..found.len().min(5)]));
        }
    }
    eprintln!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(QUERIES.len() >= 20);
}

#[test]
fn changelog_and_comparison_pages_stay_out_of_the_public_index() {
    let site = built_example().path().join("site");
    let public = read_bundle(&site.join("public/search"));
    assert!(public.urls.iter().all(|u| !u.starts_with("changelog/")), "{:?}", public.urls);
    assert!(public.urls.contains(&"standards/complaint-handling/".to_string()));
    // Internal readers still find what changed, ranked after the pages themselves.
    let internal = read_bundle(&site.join("internal/search"));
    assert!(internal.urls.iter().any(|u| u.starts_with("changes/")));
    // File names of links never reach the index: only what readers read (and the page's
    // own address) does.
    assert!(!public.terms.contains_key("md"), "a `.md` link target leaked into the index");
}

#[test]
fn every_site_and_release_has_a_results_page_and_the_public_ones_an_opensearch_description() {
    let site = built_example().path().join("site");
    for (folder, opensearch) in [
        ("public", Some("https://handbook.example.com/search/?q={searchTerms}")),
        ("public/2025.1", Some("https://handbook.example.com/2025.1/search/?q={searchTerms}")),
        ("public/2026.1", Some("https://handbook.example.com/2026.1/search/?q={searchTerms}")),
        // The internal site's address is not known: no description, no link.
        ("internal", None),
    ] {
        let page = crate::common::read(&site.join(folder).join("search/index.html"));
        assert!(page.contains("id=\"search-page-results\""), "{folder}");
        assert!(page.contains("<meta name=\"robots\" content=\"noindex"), "{folder}: results pages are not indexed");
        let xml = std::fs::read_to_string(site.join(folder).join("opensearch.xml")).ok();
        let home = crate::common::read(&site.join(folder).join("index.html"));
        match opensearch {
            Some(template) => {
                let xml = xml.unwrap_or_else(|| panic!("{folder}/opensearch.xml"));
                assert!(xml.contains(&format!("template=\"{template}\"")), "{xml}");
                assert!(xml.contains("<ShortName>明德零售服务手册</ShortName>"), "{xml}");
                assert!(home.contains(
                    "<link rel=\"search\" type=\"application/opensearchdescription+xml\" title=\"明德零售服务手册\" href=\"./opensearch.xml\">"
                ), "{folder}");
            }
            None => {
                assert!(xml.is_none(), "{folder}");
                assert!(!home.contains("opensearchdescription"), "{folder}");
            }
        }
    }
}
