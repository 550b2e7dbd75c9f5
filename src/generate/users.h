#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "generate/catalog.h"
#include "generate/random.h"

namespace cca::generate {

// One engineer: the directory row (employees.csv) and what their Claude Code sends in every
// event (one organisation, account, terminal, machine and Claude Code version each).
struct User {
  std::string email;  // first.last@example.com, unique
  std::string full_name;
  std::string_view practice;
  std::string_view level;
  std::string_view location;

  std::string user_id;  // SHA-256 hex of the email, as Claude Code sends it
  std::string account_uuid;
  std::string organization_id;
  std::string_view terminal;
  catalog::OperatingSystem os;
  std::string_view claude_code_version;
  std::string host_name;
  std::string profile;
  std::string serial;
};

// Draws count users. Emails are unique: a name pair already taken is redrawn a few times, and
// past that numbered (jamie.smith2@example.com), which only large directories need.
std::vector<User> make_users(int count, Random& random);

}  // namespace cca::generate
