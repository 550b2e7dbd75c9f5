#pragma once

#include <array>
#include <string_view>

namespace cca::ingest {

// Attributes that carry what a person typed or read: the prompt (Claude Code sends it twice,
// as `prompt` and `prompt_text`, under OTEL_LOG_USER_PROMPTS), the model's answer
// (`assistant_response.response`), and tool inputs, which hold whole file contents and shell
// commands (`tool_input`, `tool_parameters`, under OTEL_LOG_TOOL_CONTENT / OTEL_LOG_TOOL_DETAILS).
// They are dropped on arrival from every source and removed from quarantined raw text; their
// sizes arrive as attributes of their own (`prompt_length`, `response_length`,
// `tool_input_size_bytes`) and are kept.
inline constexpr std::array<std::string_view, 5> kPrivateAttributes = {
    "prompt", "prompt_text", "response", "tool_input", "tool_parameters"};

inline bool is_private_attribute(std::string_view key) {
  for (std::string_view p : kPrivateAttributes)
    if (p == key) return true;
  return false;
}

}  // namespace cca::ingest
