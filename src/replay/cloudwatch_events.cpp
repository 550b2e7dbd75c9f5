#include "replay/cloudwatch_events.h"

#include <simdjson.h>

#include <map>
#include <stdexcept>
#include <string_view>

#include "ingest/input_reader.h"

namespace cca::replay {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

SourceAttribute attribute_of(std::string_view key, element value) {
  SourceAttribute attribute{std::string(key), {}, SourceAttribute::Kind::kString};
  switch (value.type()) {
    case element_type::STRING:
      attribute.text = std::string(value.get_string().value());
      break;
    case element_type::INT64:
    case element_type::UINT64:
      attribute.kind = SourceAttribute::Kind::kInt;
      attribute.text = simdjson::minify(value);
      break;
    case element_type::DOUBLE:
      attribute.kind = SourceAttribute::Kind::kDouble;
      attribute.text = simdjson::minify(value);
      break;
    case element_type::BOOL:
      attribute.kind = SourceAttribute::Kind::kBool;
      attribute.text = value.get_bool().value() ? "true" : "false";
      break;
    default:  // null, arrays and objects travel as their JSON text
      attribute.text = simdjson::minify(value);
  }
  return attribute;
}

std::vector<SourceAttribute> attributes_of(element value) {
  std::vector<SourceAttribute> attributes;
  object fields;
  if (value.get_object().get(fields)) return attributes;
  for (auto [key, field] : fields) attributes.push_back(attribute_of(key, field));
  return attributes;
}

std::string string_field(object fields, std::string_view key) {
  std::string_view text;
  if (fields[key].get_string().get(text)) return {};
  return std::string(text);
}

class LineReader {
 public:
  explicit LineReader(const std::function<void(ReplayEvent&&)>& on_event) : on_event_(on_event) {}

  void read_line(std::string_view line, uint64_t number) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
    element batch;
    if (batch_parser_.parse(line.data(), line.size()).get(batch))
      throw std::runtime_error("line " + std::to_string(number) + ": not JSON");
    simdjson::dom::array events;
    if (batch["logEvents"].get_array().get(events))
      throw std::runtime_error("line " + std::to_string(number) + ": no logEvents array");
    for (element log_event : events) {
      int64_t timestamp = 0;
      std::string_view message_text;
      if (log_event["timestamp"].get_int64().get(timestamp) ||
          log_event["message"].get_string().get(message_text))
        throw std::runtime_error("line " + std::to_string(number) +
                                 ": a log event without timestamp or message");
      element message;
      if (message_parser_.parse(std::string(message_text)).get(message) || !message.is_object())
        throw std::runtime_error("line " + std::to_string(number) + ": a message that is not JSON");
      on_event_(event_of(timestamp, message.get_object().value()));
    }
  }

 private:
  ReplayEvent event_of(int64_t timestamp, object message) {
    ReplayEvent event;
    event.time_ms = timestamp;
    event.body = string_field(message, "body");
    element attributes;
    if (!message["attributes"].get(attributes)) event.attributes = attributes_of(attributes);
    for (const SourceAttribute& attribute : event.attributes)
      if (attribute.key == "session.id") event.session = attribute.text;
    element scope;
    if (!message["scope"].get(scope) && scope.is_object()) {
      event.scope_name = string_field(scope.get_object().value(), "name");
      event.scope_version = string_field(scope.get_object().value(), "version");
    }
    element resource;
    if (!message["resource"].get(resource)) event.resource = shared_resource(resource);
    return event;
  }

  // Most events of a file share a few resources: one copy each.
  std::shared_ptr<const SharedAttributes> shared_resource(element resource) {
    std::string identity = simdjson::minify(resource);
    auto found = resources_.find(identity);
    if (found != resources_.end()) return found->second;
    auto shared = std::make_shared<SharedAttributes>();
    shared->identity = identity;
    shared->attributes = attributes_of(resource);
    resources_.emplace(std::move(identity), shared);
    return shared;
  }

  const std::function<void(ReplayEvent&&)>& on_event_;
  simdjson::dom::parser batch_parser_;
  simdjson::dom::parser message_parser_;
  std::map<std::string, std::shared_ptr<const SharedAttributes>, std::less<>> resources_;
};

}  // namespace

void read_cloudwatch_events(const std::string& path,
                            const std::function<void(ReplayEvent&&)>& on_event) {
  const auto source = ingest::open_file_source(path);
  ingest::ChunkReader reader(*source, size_t{4} << 20);
  LineReader lines(on_event);
  ingest::Chunk chunk;
  while (reader.next(chunk)) {
    std::string_view rest(chunk.buffer.data(), chunk.size);
    uint64_t number = chunk.first_line;
    while (!rest.empty()) {
      const size_t end = rest.find('\n');
      lines.read_line(rest.substr(0, end), number++);
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }
}

}  // namespace cca::replay
