#include "engine/dimension.h"

namespace cca::engine {
namespace {

constexpr Dimension kAllDimensions[] = {
    Dimension::kPractice, Dimension::kLevel, Dimension::kLocation,   Dimension::kModel,
    Dimension::kTool,     Dimension::kEmail, Dimension::kTerminal,   Dimension::kEventType,
    Dimension::kVersion,  Dimension::kOs,    Dimension::kStatusCode, Dimension::kDecisionSource,
    Dimension::kAttempt,  Dimension::kError, Dimension::kQuerySource,
};
constexpr std::string_view kNames[] = {"practice", "level", "location",    "model",
                                       "tool",     "email", "terminal",    "event_type",
                                       "version",  "os",    "status_code", "decision_source",
                                       "attempt",  "error", "query_source"};
static_assert(std::size(kNames) == std::size(kAllDimensions));

}  // namespace

std::span<const Dimension> all_dimensions() {
  return kAllDimensions;
}

std::string_view dimension_name(Dimension dimension) {
  if (dimension.kind == Dimension::kAttribute) return dimension.name;
  return kNames[static_cast<size_t>(dimension.kind)];
}

bool is_attribute_key(std::string_view text) {
  if (text.empty() || text.size() > 256) return false;
  for (const char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

std::optional<Dimension> parse_dimension(std::string_view name) {
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (kNames[i] == name) return kAllDimensions[i];
  if (name.starts_with(Dimension::kAttributePrefix) &&
      is_attribute_key(name.substr(Dimension::kAttributePrefix.size())))
    return Dimension::attribute(name);
  return std::nullopt;
}

std::vector<uint32_t> attribute_value_table(const Snapshot& snapshot, Dimension dimension) {
  const AttributeSets& sets = snapshot.dict().attributes;
  const auto key = sets.keys.find(dimension.attribute_key());
  return sets.values_of(key ? *key : Dictionary::kAbsent);
}

Needs dimension_needs(Dimension dimension) {
  switch (dimension.kind) {
    case Dimension::kModel:
      return Needs::kModel;
    case Dimension::kTool:
      return Needs::kTool;
    case Dimension::kEventType:
    case Dimension::kStatusCode:
    case Dimension::kDecisionSource:
    case Dimension::kAttempt:
    case Dimension::kError:
    case Dimension::kQuerySource:
      return Needs::kEventDetail;
    default:
      return Needs::kNothing;
  }
}

const Dictionary& dimension_dictionary(const Snapshot& snapshot, Dimension dimension) {
  const Dictionaries& d = snapshot.dict();
  switch (dimension.kind) {
    case Dimension::kPractice:
      return d.practice;
    case Dimension::kLevel:
      return d.level;
    case Dimension::kLocation:
      return d.location;
    case Dimension::kModel:
      return d.model;
    case Dimension::kTool:
      return d.tool;
    case Dimension::kEmail:
      return d.user;
    case Dimension::kTerminal:
      return d.terminal;
    case Dimension::kEventType:
      return d.event_name;
    case Dimension::kVersion:
      return d.version;
    case Dimension::kOs:
      return d.os;
    case Dimension::kStatusCode:
      return d.status_code;
    case Dimension::kDecisionSource:
      return d.decision_source;
    case Dimension::kAttempt:
      return d.attempt;
    case Dimension::kError:
      return d.error;
    case Dimension::kQuerySource:
      return d.query_source;
    case Dimension::kAttribute:
      return d.attributes.values;
  }
  return d.event_name;
}

}  // namespace cca::engine
