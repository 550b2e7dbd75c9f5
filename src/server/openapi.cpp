#include "server/openapi.h"

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/metric_set.h"
#include "server/routes.h"

namespace cca::server {
namespace {

constexpr std::string_view kHandWritten = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "ccanalytics",
    "version": "1",
    "description": "Analytics over Claude Code telemetry. Every analytics endpoint takes the filters; an unknown query parameter or a value that does not parse is a 400. All times are UTC."
  },
  "paths": {
    "/health": {
      "get": {
        "summary": "Liveness and the number of events loaded",
        "responses": {"200": {"description": "Serving", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}
      }
    },
    "/api/v1/summary": {
      "get": {
        "summary": "The metric set over the matching events, with the first and last event time",
        "parameters": [
          {"$ref": "#/components/parameters/metrics"}, {"$ref": "#/components/parameters/compare"}
        ],
        "responses": {
          "200": {"description": "Summary", "content": {"application/json": {"schema": {"allOf": [
            {"$ref": "#/components/schemas/MetricSet"},
            {"type": "object", "properties": {
              "cost_estimated_usd": {"type": "number", "description": "The part of cost_usd computed from tokens by the price table, for api_request events sent without cost_usd"},
              "first_event": {"type": "string", "format": "date-time", "nullable": true},
              "last_event": {"type": "string", "format": "date-time", "nullable": true},
              "previous": {"$ref": "#/components/schemas/MetricSet"},
              "previous_range": {"$ref": "#/components/schemas/PreviousRange"}}}
          ]}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/breakdown": {
      "get": {
        "summary": "One row per value of a dimension among the matching events",
        "parameters": [
          {"name": "by", "in": "query", "required": true, "schema": {"$ref": "#/components/schemas/Dimension"}},
          {"name": "sort", "in": "query", "description": "Metric to sort by, descending; ties by key", "schema": {"$ref": "#/components/schemas/MetricName"}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000}},
          {"$ref": "#/components/parameters/metrics"}, {"$ref": "#/components/parameters/compare"}
        ],
        "responses": {
          "200": {"description": "Rows", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "by": {"$ref": "#/components/schemas/Dimension"},
            "sort": {"$ref": "#/components/schemas/MetricName"},
            "rows": {"type": "array", "items": {"allOf": [{"type": "object", "properties": {"key": {"type": "string"}, "previous": {"$ref": "#/components/schemas/MetricSet"}}}, {"$ref": "#/components/schemas/MetricSet"}]}},
            "previous_only": {"type": "array", "description": "compare=previous: keys of the previous period absent from this one, in the same order", "items": {"type": "object", "properties": {"key": {"type": "string"}, "previous": {"$ref": "#/components/schemas/MetricSet"}}}},
            "previous_range": {"$ref": "#/components/schemas/PreviousRange"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/timeseries": {
      "get": {
        "summary": "The metric set per time bucket, dense over the filter's range (else the data's)",
        "parameters": [
          {"name": "bucket", "in": "query", "schema": {"type": "string", "enum": ["hour", "day", "week"], "default": "day"}},
          {"name": "split", "in": "query", "description": "Also one series per value of this dimension, largest first", "schema": {"$ref": "#/components/schemas/Dimension"}},
          {"name": "split_limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 12}},
          {"$ref": "#/components/parameters/metrics"}, {"$ref": "#/components/parameters/compare"}
        ],
        "responses": {
          "200": {"description": "Points", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "bucket": {"type": "string"},
            "points": {"type": "array", "items": {"$ref": "#/components/schemas/Point"}},
            "split": {"$ref": "#/components/schemas/Dimension"},
            "series": {"type": "array", "items": {"type": "object", "properties": {
              "key": {"type": "string"},
              "points": {"type": "array", "items": {"$ref": "#/components/schemas/Point"}}}}},
            "previous_range": {"$ref": "#/components/schemas/PreviousRange"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/heatmap": {
      "get": {
        "summary": "The metric set per weekday (Monday 0) and hour, UTC: always 168 cells",
        "parameters": [
          {"$ref": "#/components/parameters/metrics"}
        ],
        "responses": {
          "200": {"description": "Cells", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "cells": {"type": "array", "items": {"allOf": [{"type": "object", "properties": {
              "weekday": {"type": "integer", "minimum": 0, "maximum": 6},
              "hour": {"type": "integer", "minimum": 0, "maximum": 23}}}, {"$ref": "#/components/schemas/MetricSet"}]}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/sessions": {
      "get": {
        "summary": "Sessions over their matching events, sorted and paginated",
        "parameters": [
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
          {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
          {"name": "sort", "in": "query", "description": "start, end, duration_s or a metric name", "schema": {"type": "string", "default": "start"}},
          {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["desc", "asc"], "default": "desc"}}
        ],
        "responses": {
          "200": {"description": "A page", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
            "rows": {"type": "array", "items": {"$ref": "#/components/schemas/SessionRow"}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/sessions/{id}": {
      "get": {
        "summary": "One session's row and its matching events in time order",
        "parameters": [
          {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {"description": "The session", "content": {"application/json": {"schema": {"allOf": [
            {"$ref": "#/components/schemas/SessionRow"},
            {"type": "object", "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}]}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/latency": {
      "get": {
        "summary": "Exact percentiles (nearest rank) of duration_ms: api_request per model or tool_result per tool; or of ttft_ms (time to first token) per model",
        "parameters": [
          {"name": "by", "in": "query", "schema": {"type": "string", "enum": ["model", "tool"], "default": "model"}},
          {"name": "measure", "in": "query", "schema": {"type": "string", "enum": ["duration_ms", "ttft_ms"], "default": "duration_ms"}}
        ],
        "responses": {
          "200": {"description": "Rows by count", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "by": {"type": "string"}, "measure": {"type": "string"},
            "rows": {"type": "array", "items": {"type": "object", "properties": {
              "key": {"type": "string"}, "count": {"type": "integer"}, "mean": {"type": "number"},
              "p50": {"type": "number"}, "p90": {"type": "number"}, "p95": {"type": "number"},
              "p99": {"type": "number"}, "max": {"type": "number"}}}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/latency/timeseries": {
      "get": {
        "summary": "Exact percentiles (nearest rank) per time bucket of duration_ms over every api_request or every tool_result, or of ttft_ms over every api_request; dense over the filter's range (else the data's)",
        "parameters": [
          {"name": "of", "in": "query", "schema": {"type": "string", "enum": ["api_request", "tool_result"], "default": "api_request"}},
          {"name": "bucket", "in": "query", "schema": {"type": "string", "enum": ["hour", "day", "week"], "default": "day"}},
          {"name": "measure", "in": "query", "schema": {"type": "string", "enum": ["duration_ms", "ttft_ms"], "default": "duration_ms"}}
        ],
        "responses": {
          "200": {"description": "Points", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "of": {"type": "string"}, "bucket": {"type": "string"}, "measure": {"type": "string"},
            "points": {"type": "array", "items": {"type": "object", "description": "Figures are null in a bucket without events", "properties": {
              "t": {"type": "string", "format": "date-time"}, "count": {"type": "integer"},
              "mean": {"type": "number", "nullable": true}, "p50": {"type": "number", "nullable": true},
              "p90": {"type": "number", "nullable": true}, "p95": {"type": "number", "nullable": true},
              "p99": {"type": "number", "nullable": true}, "max": {"type": "number", "nullable": true}}}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/users": {
      "get": {
        "summary": "The user leaderboard, sorted and paginated",
        "parameters": [
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
          {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
          {"name": "sort", "in": "query", "description": "A metric name, email, first_seen, last_seen or active_days", "schema": {"type": "string", "default": "cost_usd"}},
          {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["desc", "asc"], "default": "desc"}}
        ],
        "responses": {
          "200": {"description": "A page", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
            "rows": {"type": "array", "items": {"$ref": "#/components/schemas/UserRow"}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/users/{email}": {
      "get": {
        "summary": "One user's row and activity calendar (days with matching events)",
        "parameters": [
          {"name": "email", "in": "path", "required": true, "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {"description": "The user", "content": {"application/json": {"schema": {"allOf": [
            {"$ref": "#/components/schemas/UserRow"},
            {"type": "object", "properties": {"calendar": {"type": "array", "items": {"type": "object", "properties": {
              "date": {"type": "string", "format": "date"}, "events": {"type": "integer"},
              "sessions": {"type": "integer"}, "cost_usd": {"type": "number"}}}}}}]}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/distribution": {
      "get": {
        "summary": "Spread of a per-session quantity over the sessions with matching events",
        "parameters": [
          {"name": "of", "in": "query", "schema": {"type": "string", "enum": ["session_duration_s", "session_prompts", "session_cost_usd"], "default": "session_duration_s"}},
          {"name": "bins", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}}
        ],
        "responses": {
          "200": {"description": "Statistics and equal-width bins from the smallest value to the largest", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "of": {"type": "string"}, "count": {"type": "integer"},
            "mean": {"type": "number", "nullable": true}, "min": {"type": "number", "nullable": true},
            "p50": {"type": "number", "nullable": true}, "p90": {"type": "number", "nullable": true},
            "p99": {"type": "number", "nullable": true}, "max": {"type": "number", "nullable": true},
            "bins": {"type": "array", "items": {"type": "object", "properties": {
              "lo": {"type": "number"}, "hi": {"type": "number"}, "count": {"type": "integer"}}}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/facets": {
      "get": {
        "summary": "The values each filter can take given the other filters, sorted",
        "responses": {
          "200": {"description": "Values per filter", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "practice": {"type": "array", "items": {"type": "string"}}, "level": {"type": "array", "items": {"type": "string"}},
            "location": {"type": "array", "items": {"type": "string"}}, "model": {"type": "array", "items": {"type": "string"}},
            "email": {"type": "array", "items": {"type": "string"}}, "terminal": {"type": "array", "items": {"type": "string"}},
            "tool": {"type": "array", "items": {"type": "string"}}, "status_code": {"type": "array", "items": {"type": "string"}},
            "error": {"type": "array", "items": {"type": "string"}},
            "counts": {"type": "object", "description": "Per filter (attr.<key> included): each value's matching events under the other filters", "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}}},
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "description": "attr.<key>: the values of each custom attribute"}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/quality": {
      "get": {
        "summary": "The ingest log, rejections by reason and a sample of quarantined records",
        "parameters": [
          {"name": "sample", "in": "query", "description": "Quarantined records to include, newest first", "schema": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 20}}
        ],
        "responses": {
          "200": {"description": "Data quality", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Quality"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/employees": {
      "get": {
        "summary": "The employee directory",
        "responses": {
          "200": {"description": "Rows by email", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "total": {"type": "integer"},
            "rows": {"type": "array", "items": {"$ref": "#/components/schemas/Employee"}}}}}}}
        }
      },
      "put": {
        "summary": "Load an employees CSV (email,full_name,practice,level,location[,user_id]); rows replace rows of the same email",
        "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
        "responses": {
          "200": {"description": "Rows loaded", "content": {"application/json": {"schema": {"type": "object", "properties": {"employees": {"type": "integer"}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "413": {"$ref": "#/components/responses/TooLarge"}
        }
      }
    },
    "/api/v1/ingest": {
      "post": {
        "summary": "Ingest CloudWatch-batch JSONL (plain, or with Content-Encoding: gzip)",
        "requestBody": {"required": true, "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
        "responses": {
          "200": {"description": "The ingest report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IngestReport"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "413": {"$ref": "#/components/responses/TooLarge"}
        }
      }
    },
    "/v1/logs": {
      "post": {
        "summary": "OTLP/HTTP logs (ExportLogsServiceRequest), JSON or protobuf, plain or with Content-Encoding: gzip; answered in the request's encoding",
        "requestBody": {"required": true, "content": {
          "application/json": {"schema": {"type": "object", "properties": {"resourceLogs": {"type": "array", "items": {"type": "object"}}}}},
          "application/x-protobuf": {"schema": {"type": "string", "format": "binary", "description": "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest"}}}},
        "responses": {
          "200": {"description": "Accepted: {} or a partialSuccess naming the rejected records (protobuf: an ExportLogsServiceResponse)", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
              "partialSuccess": {"type": "object", "properties": {"rejectedLogRecords": {"type": "integer"}, "errorMessage": {"type": "string"}}}}}},
            "application/x-protobuf": {"schema": {"type": "string", "format": "binary", "description": "opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse"}}}},
          "400": {"description": "Not a valid request; nothing stored. A protobuf request gets a google.rpc.Status (code 3)", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
            "application/x-protobuf": {"schema": {"type": "string", "format": "binary", "description": "google.rpc.Status"}}}},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"description": "A Content-Type other than application/json or application/x-protobuf", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "503": {"description": "--otlp-max-in-flight exports already running: retry after the Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
            "application/x-protobuf": {"schema": {"type": "string", "format": "binary", "description": "google.rpc.Status (code 14)"}}}}
        }
      }
    },
    "/v1/metrics": {
      "post": {
        "summary": "OTLP/HTTP metrics (ExportMetricsServiceRequest), JSON or protobuf, plain or with Content-Encoding: gzip; answered in the request's encoding. Each data point counted once; cumulative values turned into deltas",
        "requestBody": {"required": true, "content": {
          "application/json": {"schema": {"type": "object", "properties": {"resourceMetrics": {"type": "array", "items": {"type": "object"}}}}},
          "application/x-protobuf": {"schema": {"type": "string", "format": "binary", "description": "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest"}}}},
        "responses": {
          "200": {"description": "Accepted: {} or a partialSuccess naming the rejected data points (protobuf: an ExportMetricsServiceResponse)", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
              "partialSuccess": {"type": "object", "properties": {"rejectedDataPoints": {"type": "integer"}, "errorMessage": {"type": "string"}}}}}},
            "application/x-protobuf": {"schema": {"type": "string", "format": "binary", "description": "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse"}}}},
          "400": {"description": "Not a valid request; nothing stored. A protobuf request gets a google.rpc.Status (code 3)", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
            "application/x-protobuf": {"schema": {"type": "string", "format": "binary", "description": "google.rpc.Status"}}}},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "415": {"description": "A Content-Type other than application/json or application/x-protobuf", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "503": {"description": "--otlp-max-in-flight exports already running: retry after the Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
            "application/x-protobuf": {"schema": {"type": "string", "format": "binary", "description": "google.rpc.Status (code 14)"}}}}
        }
      }
    },
    "/api/v1/code": {
      "get": {
        "summary": "Code activity from Claude Code's metrics over the matching data points (placed in time by timeUnixNano, the end of their interval)",
        "responses": {
          "200": {"description": "Code activity", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CodeActivity"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/code/breakdown": {
      "get": {
        "summary": "Code activity per value of a dimension, sorted by key; data points without the value are in no row",
        "parameters": [
          {"name": "by", "in": "query", "required": true, "description": "language, model, tool, email, practice, or attr.<key> for any string attribute of the data point or its resource", "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {"description": "Rows", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "by": {"type": "string"},
            "rows": {"type": "array", "items": {"allOf": [{"type": "object", "properties": {"key": {"type": "string"}}}, {"$ref": "#/components/schemas/CodeActivity"}]}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/code/timeseries": {
      "get": {
        "summary": "Code activity per time bucket of the data points' times; dense: every bucket of the range, empty ones with zeros",
        "parameters": [
          {"name": "bucket", "in": "query", "schema": {"type": "string", "enum": ["hour", "day", "week"], "default": "day"}}
        ],
        "responses": {
          "200": {"description": "Points", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "bucket": {"type": "string"},
            "points": {"type": "array", "items": {"allOf": [{"type": "object", "properties": {"t": {"type": "string", "format": "date-time"}}}, {"$ref": "#/components/schemas/CodeActivity"}]}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/code/metrics": {
      "get": {
        "summary": "Every stored OTLP metric, named by the API or not, with its kind, unit, series and data points",
        "responses": {
          "200": {"description": "Metrics by name", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "metrics": {"type": "array", "items": {"type": "object", "properties": {
              "name": {"type": "string"}, "kind": {"type": "string", "enum": ["gauge", "sum", "histogram", "exponential_histogram", "summary"]},
              "unit": {"type": "string"}, "series": {"type": "integer"}, "points": {"type": "integer"}}}}}}}}}
        }
      }
    },
    "/api/v1/stream": {
      "get": {
        "summary": "Server-Sent Events: an update event (id: the data version; data: {data_version, events}) within a second of new data becoming visible, a keep-alive comment at least every 15 s",
        "parameters": [
          {"name": "Last-Event-ID", "in": "header", "description": "The last id the client saw: when it differs from the current data version, an update is sent at once", "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {"description": "The event stream; it stays open", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
          "503": {"description": "As many streams are open as the server allows (--max-streams)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/api/v1/export.csv": {
      "get": {
        "summary": "The rows of a breakdown, the sessions or the users as CSV, header first",
        "parameters": [
          {"name": "view", "in": "query", "required": true, "schema": {"type": "string", "enum": ["breakdown", "sessions", "users"]}},
          {"name": "by", "in": "query", "description": "Dimension of view=breakdown", "schema": {"$ref": "#/components/schemas/Dimension"}},
          {"name": "sort", "in": "query", "schema": {"type": "string"}},
          {"name": "order", "in": "query", "description": "For view=sessions and view=users", "schema": {"type": "string", "enum": ["desc", "asc"]}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
          {"name": "offset", "in": "query", "description": "For view=sessions and view=users", "schema": {"type": "integer", "minimum": 0}}
        ],
        "responses": {
          "200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "summary": "This document",
        "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {"schema": {"type": "object"}}}}}
      }
    },
    "/api/v1/session": {
      "get": {
        "summary": "Whether the server needs a token, and who the caller is",
        "responses": {"200": {"description": "The caller", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}}}
      },
      "post": {
        "summary": "Sign in to the dashboard: a token in, a session cookie (HttpOnly, SameSite=Strict) out",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}}}},
        "responses": {
          "200": {"description": "Signed in; Set-Cookie carries the session", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "409": {"description": "The store holds no tokens: the server is open", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "429": {"$ref": "#/components/responses/RateLimited"}
        }
      },
      "delete": {
        "summary": "Sign out: ends the session and clears its cookie",
        "responses": {"200": {"description": "Signed out", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}}}}
      }
    },
    "/api/v1/audit": {
      "get": {
        "summary": "The audit log, newest first: token creation and revocation, sign-ins and sign-outs, directory uploads",
        "parameters": [
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
          {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}
        ],
        "responses": {
          "200": {"description": "Entries", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "total": {"type": "integer"},
            "rows": {"type": "array", "items": {"type": "object", "properties": {
              "id": {"type": "integer"}, "time": {"type": "string", "format": "date-time"},
              "actor": {"type": "string", "description": "A token's name, cli:<account> for the command line, or anonymous"},
              "action": {"type": "string", "enum": ["token.create", "token.revoke", "session.sign_in", "session.sign_in_failed", "session.sign_out", "employees.upload", "budget.create", "budget.update", "budget.delete"]},
              "target": {"type": "string"}, "client": {"type": "string"}, "detail": {"type": "object"}}}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/forecast": {
      "get": {
        "summary": "A count or sum forecast per day or hour, with 80 % and 95 % intervals and the model's rolling-origin backtest",
        "parameters": [
          {"name": "metric", "in": "query", "description": "A count or a sum of the metric set (default cost_usd)", "schema": {"$ref": "#/components/schemas/MetricName"}},
          {"name": "bucket", "in": "query", "schema": {"type": "string", "enum": ["day", "hour"], "default": "day"}},
          {"name": "horizon", "in": "query", "description": "Buckets ahead: 1 to 366 days or 744 hours (default 14 days, 48 hours)", "schema": {"type": "integer", "minimum": 1, "maximum": 744}}
        ],
        "responses": {
          "200": {"description": "The history and the forecast", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Forecast"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/anomalies": {
      "get": {
        "summary": "Buckets outside the expected band of a robust seasonal decomposition, strongest first, each explained by the values of a dimension",
        "parameters": [
          {"name": "metric", "in": "query", "description": "A count, a sum, or api_error_rate, api_failure_rate, tool_success_rate, tool_accept_rate (default cost_usd)", "schema": {"$ref": "#/components/schemas/MetricName"}},
          {"name": "bucket", "in": "query", "schema": {"type": "string", "enum": ["day", "hour"], "default": "day"}},
          {"name": "by", "in": "query", "description": "The dimension whose values explain each anomaly; by default the one that explains it most", "schema": {"$ref": "#/components/schemas/Dimension"}}
        ],
        "responses": {
          "200": {"description": "The checked series and its anomalies", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Anomalies"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/report": {
      "get": {
        "summary": "The period's digest: totals against the previous period, movers, anomalies, budgets, the forecast to the period's end and reliability, as Markdown, HTML or JSON",
        "parameters": [
          {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["md", "html", "json"], "default": "md"}}
        ],
        "responses": {
          "200": {"description": "The report", "content": {
            "text/markdown": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/budgets": {
      "get": {
        "summary": "Every budget with its period, spend, forecast and the state of each threshold",
        "responses": {"200": {"description": "Budgets", "content": {"application/json": {"schema": {"type": "object", "properties": {"budgets": {"type": "array", "items": {"$ref": "#/components/schemas/Budget"}}}}}}}}
      },
      "post": {
        "summary": "Create a budget",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BudgetRequest"}}}},
        "responses": {
          "201": {"description": "The budget", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Budget"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/api/v1/budgets/{id}": {
      "put": {
        "summary": "Replace a budget; a threshold's alert of the current period stays raised",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BudgetRequest"}}}},
        "responses": {
          "200": {"description": "The budget", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Budget"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "delete": {
        "summary": "Delete a budget; its undelivered alerts are cancelled, its history stays",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "responses": {"204": {"description": "Deleted"}, "404": {"$ref": "#/components/responses/NotFound"}}
      }
    },
    "/api/v1/alerts": {
      "get": {
        "summary": "Budget thresholds crossed, newest first, with the delivery of each webhook",
        "parameters": [
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
          {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}
        ],
        "responses": {
          "200": {"description": "Alerts", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "total": {"type": "integer"},
            "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/BudgetAlert"}}}}}}},
          "400": {"$ref": "#/components/responses/BadRequest"}
        }
      }
    },
    "/metrics": {
      "get": {
        "summary": "Prometheus text format: requests and latency by route, ingested, duplicate and rejected events, store size",
        "responses": {"200": {"description": "Metrics", "content": {"text/plain": {"schema": {"type": "string"}}}}}
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerToken": {"type": "http", "scheme": "bearer", "description": "A token from `ccanalytics token create` (or CCANALYTICS_INGEST_TOKEN, for the ingest endpoints). Needed once the store holds a token; the role decides what it may do"},
      "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "ccanalytics_session", "description": "The dashboard's session, from POST /api/v1/session. Changes made with it need the X-CSRF-Token header"}
    },
    "parameters": {
      "compare": {"name": "compare", "in": "query", "description": "previous: each metric set also carries `previous`, the same question over the period of the same length that ends where from..to begins (needs both from and to)", "schema": {"type": "string", "enum": ["previous"]}},
      "metrics": {"name": "metrics", "in": "query", "description": "Comma-separated metric names: the answer's metric sets carry only these fields (every field when absent)", "schema": {"type": "string"}},
      "from": {"name": "from", "in": "query", "description": "YYYY-MM-DD (that UTC day's start) or an RFC 3339 instant, inclusive", "schema": {"type": "string"}},
      "to": {"name": "to", "in": "query", "description": "YYYY-MM-DD (inclusive: up to the end of that UTC day) or an RFC 3339 instant (exclusive)", "schema": {"type": "string"}},
      "practice": {"name": "practice", "in": "query", "description": "Comma-separated values, any of which matches", "schema": {"type": "string"}},
      "level": {"name": "level", "in": "query", "description": "Comma-separated values, any of which matches", "schema": {"type": "string"}},
      "location": {"name": "location", "in": "query", "description": "Comma-separated values, any of which matches", "schema": {"type": "string"}},
      "model": {"name": "model", "in": "query", "description": "Comma-separated values; events without a model never match", "schema": {"type": "string"}},
      "email": {"name": "email", "in": "query", "description": "Comma-separated user emails (case-insensitive)", "schema": {"type": "string"}},
      "terminal": {"name": "terminal", "in": "query", "description": "Comma-separated terminal.type values", "schema": {"type": "string"}},
      "tool": {"name": "tool", "in": "query", "description": "Comma-separated tool names: only tool_decision and tool_result events of those tools match", "schema": {"type": "string"}},
      "status_code": {"name": "status_code", "in": "query", "description": "Comma-separated status codes as sent (undefined: no response): only api_error events with one of them match", "schema": {"type": "string"}},
      "error": {"name": "error", "in": "query", "description": "Comma-separated error messages, exact: only api_error events with one of them match", "schema": {"type": "string"}},
      "attr": {"name": "attr.{key}", "in": "query", "description": "A custom attribute filter, one parameter per key: attr.team.id=platform,infra matches events whose custom attribute team.id is one of the comma-separated values; events without the attribute never match. GET /api/v1/facets lists the keys and values. A key that is empty, longer than 256 bytes or holds control characters is a 400", "schema": {"type": "string"}}
    },
    "responses": {
      "BadRequest": {"description": "A parameter or body the endpoint refuses", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "Unknown", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unauthorized": {"description": "No valid token or session (once the store holds tokens)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Forbidden": {"description": "The token's role does not allow this, a scoped token asked for a practice outside its scope, or a session's change lacked X-CSRF-Token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "RateLimited": {"description": "Too many wrong tokens from this address: retry after the Retry-After seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "TooLarge": {"description": "Body over the server's --max-body-mb", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Forecast": {"type": "object", "properties": {
        "metric": {"type": "string"}, "bucket": {"type": "string"}, "horizon": {"type": "integer"},
        "method": {"type": "string", "enum": ["seasonal_trend", "seasonal", "trend", "level"]},
        "season": {"type": "integer", "description": "Buckets per season modelled (7 for days; 24 or, with three weeks of hours, 168); 0 for none"},
        "history": {"type": "array", "items": {"type": "object", "properties": {"t": {"type": "string", "format": "date-time"}, "value": {"type": "number"}}}},
        "points": {"type": "array", "items": {"type": "object", "properties": {"t": {"type": "string", "format": "date-time"}, "value": {"type": "number"}, "lo80": {"type": "number"}, "hi80": {"type": "number"}, "lo95": {"type": "number"}, "hi95": {"type": "number"}}}},
        "backtest": {"type": "object", "nullable": true, "properties": {
          "mase": {"type": "number", "nullable": true, "description": "Mean absolute error over that of the seasonal naive forecast on the same origins and horizons"},
          "coverage80": {"type": "number"}, "coverage95": {"type": "number"}, "mae": {"type": "number"}, "naive_mae": {"type": "number"},
          "origins": {"type": "integer"}, "forecasts": {"type": "integer"}, "checked_intervals": {"type": "integer"}}},
        "note": {"type": "string", "description": "What a short history made the forecast leave out"}}},
      "Anomalies": {"type": "object", "properties": {
        "metric": {"type": "string"}, "bucket": {"type": "string"}, "by": {"type": "string", "nullable": true},
        "season": {"type": "integer"}, "threshold": {"type": "number"},
        "series": {"type": "array", "items": {"type": "object", "properties": {"t": {"type": "string", "format": "date-time"}, "value": {"type": "number", "nullable": true}, "expected": {"type": "number"}, "lo": {"type": "number"}, "hi": {"type": "number"}}}},
        "anomalies": {"type": "array", "items": {"type": "object", "properties": {
          "start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"},
          "value": {"type": "number"}, "expected": {"type": "number"}, "lo": {"type": "number"}, "hi": {"type": "number"},
          "score": {"type": "number"}, "direction": {"type": "string", "enum": ["up", "down"]},
          "contributors": {"type": "array", "items": {"type": "object", "properties": {
            "by": {"type": "string"}, "key": {"type": "string"}, "value": {"type": "number"}, "expected": {"type": "number"},
            "share": {"type": "number"}, "usual_share": {"type": "number"}}}}}}},
        "note": {"type": "string"}}},
      "BudgetRequest": {"type": "object", "required": ["name", "amount_usd", "period"], "properties": {
        "name": {"type": "string"}, "amount_usd": {"type": "number", "exclusiveMinimum": true, "minimum": 0},
        "period": {"type": "string", "enum": ["day", "week", "month"]},
        "filters": {"type": "object", "description": "Filter parameters but from and to, each a string (comma-separated values) or an array of strings", "additionalProperties": true},
        "thresholds": {"type": "array", "items": {"type": "object", "properties": {"percent": {"type": "number"}, "basis": {"type": "string", "enum": ["actual", "forecast"]}}}, "description": "Default: 100 % of actual spend"},
        "webhook": {"type": "string", "nullable": true, "description": "An http(s) URL that gets one POST per crossing and period"}}},
      "Budget": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "amount_usd": {"type": "number"}, "period": {"type": "string"},
        "filters": {"type": "object"}, "webhook": {"type": "string", "nullable": true},
        "period_start": {"type": "string", "format": "date-time"}, "period_end": {"type": "string", "format": "date-time"},
        "spend_usd": {"type": "number"}, "forecast_usd": {"type": "number"}, "state": {"type": "string", "enum": ["ok", "alarm"]},
        "thresholds": {"type": "array", "items": {"type": "object", "properties": {"percent": {"type": "number"}, "basis": {"type": "string"}, "state": {"type": "string", "enum": ["ok", "alarm"]}, "fired_at": {"type": "string", "format": "date-time", "nullable": true}}}},
        "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
      "BudgetAlert": {"type": "object", "properties": {
        "id": {"type": "integer"}, "budget_id": {"type": "integer"}, "budget": {"type": "string"}, "percent": {"type": "number"}, "basis": {"type": "string"},
        "period_start": {"type": "string", "format": "date-time"}, "period_end": {"type": "string", "format": "date-time"},
        "spend_usd": {"type": "number"}, "forecast_usd": {"type": "number"}, "amount_usd": {"type": "number"}, "at": {"type": "string", "format": "date-time"},
        "webhook": {"type": "string", "nullable": true}, "status": {"type": "string", "enum": ["pending", "delivered", "no_webhook", "cancelled"]},
        "attempts": {"type": "integer"}, "last_attempt_at": {"type": "string", "nullable": true}, "last_error": {"type": "string", "nullable": true},
        "delivered_at": {"type": "string", "nullable": true}, "next_attempt_at": {"type": "string", "nullable": true}}},
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}}}}},
      "Health": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}, "events": {"type": "integer"}, "version": {"type": "string"}, "data_version": {"type": "integer"}, "store": {"type": "string", "enum": ["embedded", "clickhouse"]}, "refresh_pending": {"type": "boolean", "description": "an answered OTLP export is not visible to queries yet"}}},
      "Session": {"type": "object", "properties": {
        "auth_required": {"type": "boolean", "description": "The store holds tokens, so every endpoint but /health and this one needs one"},
        "signed_in": {"type": "boolean"}, "name": {"type": "string", "nullable": true},
        "role": {"type": "string", "enum": ["viewer", "ingest", "admin"], "nullable": true},
        "practices": {"type": "array", "items": {"type": "string"}, "description": "The practices the caller sees; empty: all"},
        "csrf_token": {"type": "string", "nullable": true, "description": "Send as X-CSRF-Token with changes made through the session"}}},
      "Dimension": {"anyOf": [
        {"type": "string", "enum": ["practice", "level", "location", "model", "tool", "email", "terminal", "event_type", "version", "os", "status_code", "decision_source", "attempt", "error", "query_source"]},
        {"type": "string", "pattern": "^attr\\..+", "description": "A custom attribute, attr.<key>"}]},
      "Point": {"allOf": [{"type": "object", "properties": {"t": {"type": "string", "format": "date-time"}, "previous": {"description": "compare=previous: the bucket one period earlier", "$ref": "#/components/schemas/MetricSet"}}}, {"$ref": "#/components/schemas/MetricSet"}]},
      "PreviousRange": {"type": "object", "description": "compare=previous: the period compared with, [from, to)", "properties": {"from": {"type": "string", "format": "date-time"}, "to": {"type": "string", "format": "date-time"}}},
      "SessionRow": {"allOf": [{"type": "object", "properties": {
        "session_id": {"type": "string"}, "email": {"type": "string"}, "practice": {"type": "string"},
        "level": {"type": "string"}, "location": {"type": "string"}, "terminal": {"type": "string", "nullable": true},
        "start": {"type": "string", "format": "date-time", "nullable": true}, "end": {"type": "string", "format": "date-time", "nullable": true},
        "duration_s": {"type": "number", "nullable": true}}}, {"$ref": "#/components/schemas/MetricSet"}]},
      "UserRow": {"allOf": [{"type": "object", "properties": {
        "email": {"type": "string"}, "full_name": {"type": "string", "nullable": true},
        "directory_email": {"type": "string", "description": "The directory's email of a user known by user.id, mapped by the employees CSV's user_id column"},
        "practice": {"type": "string"}, "level": {"type": "string"}, "location": {"type": "string"},
        "first_seen": {"type": "string", "format": "date-time", "nullable": true}, "last_seen": {"type": "string", "format": "date-time", "nullable": true},
        "active_days": {"type": "integer"}}}, {"$ref": "#/components/schemas/MetricSet"}]},
      "Event": {"type": "object", "description": "Attributes the event lacks are left out", "properties": {
        "t": {"type": "string", "format": "date-time"}, "event": {"type": "string"}, "model": {"type": "string"},
        "tool": {"type": "string"}, "decision": {"type": "string"}, "decision_source": {"type": "string"},
        "success": {"type": "boolean"}, "status_code": {"type": "string"}, "error": {"type": "string"},
        "attempt": {"type": "number"}, "input_tokens": {"type": "number"}, "output_tokens": {"type": "number"},
        "cache_read_tokens": {"type": "number"}, "cache_creation_tokens": {"type": "number"},
        "cost_usd": {"type": "number"}, "duration_ms": {"type": "number"}, "prompt_length": {"type": "number"},
        "tool_result_size_bytes": {"type": "number"}}},
      "CodeActivity": {"type": "object", "properties": {
        "lines_added": {"type": "number"}, "lines_removed": {"type": "number"}, "commits": {"type": "number"},
        "pull_requests": {"type": "number"}, "active_time_s": {"type": "number"}, "sessions_started": {"type": "number"},
        "edit_decisions": {"type": "number"}, "edit_accept_rate": {"type": "number", "nullable": true}}},
      "Employee": {"type": "object", "properties": {
        "email": {"type": "string"}, "full_name": {"type": "string"}, "practice": {"type": "string"},
        "level": {"type": "string"}, "location": {"type": "string"},
        "user_id": {"type": "string", "nullable": true, "description": "The user.id this person's telemetry carries, when the CSV gives it"}}},
      "IngestReport": {"type": "object", "properties": {
        "accepted": {"type": "integer"}, "duplicates": {"type": "integer"},
        "rejected_events": {"type": "integer"}, "rejected_lines": {"type": "integer"}}},
      "Quality": {"type": "object", "properties": {
        "totals": {"type": "object", "properties": {"accepted": {"type": "integer"}, "duplicates": {"type": "integer"}, "rejected_events": {"type": "integer"}, "rejected_lines": {"type": "integer"}}},
        "ingests": {"type": "array", "items": {"type": "object"}},
        "rejected_by_reason": {"type": "array", "items": {"type": "object", "properties": {"kind": {"type": "string"}, "reason": {"type": "string"}, "count": {"type": "integer"}}}},
        "quarantine_sample": {"type": "array", "items": {"type": "object"}}}}
    }
  }
})json";

// The metric set's fields and the names `sort=` and `metrics=` take, from the engine's list.
void add_metric_schemas(nlohmann::json& schemas) {
  nlohmann::json names = nlohmann::json::array();
  nlohmann::json properties = nlohmann::json::object();
  for (const engine::Metric metric : engine::all_metrics()) {
    const std::string name(engine::metric_name(metric));
    names.push_back(name);
    if (engine::metric_is_count(metric))
      properties[name] = {{"type", "integer"}};
    else if (engine::metric_is_ratio(metric))
      properties[name] = {{"type", "number"}, {"nullable", true}};
    else
      properties[name] = {{"type", "number"}};
  }
  schemas["MetricName"] = {{"type", "string"}, {"enum", names}};
  schemas["MetricSet"] = {{"type", "object"}, {"properties", properties}};
}

// The filter parameters of the operations that take them, from the route table.
void add_filter_parameters(nlohmann::json& operation) {
  nlohmann::json& parameters = operation["parameters"];
  if (parameters.is_null()) parameters = nlohmann::json::array();
  for (const std::string_view name : filter_params()) {
    const std::string component = name == kAttributeParam ? "attr" : std::string(name);
    parameters.push_back({{"$ref", "#/components/parameters/" + component}});
  }
}

// Who may call each operation and which filters it takes come from the route table, so that they
// are stated once.
std::string document_from_routes() {
  nlohmann::json document = nlohmann::json::parse(kHandWritten);
  add_metric_schemas(document["components"]["schemas"]);
  const nlohmann::json credentials = nlohmann::json::array(
      {{{"bearerToken", nlohmann::json::array()}}, {{"sessionCookie", nlohmann::json::array()}}});
  for (const RouteSpec& route : route_specs()) {
    std::string method(route.method);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    nlohmann::json& operation = document["paths"][std::string(route.path)][method];
    if (route.takes_filters) add_filter_parameters(operation);
    if (route.access == Access::kPublic) {
      operation["security"] = nlohmann::json::array();
      continue;
    }
    // Open ({}) while the store holds no tokens, but for the ingest endpoints under
    // CCANALYTICS_INGEST_TOKEN.
    operation["security"] = nlohmann::json::array({nlohmann::json::object()});
    for (const auto& credential : credentials) operation["security"].push_back(credential);
    nlohmann::json& responses = operation["responses"];
    responses["401"] = {{"$ref", "#/components/responses/Unauthorized"}};
    responses["403"] = {{"$ref", "#/components/responses/Forbidden"}};
    responses["429"] = {{"$ref", "#/components/responses/RateLimited"}};
    const char* who = "";
    switch (route.access) {
      case Access::kRead:
        who = "Viewers and admins; a token scoped to practices gets answers over those only.";
        break;
      case Access::kReadAll:
        who = "Viewers and admins whose token sees every practice.";
        break;
      case Access::kIngest:
        who = "Ingest tokens and admins.";
        break;
      case Access::kAdmin:
        who = "Admins.";
        break;
      case Access::kMetrics:
        who = "Viewers and admins whose token sees every practice; anyone with --metrics-public.";
        break;
      case Access::kPublic:
        break;
    }
    operation["x-access"] = who;
  }
  return document.dump();
}

}  // namespace

std::string_view openapi_document() {
  static const std::string document = document_from_routes();
  return document;
}

}  // namespace cca::server
