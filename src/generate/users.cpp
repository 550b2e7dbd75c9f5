#include "generate/users.h"

#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "generate/sha256.h"
#include "generate/uuid.h"

namespace cca::generate {
namespace {

// Redraws before falling back to a numbered email; with 580 name pairs this keeps emails
// unnumbered for any directory of a few hundred people.
constexpr int kEmailDraws = 50;

template <typename T, size_t N>
const T& pick_uniform(const std::array<T, N>& items, Random& random) {
  return items[static_cast<size_t>(random.uniform_int(0, N - 1))];
}

std::string capitalized(std::string_view name) {
  std::string text(name);
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string host_name_for(std::string_view first, Random& random) {
  const std::string name = capitalized(first);
  switch (random.uniform_int(0, catalog::kHostNamePatterns - 1)) {
    case 0:
      return name + "s-MacBook-Air.local";
    case 1:
      return name + "s-MacBook-Pro.local";
    case 2:
      return "dev-" + name + ".internal";
    case 3:
      return name + "-workstation.local";
    case 4:
      return name + "-laptop";
    case 5:
      return name + "-dev-machine";
    default:
      return "MacBookPro";
  }
}

std::string profile_for(std::string_view first, std::string_view last, Random& random) {
  const std::string f(first), l(last);
  switch (random.uniform_int(0, catalog::kProfilePatterns - 1)) {
    case 0:
      return "dev-" + f;
    case 1:
      return l;
    case 2:
      return f + "_" + l;
    case 3:
      return f.substr(0, 1) + l;
    case 4:
      return f + l;
    case 5:
      return f + "." + l;
    default:
      return f;
  }
}

std::string serial_for(Random& random) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::string serial;
  for (int i = 0; i < catalog::kSerialLength; ++i) {
    serial.push_back(kAlphabet[static_cast<size_t>(random.uniform_int(0, kAlphabet.size() - 1))]);
  }
  return serial;
}

}  // namespace

std::vector<User> make_users(int count, Random& random) {
  const WeightedChoice levels(catalog::weights_of(catalog::kLevels));
  const WeightedChoice terminals(catalog::weights_of(catalog::kTerminals));
  const WeightedChoice systems(catalog::weights_of(catalog::kOperatingSystems));
  const WeightedChoice versions(catalog::weights_of(catalog::kClaudeCodeVersions));

  std::vector<User> users;
  users.reserve(static_cast<size_t>(count));
  std::unordered_set<std::string> used_names;
  std::unordered_map<std::string, int> numbered_so_far;  // by first.last
  for (int i = 0; i < count; ++i) {
    std::string_view first, last;
    std::string name;
    bool unused = false;
    for (int draw = 0; draw < kEmailDraws && !unused; ++draw) {
      first = pick_uniform(catalog::kFirstNames, random);
      last = pick_uniform(catalog::kLastNames, random);
      name = std::string(first) + "." + std::string(last);
      unused = used_names.insert(name).second;
    }
    // Numbers start at 2: jamie.smith, jamie.smith2, jamie.smith3...
    const std::string email =
        unused ? name + "@example.com"
               : name + std::to_string(++numbered_so_far[name] + 1) + "@example.com";

    User user;
    user.email = email;
    user.full_name = capitalized(first) + " " + capitalized(last);
    user.practice = pick_uniform(catalog::kPractices, random);
    user.level = catalog::kLevels[levels.pick(random)].value;
    user.location = pick_uniform(catalog::kLocations, random);
    user.user_id = sha256_hex(user.email);
    user.account_uuid = random_uuid(random);
    user.organization_id = random_uuid(random);
    user.terminal = catalog::kTerminals[terminals.pick(random)].value;
    user.os = catalog::kOperatingSystems[systems.pick(random)].value;
    user.claude_code_version = catalog::kClaudeCodeVersions[versions.pick(random)].value;
    user.host_name = host_name_for(first, random);
    user.profile = profile_for(first, last, random);
    user.serial = serial_for(random);
    users.push_back(std::move(user));
  }
  return users;
}

}  // namespace cca::generate
