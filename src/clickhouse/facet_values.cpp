#include "clickhouse/facet_values.h"

#include <vector>

#include "clickhouse/sql_text.h"

namespace cca::clickhouse {

std::string facet_values_view(std::string_view facet) {
  return std::string(kFacetValues) + "_" + std::string(facet) + "_view";
}

std::string facet_values_select(const std::string& events) {
  return "SELECT " + quote(kAttributeFacet) +
         " AS facet, attribute_key_ AS key, attribute_value_ AS value, day, user, practice_hint, "
         "count() AS events FROM " +
         events +
         " ARRAY JOIN attr_keys AS attribute_key_, attr_values AS attribute_value_ WHERE "
         "attribute_key_ != '' AND attribute_value_ != '' GROUP BY facet, key, value, day, user, "
         "practice_hint";
}

std::optional<std::string> facet_values_conditions(const People& people,
                                                   const engine::Filter& filter) {
  if (!filter.model.empty() || !filter.terminal.empty() || !filter.tool.empty() ||
      !filter.status_code.empty() || !filter.error.empty() || !filter.attributes.empty())
    return std::nullopt;
  const std::optional<std::vector<std::string>> conditions = whole_day_conditions(people, filter);
  if (!conditions) return std::nullopt;
  return all_of(*conditions);
}

}  // namespace cca::clickhouse
