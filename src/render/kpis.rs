//! The KPI dictionary of a view: one page per KPI (definition, target in force and
//! history, warning band, the scorecards using it, the pages citing it) and the list.
//! Public views hold public KPIs only.

use serde::Serialize;

use super::pages::{generated_context, home_crumb, Item};
use super::view::{Inputs, Link, View};
use super::words::Say;
use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::check::validate::published_in;
use crate::compute::kpi::target_in_force;
use crate::load::data::{format_number, Aggregate, Direction, Kpi};
use crate::markdown::links::relative_url;
use crate::markdown::shortcodes::kpi_url;
use crate::markdown::{self, Outline};

#[derive(Serialize)]
pub(super) struct TargetRow {
    pub(super) from: String,
    pub(super) value: String,
    pub(super) current: bool,
}

#[derive(Serialize)]
pub(super) struct KpiUse {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) weight: String,
    pub(super) rule: &'static str,
}

#[derive(Serialize)]
pub(super) struct KpiContext {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) url: String,
    pub(super) definition: String,
    pub(super) unit: String,
    pub(super) direction: &'static str,
    pub(super) scale: String,
    pub(super) current_target: Option<String>,
    pub(super) targets: Vec<TargetRow>,
    /// The warning band, labelled: `警戒区间：…`.
    pub(super) warning: Option<String>,
    pub(super) aggregate: &'static str,
    pub(super) owner: Option<Link>,
    pub(super) public: bool,
    pub(super) scorecards: Vec<KpiUse>,
    pub(super) cited_by: Vec<Item>,
}

pub(super) fn kpi_context(view: &View, inputs: &Inputs, from: &str, k: &Kpi) -> KpiContext {
    let (ui, say) = (inputs.env.ui, Say(inputs.env.language));
    let today = inputs.env.today;
    let in_force = k.targets.iter().take_while(|t| t.from <= today).count();
    let targets = k
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| TargetRow { from: t.from.to_string(), value: say.target(k, t.value), current: i + 1 == in_force })
        .collect();
    let definition = markdown::to_html(say.definition(k), &Outline::default(), &[], &|_| (String::new(), false));
    let scorecards = view
        .scorecards
        .iter()
        .filter_map(|s| {
            let item = s.items.iter().find(|i| i.kpi.value == k.id)?;
            let rule = if item.rule == crate::load::data::Rule::Linear { ui.rule_linear } else { ui.rule_threshold };
            Some(KpiUse {
                title: say.scorecard(s).to_string(),
                url: String::new(),
                weight: format!("{}%", format_number(item.weight)),
                rule,
            })
        })
        .collect();
    // Only pages of this site cite a KPI here; a fake page stands in for `item`'s origin.
    let cited_by = inputs
        .citations
        .get(&k.id)
        .into_iter()
        .flatten()
        .filter(|&&i| published_in(&inputs.pages[i], view.audience))
        .map(|&i| {
            let to = &inputs.pages[i];
            Item {
                title: to.title.clone(),
                url: relative_url(from, &to.url),
                summary: to.summary.clone(),
                status: to.status.as_str(),
                is_internal: !view.audience.is_public() && !to.audience.is_public(),
                effective: to.effective.map(|d| d.to_string()),
                count: None,
            }
        })
        .collect();
    KpiContext {
        id: k.id.clone(),
        name: say.kpi(k).to_string(),
        url: relative_url(from, &kpi_url(&k.id)),
        definition,
        unit: say.unit(k).to_string(),
        direction: if k.direction == Direction::Higher { ui.direction_higher } else { ui.direction_lower },
        scale: format!("{}–{}", format_number(k.scale.0), say.amount(k, k.scale.1)),
        current_target: target_in_force(k, today).map(|t| say.target(k, t)),
        targets,
        warning: (k.warning > 0.0)
            .then(|| say.labelled(ui.warning_band, &ui.warning_band_text.replace("{band}", &say.amount(k, k.warning)))),
        aggregate: match k.aggregate {
            Aggregate::Mean => ui.agg_mean,
            Aggregate::Sum => ui.agg_sum,
            Aggregate::Median => ui.agg_median,
        },
        owner: k
            .owner
            .as_ref()
            .and_then(|o| view.role(&o.value))
            .map(|r| Link { title: r.title.clone(), url: relative_url(from, &r.url) }),
        public: k.public,
        scorecards,
        cited_by,
    }
}

/// The KPI dictionary's index (`kpi == None`) or one KPI's page.
pub(super) fn kpi_page(view: &View, inputs: &Inputs, kpi: Option<&Kpi>) -> Result<OutputFile, Diagnostics> {
    let ui = inputs.env.ui;
    let url = kpi.map_or_else(|| "kpis/".to_string(), |k| kpi_url(&k.id));
    let mut crumbs = home_crumb(view, inputs, &url);
    let (template, ctx) = match kpi {
        None => {
            let mut ctx =
                generated_context(view, inputs, &url, ui.kpi_dictionary, Some(ui.kpi_dictionary_intro), &crumbs);
            let kpis: Vec<KpiContext> = view.kpis.iter().map(|k| kpi_context(view, inputs, &url, k)).collect();
            ctx.insert("kpis", &kpis);
            ("kpis.html", ctx)
        }
        Some(k) => {
            crumbs.push(Link { title: ui.kpi_dictionary.to_string(), url: relative_url(&url, "kpis/") });
            let say = Say(inputs.env.language);
            let mut ctx = generated_context(view, inputs, &url, say.kpi(k), None, &crumbs);
            // The KPI's definition says what the page is about.
            if let Some(d) = super::meta::description(Some(say.definition(k)), "") {
                ctx.insert("description", &d);
            }
            ctx.insert("kpi", &kpi_context(view, inputs, &url, k));
            ("kpi.html", ctx)
        }
    };
    let html = inputs.theme.render(template, &ctx)?;
    Ok(OutputFile { path: format!("{}/{}{url}index.html", view.audience.as_str(), view.prefix), bytes: html })
}
