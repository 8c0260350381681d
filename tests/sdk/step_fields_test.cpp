// The step table (stridefuse/core/step_fields.hpp) agrees field for field
// with events.capnp's Step (read from the schema file itself, as subscribers
// do) and with its documentation in EVENTS.md. The codec finds each row's
// field by its camelCase name and encodes in table order, so a row without its
// field, a Step field without its row, a type that does not fit the row's
// kind, or another order would change the wire.

#include <gtest/gtest.h>

#include <capnp/schema-parser.h>
#include <kj/filesystem.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "stridefuse/core/step_fields.hpp"

namespace stridefuse {
namespace {

std::string camel_case(std::string_view snake) {
  std::string out;
  bool upper = false;
  for (const char c : snake) {
    if (c == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    }
  }
  return out;
}

// The type a row of each kind must have in the schema.
std::string expected_type(StepFieldKind kind) {
  switch (kind) {
    case StepFieldKind::side: return "enum Side";
    case StepFieldKind::index: return "UInt32";
    case StepFieldKind::time: return "Float64";
    case StepFieldKind::metric: return "struct Metric";
    case StepFieldKind::category: return "enum";  // which enum: its enumerants are checked by name
  }
  return "?";
}

std::string type_of(capnp::StructSchema::Field field) {
  const auto type = field.getType();
  switch (type.which()) {
    case capnp::schema::Type::UINT32: return "UInt32";
    case capnp::schema::Type::FLOAT64: return "Float64";
    case capnp::schema::Type::ENUM: return "enum " + std::string(type.asEnum().getUnqualifiedName().cStr());
    case capnp::schema::Type::STRUCT: return "struct " + std::string(type.asStruct().getUnqualifiedName().cStr());
    default: return "other (" + std::to_string(static_cast<unsigned>(type.which())) + ")";
  }
}

// events.capnp's Step, parsed from the schema file once; /capnp/c++.capnp (its
// import) from Cap'n Proto's include directory. The parser must outlive the
// schema it gives, so they live for the whole test program.
capnp::StructSchema parsed_step() {
  struct Parsed {
    kj::Own<kj::Filesystem> filesystem = kj::newDiskFilesystem();
    kj::Own<const kj::ReadableDirectory> schema_dir = filesystem->getRoot().openSubdir(
        filesystem->getCurrentPath().eval(STRIDEFUSE_SOURCE_DIR "/sdk/runtime/schema"));
    kj::Own<const kj::ReadableDirectory> capnp_include =
        filesystem->getRoot().openSubdir(filesystem->getCurrentPath().eval(STRIDEFUSE_CAPNP_INCLUDE_DIR));
    const kj::ReadableDirectory* imports[1] = {capnp_include.get()};
    capnp::SchemaParser parser;
    capnp::StructSchema step =
        parser.parseFromDirectory(*schema_dir, kj::Path::parse("events.capnp"), imports).getNested("Step").asStruct();
  };
  static const auto* parsed = new Parsed;  // never destroyed: kj's destructors may throw
  return parsed->step;
}

TEST(StepFieldsSchema, EveryRowIsTheStepFieldOfItsOrdinalWithATypeThatFitsItsKind) {
  const auto fields = parsed_step().getFields();
  ASSERT_EQ(fields.size(), std::size(step_fields)) << "events.capnp's Step and the step table differ in length";
  for (unsigned i = 0; i < fields.size(); ++i) {
    const auto field = fields[i];
    const StepField& row = step_fields[i];
    EXPECT_EQ(std::string(field.getProto().getName().cStr()), camel_case(row.name)) << "row " << i;
    ASSERT_TRUE(field.getProto().getOrdinal().isExplicit()) << row.name;
    EXPECT_EQ(field.getProto().getOrdinal().getExplicit(), i) << row.name;
    EXPECT_EQ(type_of(field).substr(0, expected_type(row.kind).size()), expected_type(row.kind)) << row.name;
    if (row.kind != StepFieldKind::category || field.getType().which() != capnp::schema::Type::ENUM) continue;
    // The schema's enumerants are the category's values, in ordinal order, by name.
    const auto enumerants = field.getType().asEnum().getEnumerants();
    ASSERT_EQ(static_cast<int>(enumerants.size()), row.category->count) << row.name;
    for (unsigned k = 0; k < enumerants.size(); ++k)
      EXPECT_EQ(std::string(enumerants[k].getProto().getName().cStr()), camel_case(row.category->name(static_cast<int>(k))))
          << row.name << " value " << k;
  }
}

// The cells of EVENTS.md's table of the step, row by row, without the backticks.
std::vector<std::vector<std::string>> documented_step_rows() {
  std::ifstream in(STRIDEFUSE_SOURCE_DIR "/sdk/runtime/schema/EVENTS.md");
  std::vector<std::vector<std::string>> rows;
  std::string line;
  bool in_step = false;
  while (std::getline(in, line)) {
    if (line.rfind("### ", 0) == 0) in_step = line.rfind("### `step`", 0) == 0;
    if (!in_step || line.size() < 3 || line[0] != '|' || !std::isdigit(static_cast<unsigned char>(line[2]))) continue;
    std::vector<std::string> cells;
    std::stringstream cut(line.substr(1));
    for (std::string cell; std::getline(cut, cell, '|');) {
      std::string text;
      for (const char c : cell)
        if (c != '`') text += c;
      const auto first = text.find_first_not_of(' '), last = text.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : text.substr(first, last - first + 1));
    }
    rows.push_back(cells);
  }
  return rows;
}

TEST(StepFieldsDocs, EventsMdDocumentsEveryRowWithItsUnitAndMeaning) {
  const auto rows = documented_step_rows();
  ASSERT_EQ(rows.size(), std::size(step_fields)) << "EVENTS.md's table of the step and the step table differ";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const StepField& f = step_fields[i];
    ASSERT_EQ(rows[i].size(), 6u) << "EVENTS.md step row " << i;
    EXPECT_EQ(rows[i][0], std::to_string(i)) << f.name;
    EXPECT_EQ(rows[i][1], camel_case(f.name)) << f.name;
    EXPECT_EQ(rows[i][3], f.unit) << f.name;
    EXPECT_EQ(rows[i][4], f.name);
    EXPECT_EQ(rows[i][5], f.meaning) << f.name;
  }
}

}  // namespace
}  // namespace stridefuse
