//! `charter warehouse-inputs`: writes what `docs/warehouse/*.sql` needs from the
//! handbook rather than from the warehouse — each complaint type's time limits, from
//! `data/params.yaml`, in seconds and each from its date (`complaint_limits.csv`), and
//! the organisation's offset from UTC, from `time_zone:` (`settings.csv`: the runners
//! move instants to it, as the build does) — so that nothing is copied into the
//! warehouse by hand. The summaries record the limits they were computed with, and the
//! build refuses a summary whose limits `params.yaml` no longer gives.

use std::fmt::Write as _;
use std::process::ExitCode;

use super::{fail, Format, WarehouseArgs, EXIT_USAGE};
use crate::base::diagnostics::Diagnostics;
use crate::load::measure::ComplaintType;

pub(crate) fn run(args: &WarehouseArgs) -> ExitCode {
    let mut diags = Diagnostics::new();
    let config = crate::load::config::load(&args.root, &mut diags);
    let content = crate::load::content::load_site(&args.root, &config, &mut diags);
    let today = match crate::build::build_date(None) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let data = crate::load::data::load(&args.root, &content.role_ids(), today, &mut diags);
    let types = crate::load::measure::complaint_types(&args.root, &data, &mut diags);
    if diags.has_errors() {
        return fail(&args.root, crate::BuildError::Content(diags.into_sorted()), Format::Human);
    }
    let path = args.out.join("complaint_limits.csv");
    let settings = format!("utc_offset_seconds\n{}\n", config.utc_offset.map(|s| s.to_string()).unwrap_or_default());
    let written = std::fs::create_dir_all(&args.out)
        .and_then(|()| std::fs::write(&path, limits_csv(&types)))
        .and_then(|()| std::fs::write(args.out.join("settings.csv"), settings));
    if let Err(e) = written {
        eprintln!("error: cannot write into {}: {e}", args.out.display());
        return ExitCode::from(EXIT_USAGE);
    }
    let steps: usize = types.iter().map(|t| t.limits.len()).sum();
    println!("wrote {} ({} complaint types, {steps} limits)", path.display(), types.len());
    ExitCode::SUCCESS
}

/// `type,from_at,limit_seconds`: a row per limit, `from_at` empty for one in force
/// since always; seconds in the shortest form that reads back as the same number.
fn limits_csv(types: &[ComplaintType]) -> String {
    let mut out = String::from("type,from_at,limit_seconds\n");
    for t in types {
        for (from, seconds) in &t.limits {
            let from = from.map(|f| format!("{} 00:00:00", f.date())).unwrap_or_default();
            let _ = writeln!(out, "{},{from},{seconds}", t.id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::date::Timestamp;

    #[test]
    fn limits_are_written_in_seconds_from_their_dates() {
        let mut quality = ComplaintType::with_limit("quality", "产品质量", 48.0, 90.0);
        quality.limits.push((Some(Timestamp::parse("2026-01-01 00:00").unwrap()), 36.0 * 3600.0));
        let quick = ComplaintType::with_limit("quick", "快速", 0.25, 90.0);
        assert_eq!(
            limits_csv(&[quality, quick]),
            "type,from_at,limit_seconds\nquality,,172800\nquality,2026-01-01 00:00:00,129600\nquick,,900\n"
        );
    }
}
