#pragma once
// The CSV rendering of events, one table per event kind, for lab tools that
// read tables (pandas.read_csv, MATLAB readtable): `stridefuse sub --format
// csv`. The columns are the keys of the JSON rendering with its envelope
// (sdk/runtime/schema/EVENTS.md section 6), in the same order: nested objects
// flattened as parent.key ("clock.resets", "provenance.produced_s"); each
// "absent" object and the provenance's stream list packed into one column as
// "name=value;name=value" ("absent": "flight_time_s=no_previous_step",
// "provenance.streams": "left_insole=0.0012;pelvis_imu=0.0004"). Numbers as in
// JSON (the shortest text that reads back to the same double), a null,
// absent or non-finite value an empty field, text quoted as RFC 4180 says
// when it holds a comma, quote or line break.

#include <string>
#include <string_view>
#include <vector>

#include "stridefuse/runtime/event_codec.hpp"

namespace stridefuse {

/// The columns of `kind` ("step", "attitude", ...: event_kind()). Throws
/// std::invalid_argument naming an unknown kind.
const std::vector<std::string>& event_csv_columns(std::string_view kind);

/// The header line of `kind`'s table, without a line break. Throws as event_csv_columns.
std::string event_csv_header(std::string_view kind);

/// One row of the event's kind's table, without a line break.
std::string event_to_csv_row(const DecodedEvent& decoded);

/// The table of one kind as an analysis writes it (reps.csv): the same
/// columns without the envelope and provenance (kind, t_s, then the body).
/// Header without a line break; throws as event_csv_columns.
std::string event_table_header(std::string_view kind);

/// One row of event_table_header(event_kind(event))'s table, without a line break.
std::string event_table_row(const Event& event);

}  // namespace stridefuse
