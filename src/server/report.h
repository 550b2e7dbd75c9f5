#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/analytics.h"
#include "engine/filter.h"
#include "server/analytics_endpoints.h"

namespace cca::server {

enum class ReportFormat { kMarkdown, kHtml, kJson };
std::optional<ReportFormat> parse_report_format(std::string_view name);

struct ReportRequest {
  engine::Filter filter;  // the period is its from..to; the data's days where it leaves them open
  std::string filter_query;  // the filters but the period, as a query string, for the sources
  // {"budgets": [...]} as GET /api/v1/budgets answers, or empty when the asker may not see them.
  std::string budgets_json;
  int64_t now_ms = 0;
};

// The filters of a request but the period and the format, as a query string (percent-encoded).
std::string report_filter_query(const std::multimap<std::string, std::string>& params);

// The period's digest (docs/api.md, "The report"): totals against the previous period of the same
// length, the top movers by practice, model and user, the anomalies that began in it with their
// explanations, budget status, the spend forecast (to the period's end while it runs, for the next
// period of the same length once it is over) and reliability, written out as sentences. Every
// figure names the API question it answers ("sources"). Throws ApiError, engine::QueryError.
Answer build_report(const engine::Analytics& analytics, const ReportRequest& request,
                    ReportFormat format);

}  // namespace cca::server
