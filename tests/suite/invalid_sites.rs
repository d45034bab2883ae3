//! One invalid fixture per error class (`tests/fixtures/invalid/<case>/`, laid over
//! `tests/fixtures/base/`). Each must fail `charter check` and `charter build` with
//! exit code 1, print exactly the diagnostic lines of its `expected.txt` (headlines
//! and help lines; `CHARTER_BLESS=1` rewrites them), and write nothing.

use crate::common::*;

fn assert_invalid(case: &str) {
    let site = site_with(&[&format!("invalid/{case}")]);
    let root = site.path().to_str().unwrap();
    let file = fixtures().join("invalid").join(case).join("expected.txt");
    let expected: Vec<String> =
        read(&file).lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();

    let check = charter(&["check", "--root", root]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{case}: expected exit 1, stderr:\n{err}");
    let actual = diagnostic_lines(&err);
    let blessed = |lines: &[String]| std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    if let Err(e) = compare_or_bless(case, &expected, &actual, blessed) {
        panic!("{e}\nstderr:\n{err}");
    }
    // The source line is quoted under the location, with a caret.
    assert!(err.contains(" | "), "{case}: no source line quoted:\n{err}");
    assert!(err.contains('^'), "{case}: no caret:\n{err}");

    let build = charter(&["build", "--root", root]);
    assert_eq!(build.status.code(), Some(1), "{case}: build should fail:\n{}", stderr(&build));
    assert!(!site.path().join("site").exists(), "{case}: a failed build wrote output");
}

macro_rules! invalid_cases {
    ($($name:ident => $dir:literal),* $(,)?) => {
        $(#[test] fn $name() { assert_invalid($dir); })*

        /// Every fixture folder has a test above, so none is silently skipped.
        #[test]
        fn every_invalid_fixture_is_tested() {
            let listed = [$($dir),*];
            for entry in std::fs::read_dir(fixtures().join("invalid")).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().to_string();
                assert!(listed.contains(&name.as_str()), "fixture invalid/{name} has no test");
            }
        }
    };
}

invalid_cases! {
    empty_title => "empty-title",
    unknown_front_matter_key => "unknown-key",
    duplicate_id => "duplicate-id",
    bad_date => "bad-date",
    broken_link => "broken-link",
    broken_links_of_every_form => "broken-links-every-form",
    other_tools_shortcodes => "other-tools-shortcodes",
    missing_anchor => "missing-anchor",
    unknown_owner => "unknown-owner",
    public_page_links_internal_page => "public-links-internal",
    malformed_yaml => "malformed-yaml",
    unknown_config_key => "unknown-config-key",
    every_error_of_a_run_is_reported => "every-error-reported",
    link_to_draft => "link-to-draft",
    public_page_in_internal_section => "public-in-internal-section",
    pages_entry_naming_no_page => "unknown-pages-entry",
    reporting_cycle => "reporting-cycle",
    template_error => "template-error",
    template_including_itself => "template-include-cycle",
    unknown_parameter_in_shortcode => "unknown-param",
    unfilled_blank_in_public_page => "unfilled-blank",
    kpi_target_outside_scale => "kpi-target-out-of-scale",
    kpi_targets_not_ascending => "kpi-targets-not-ascending",
    duplicate_kpi_id => "duplicate-kpi-id",
    scorecard_weights_not_100 => "weights-not-100",
    scorecard_names_unknown_kpi_and_role => "scorecard-unknown-kpi",
    data_value_of_wrong_type => "data-wrong-type",
    data_duplicate_key => "data-duplicate-key",
    unknown_or_malformed_shortcode => "unknown-shortcode",
    public_page_shows_internal_kpi => "public-shows-internal-kpi",
    org_unknown_references => "org-unknown-references",
    bad_measurement_rows_all_at_once => "bad-measurements",
    data_words_in_unknown_or_missing_languages => "data-words",
    alias_collides_with_page_alias_or_generated_path => "alias-collision",
    malformed_toml_front_matter => "malformed-toml",
    misspelt_key_of_another_tool => "other-tool-key",
    bad_audience_tiers => "bad-audiences",
    bad_report_family_tiers => "bad-report-tiers",
    page_links_a_higher_tier_or_sits_in_one => "links-higher-tier",
    translation_widens_its_source_or_has_none => "translation-refused",
    // A translation showing a parameter whose unit has no `en` form: one error at the
    // unit, naming the first page and counting the other; `24 hours` typed by hand is
    // spotted as in the source language.
    translation_missing_a_data_word => "translation-missing-word",
}

#[test]
fn the_base_fixture_itself_is_valid() {
    let site = site_with(&[]);
    let o = charter(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "base fixture has warnings: {}", stderr(&o));
}
