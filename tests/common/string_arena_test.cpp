#include "common/string_arena.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cca {
namespace {

TEST(StringArena, ViewsStayValidWhileTheArenaGrows) {
  StringArena arena(64);  // tiny blocks: many block changes
  std::vector<std::pair<std::string, std::string_view>> copies;
  for (int i = 0; i < 1000; ++i) {
    std::string text(static_cast<size_t>(i % 100 + 1), static_cast<char>('a' + i % 26));
    copies.emplace_back(text, arena.copy(text));
  }
  for (const auto& [original, view] : copies) EXPECT_EQ(original, view);
}

TEST(StringArena, RollbackDiscardsWhatFollowsTheMark) {
  StringArena arena(128);
  const std::string_view kept = arena.copy("kept");
  const StringArena::Mark mark = arena.mark();
  arena.copy(std::string(300, 'x'));
  arena.rollback(mark);
  const std::string_view next = arena.copy("next");
  EXPECT_EQ(kept, "kept");
  EXPECT_EQ(next, "next");
  EXPECT_EQ(next.data(), kept.data() + kept.size());  // reused the rolled-back space
}

TEST(StringArena, ClearReusesBlocks) {
  StringArena arena(128);
  const char* first = arena.copy("abc").data();
  arena.clear();
  EXPECT_EQ(arena.copy("xyz").data(), first);
  EXPECT_TRUE(arena.copy("").empty());
}

}  // namespace
}  // namespace cca
