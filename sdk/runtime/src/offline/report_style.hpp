#pragma once
// The CSS of the analysis's pages (report.html of `analyze` and of `drill`):
// one look, phone-width plots, print rules.

namespace stridefuse::offline {

inline constexpr const char* report_style =
    "body{font-family:system-ui,sans-serif;max-width:62em;margin:0 auto;padding:0 0.8em;line-height:1.4;color:#222}"
    "h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:1.6em}h3{font-size:1em;margin:0.4em 0}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
    "th{background:#f2f2f2;text-align:left}.l{color:#1f77b4}.r{color:#d62728}"
    ".scroll{overflow-x:auto}figure{margin:0.8em 0}figcaption{font-size:0.9em;color:#444}"
    "svg.plot{width:100%;height:auto;max-width:640px;display:block}"
    "svg .frame{fill:none;stroke:#888}svg .grid{stroke:#eee}svg text{font-size:12px;fill:#333}"
    "svg .axis{font-size:13px}svg .fit{stroke-width:2.5;stroke-dasharray:6 3}svg .trend{stroke-width:1.5}"
    "svg circle.data{fill-opacity:0.55}"
    ".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18em,1fr));gap:0.5em 1.5em}"
    "ol.findings li{margin:0.5em 0}.figure{color:#555}.note{font-size:0.9em;color:#555}"
    "@media print{body{max-width:none}section,figure{break-inside:avoid}h2{break-after:avoid}}";

}  // namespace stridefuse::offline
