#pragma once

#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace cca::engine {

// Runs work(i) for every i in [0, n): 0 on the calling thread (which may own a connection the
// others must not share), each other on a thread of its own. Once all have ended, rethrows the
// first failure by index.
template <class Work>
void run_in_parallel(size_t n, Work&& work) {
  std::vector<std::exception_ptr> failures(n);
  const auto guarded = [&](size_t i) {
    try {
      work(i);
    } catch (...) {
      failures[i] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  for (size_t i = 1; i < n; ++i) workers.emplace_back(guarded, i);
  if (n > 0) guarded(0);
  for (std::thread& worker : workers) worker.join();
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

}  // namespace cca::engine
