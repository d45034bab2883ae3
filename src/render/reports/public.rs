//! The public performance page (`performance/`).

use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::compute::computed::Computed;
use crate::load::content::Audience;
use crate::load::data::{Data, Kpi};
use crate::load::measure::ORG;
use crate::markdown::links::relative_url;
use crate::markdown::shortcodes::kpi_url;
use crate::render::charts::Charts;
use crate::render::words::Say;
use crate::render::{home_crumb, Inputs, View};

use super::format::last_12;
use super::kpis::{kpi_trend_section, Head, Trends};
use super::{render, PageHead, Report};

/// Public KPIs that have organisation-wide values: what the performance page shows.
pub(crate) fn public_kpis<'a>(data: &'a Data, c: &Computed) -> Vec<&'a Kpi> {
    data.kpis.values().filter(|k| k.public && c.has(&k.id, ORG)).collect()
}

/// The public performance page: organisation-wide results of public KPIs over the
/// last 12 months against target. Nothing per team or person, no internal KPI.
/// `charts` says whether its charts are drawn (see [`Charts`]).
pub(crate) fn public_performance(
    view: &View,
    inputs: &Inputs,
    (data, c): (&Data, &Computed),
    charts: Charts,
) -> Result<Vec<OutputFile>, Diagnostics> {
    debug_assert_eq!(view.audience, Audience::PUBLIC);
    let kpis = public_kpis(data, c);
    let Some(latest) = c.latest() else { return Ok(Vec::new()) };
    if kpis.is_empty() {
        return Ok(Vec::new());
    }
    let (ui, say) = (inputs.env.ui, Say(inputs.env.language));
    let url = "performance/";
    let months = last_12(latest);
    let sections = kpis
        .iter()
        .map(|k| {
            kpi_trend_section(
                &Trends { ui, say, c, charts },
                k,
                ORG,
                &months,
                Head {
                    id: format!("kpi-{}", k.id),
                    heading: say.kpi(k).to_string(),
                    url: Some(relative_url(url, &kpi_url(&k.id))),
                },
            )
        })
        .collect();
    let report = Report { period: Some(latest.to_string()), as_of: c.today.to_string(), sections, ..Report::default() };
    let crumbs = home_crumb(view, inputs, url);
    let head = PageHead { title: ui.performance, summary: Some(ui.performance_intro), crumbs };
    render(view, inputs, url, head, &report)
}
