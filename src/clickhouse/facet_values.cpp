#include "clickhouse/facet_values.h"

#include <string_view>
#include <vector>

#include "clickhouse/sql_text.h"

namespace cca::clickhouse {

std::string facet_values_view(size_t facet) {
  return std::string(kFacetValues) + "_" + kFacetValueFacets[facet] + "_view";
}

std::string facet_values_select(size_t facet, const std::string& events) {
  const std::string cell = "day, user, practice_hint, count() AS events FROM " + events;
  const std::string grouped = " GROUP BY facet, key, value, day, user, practice_hint";
  const std::string name = quote(kFacetValueFacets[facet]) + " AS facet, ";
  if (std::string_view(kFacetValueFacets[facet]) == kAttributeFacet)
    return "SELECT " + name + "attribute_key_ AS key, attribute_value_ AS value, " + cell +
           " ARRAY JOIN attr_keys AS attribute_key_, attr_values AS attribute_value_ WHERE "
           "attribute_key_ != '' AND attribute_value_ != ''" +
           grouped;
  const std::string column = kFacetValueFacets[facet];
  return "SELECT " + name + "'' AS key, " + column + " AS value, " + cell + " WHERE " + column +
         " != ''" + grouped;
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
