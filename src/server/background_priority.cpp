#include "server/background_priority.h"

#include <sys/resource.h>
#include <unistd.h>

namespace cca::server {

void lower_this_threads_priority() {
  constexpr int kBackgroundNice = 19;
  thread_local bool lowered = false;
  if (lowered) return;
  lowered = true;
  // Best effort: a thread that stays at its priority is slower to yield, not wrong.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kBackgroundNice);
}

}  // namespace cca::server
